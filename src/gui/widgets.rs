//! Small view helpers shared by the screens: a labelled field with its hint or error, a
//! heading, a caption. Styles and sizes come from the theme.

use crate::gui::theme::{self, size, space};
use iced::widget::{Column, column, container, mouse_area, text, text_input};
use iced::{Element, Length};

/// A labelled one-line field. `error` is shown in red under it (the words of the core
/// validation); otherwise `hint` in grey.
pub struct Field<'a, M> {
    pub label: &'a str,
    pub id: String,
    pub value: &'a str,
    pub placeholder: &'a str,
    pub error: Option<&'a str>,
    pub hint: Option<String>,
    pub secure: bool,
    pub on_input: Box<dyn Fn(String) -> M + 'a>,
    pub on_submit: M,
}

impl<'a, M: Clone + 'a> Field<'a, M> {
    /// A field with no hint, error or placeholder yet.
    pub fn new(
        label: &'a str,
        id: impl Into<String>,
        value: &'a str,
        on_input: impl Fn(String) -> M + 'a,
        on_submit: M,
    ) -> Self {
        Field {
            label,
            id: id.into(),
            value,
            placeholder: "",
            error: None,
            hint: None,
            secure: false,
            on_input: Box::new(on_input),
            on_submit,
        }
    }

    pub fn placeholder(mut self, p: &'a str) -> Self {
        self.placeholder = p;
        self
    }

    pub fn error(mut self, e: Option<&'a str>) -> Self {
        self.error = e;
        self
    }

    pub fn hint(mut self, h: Option<String>) -> Self {
        self.hint = h;
        self
    }

    pub fn secure(mut self) -> Self {
        self.secure = true;
        self
    }

    /// The field as an element.
    pub fn view(self) -> Element<'a, M> {
        let input = text_input(self.placeholder, self.value)
            .id(self.id)
            .on_input(self.on_input)
            .on_submit(self.on_submit)
            .secure(self.secure)
            .size(size::BODY)
            .padding(space::S)
            .style(theme::input(self.error.is_some()));
        let mut col: Column<'a, M> = column![label(self.label), input].spacing(space::XS);
        if let Some(e) = self.error {
            col = col.push(error_text(e.to_string()));
        } else if let Some(h) = self.hint {
            col = col.push(caption(h));
        }
        col.width(Length::Fill).into()
    }
}

/// A field's label.
pub fn label<'a, M: 'a>(s: &'a str) -> Element<'a, M> {
    text(s).size(size::LABEL).into()
}

/// A section heading.
pub fn heading<'a, M: 'a>(s: impl text::IntoFragment<'a>) -> Element<'a, M> {
    text(s).size(size::HEADING).font(theme::BOLD).into()
}

/// Grey small text.
pub fn caption<'a, M: 'a>(s: impl text::IntoFragment<'a>) -> Element<'a, M> {
    text(s)
        .size(size::SMALL)
        .style(|t: &iced::Theme| text::Style {
            color: Some(theme::colors(t).muted),
        })
        .into()
}

/// Red text for a refusal.
pub fn error_text<'a, M: 'a>(s: impl text::IntoFragment<'a>) -> Element<'a, M> {
    text(s)
        .size(size::SMALL)
        .style(|t: &iced::Theme| text::Style {
            color: Some(theme::colors(t).error),
        })
        .into()
}

/// A place in a column for messages that come and go (an outcome, a banner), always
/// there even when empty. iced matches a view's widget state by position: a message
/// pushed above the fields moves every field below it one place down, and the focused
/// field loses its focus (Enter then does nothing). With the slot always present the
/// fields keep their places.
pub fn slot<'a, M: 'a>(items: impl IntoIterator<Item = Element<'a, M>>) -> Element<'a, M> {
    Column::with_children(items).spacing(space::S).into()
}

/// One row of a list the clerk moves through: padded, full width, highlighted when
/// `selected`; a click sends `on_press`.
pub fn list_row<'a, M: Clone + 'a>(
    line: impl Into<Element<'a, M>>,
    selected: bool,
    on_press: M,
) -> Element<'a, M> {
    let boxed = container(line)
        .padding([space::XS, space::S])
        .width(Length::Fill);
    let boxed = if selected {
        boxed.style(theme::selected_row)
    } else {
        boxed
    };
    mouse_area(boxed).on_press(on_press).into()
}
