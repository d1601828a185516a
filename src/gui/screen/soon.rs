//! A plain page in place of a screen: today only Settings (F5) for a clerk who is not an
//! admin (`admin_only`). It was first the page of the screens not built yet; every screen
//! is built now, so `admin_only: false` (and [`T::Soon`]) is no longer shown anywhere —
//! the root (`gui/mod.rs`) still calls this for the admin-only page, so the module stays
//! until it is renamed there.

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
    page(title, body)
}

/// A page with a title and one sentence (a screen the clerk may not open).
pub fn page<'a, M: 'a>(title: &'static str, body: &'static str) -> Element<'a, M> {
    container(column![text(title).size(size::TITLE), text(body).size(size::BODY)].spacing(space::M))
        .center(Length::Fill)
        .into()
}
