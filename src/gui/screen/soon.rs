//! Screens not built yet: a plain page that says so.

use crate::gui::i18n::T;
use crate::gui::theme::{size, space};
use iced::widget::{column, container, text};
use iced::{Element, Length};

/// The page for a screen still to come (`admin_only`: the clerk may not open it at all).
pub fn view<'a, M: 'a>(title: &'static str, admin_only: bool) -> Element<'a, M> {
    let body = if admin_only {
        T::AdminOnly.vi()
    } else {
        T::Soon.vi()
    };
    container(column![text(title).size(size::TITLE), text(body).size(size::BODY)].spacing(space::M))
        .center(Length::Fill)
        .into()
}
