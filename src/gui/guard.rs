//! A wrapper around the whole window that keeps Ctrl+= / Ctrl+- / Ctrl+digits away from
//! the focused text field. On Linux, xkb gives those keys printable text, so a focused
//! `text_input` would insert "=" instead of letting the shortcut through. The wrapper
//! does not forward a key press while Ctrl (without Alt) is held and the key carries
//! printable text, except Ctrl+A/C/V/X (the field's own select-all, copy, paste, cut).
//! Such a key stays unhandled, so the window's shortcut listener sees it. Ctrl+Backspace
//! and Ctrl+arrows carry no printable text and still reach the field.

use iced::advanced::layout::{self, Layout};
use iced::advanced::widget::{Operation, Tree, Widget};
use iced::advanced::{Clipboard, Shell, mouse, overlay, renderer};
use iced::{Element, Event, Length, Rectangle, Size, Vector, keyboard};

/// See the module.
pub struct CtrlGuard<'a, Message, Theme, Renderer> {
    content: Element<'a, Message, Theme, Renderer>,
}

/// Wraps `content` (the whole window).
pub fn ctrl_guard<'a, Message, Theme, Renderer>(
    content: impl Into<Element<'a, Message, Theme, Renderer>>,
) -> CtrlGuard<'a, Message, Theme, Renderer> {
    CtrlGuard {
        content: content.into(),
    }
}

/// Whether `event` is a Ctrl shortcut a text field would otherwise type into itself.
pub fn is_ctrl_shortcut(event: &Event) -> bool {
    let Event::Keyboard(keyboard::Event::KeyPressed {
        key,
        modifiers,
        physical_key,
        text,
        ..
    }) = event
    else {
        return false;
    };
    let printable = text
        .as_deref()
        .and_then(|t| t.chars().next())
        .is_some_and(|c| !c.is_control());
    modifiers.control()
        && !modifiers.alt()
        && printable
        && !matches!(key.to_latin(*physical_key), Some('a' | 'c' | 'v' | 'x'))
}

impl<Message, Theme, Renderer> Widget<Message, Theme, Renderer>
    for CtrlGuard<'_, Message, Theme, Renderer>
where
    Renderer: renderer::Renderer,
{
    fn children(&self) -> Vec<Tree> {
        vec![Tree::new(&self.content)]
    }

    fn diff(&self, tree: &mut Tree) {
        tree.diff_children(std::slice::from_ref(&self.content));
    }

    fn size(&self) -> Size<Length> {
        self.content.as_widget().size()
    }

    fn size_hint(&self) -> Size<Length> {
        self.content.as_widget().size_hint()
    }

    fn layout(
        &mut self,
        tree: &mut Tree,
        renderer: &Renderer,
        limits: &layout::Limits,
    ) -> layout::Node {
        self.content
            .as_widget_mut()
            .layout(&mut tree.children[0], renderer, limits)
    }

    fn operate(
        &mut self,
        tree: &mut Tree,
        layout: Layout<'_>,
        renderer: &Renderer,
        operation: &mut dyn Operation,
    ) {
        // Focus and scroll operations must reach the fields inside.
        self.content
            .as_widget_mut()
            .operate(&mut tree.children[0], layout, renderer, operation);
    }

    fn update(
        &mut self,
        tree: &mut Tree,
        event: &Event,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        renderer: &Renderer,
        clipboard: &mut dyn Clipboard,
        shell: &mut Shell<'_, Message>,
        viewport: &Rectangle,
    ) {
        if is_ctrl_shortcut(event) {
            return;
        }
        self.content.as_widget_mut().update(
            &mut tree.children[0],
            event,
            layout,
            cursor,
            renderer,
            clipboard,
            shell,
            viewport,
        );
    }

    fn draw(
        &self,
        tree: &Tree,
        renderer: &mut Renderer,
        theme: &Theme,
        style: &renderer::Style,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
    ) {
        self.content.as_widget().draw(
            &tree.children[0],
            renderer,
            theme,
            style,
            layout,
            cursor,
            viewport,
        );
    }

    fn mouse_interaction(
        &self,
        tree: &Tree,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
        renderer: &Renderer,
    ) -> mouse::Interaction {
        self.content.as_widget().mouse_interaction(
            &tree.children[0],
            layout,
            cursor,
            viewport,
            renderer,
        )
    }

    fn overlay<'b>(
        &'b mut self,
        tree: &'b mut Tree,
        layout: Layout<'b>,
        renderer: &Renderer,
        viewport: &Rectangle,
        translation: Vector,
    ) -> Option<overlay::Element<'b, Message, Theme, Renderer>> {
        self.content.as_widget_mut().overlay(
            &mut tree.children[0],
            layout,
            renderer,
            viewport,
            translation,
        )
    }
}

impl<'a, Message: 'a, Theme: 'a, Renderer: renderer::Renderer + 'a>
    From<CtrlGuard<'a, Message, Theme, Renderer>> for Element<'a, Message, Theme, Renderer>
{
    fn from(guard: CtrlGuard<'a, Message, Theme, Renderer>) -> Self {
        Element::new(guard)
    }
}
