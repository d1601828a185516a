//! Moving the keyboard focus, and keeping the focused field in sight. iced moves the focus
//! but does not scroll to it; on a long page (the settings, a tall form on a small screen,
//! a zoomed window) Enter or Tab would otherwise send the clerk typing into a field she
//! cannot see. Every focus change here is followed by an operation that finds the focused
//! field and scrolls its innermost scrollable just enough to show it.

use iced::advanced::widget::operation::{Focusable, Outcome, Scrollable};
use iced::advanced::widget::{Id, Operation, operate};
use iced::widget::operation;
use iced::widget::scrollable::AbsoluteOffset;
use iced::{Rectangle, Task, Vector};

/// Room left above or below a field scrolled into sight.
const MARGIN: f32 = 12.0;

/// The next field (Tab, Enter).
pub fn next<T: Send + 'static>() -> Task<T> {
    operation::focus_next().chain(reveal())
}

/// The previous field (Shift+Tab).
pub fn previous<T: Send + 'static>() -> Task<T> {
    operation::focus_previous().chain(reveal())
}

/// The field `id`.
pub fn to<T: Send + 'static>(id: impl Into<iced::widget::Id>) -> Task<T> {
    operation::focus(id).chain(reveal())
}

/// Scrolls the focused field into sight.
pub fn reveal<T: Send + 'static>() -> Task<T> {
    operate(Find::default()).discard()
}

/// A scrollable as the traversal met it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Frame {
    bounds: Rectangle,
}

/// First pass: the focused field and the innermost scrollable around it.
#[derive(Debug, Default)]
struct Find {
    stack: Vec<Frame>,
    /// A scrollable whose children the next traversal visits.
    entering: Option<Frame>,
    found: Option<(Rectangle, Frame)>,
}

impl Operation for Find {
    fn traverse(&mut self, operate: &mut dyn FnMut(&mut dyn Operation)) {
        let entered = self.entering.take();
        if let Some(f) = entered {
            self.stack.push(f);
        }
        operate(self);
        if entered.is_some() {
            self.stack.pop();
        }
    }

    fn scrollable(
        &mut self,
        _id: Option<&Id>,
        bounds: Rectangle,
        _content_bounds: Rectangle,
        _translation: Vector,
        _state: &mut dyn Scrollable,
    ) {
        self.entering = Some(Frame { bounds });
    }

    fn focusable(&mut self, _id: Option<&Id>, bounds: Rectangle, state: &mut dyn Focusable) {
        if state.is_focused()
            && self.found.is_none()
            && let Some(frame) = self.stack.last()
        {
            self.found = Some((bounds, *frame));
        }
    }

    fn finish(&self) -> Outcome<()> {
        match self.found {
            Some((field, frame)) => Outcome::Chain(Box::new(Scroll { field, frame })),
            None => Outcome::None,
        }
    }
}

/// Second pass: scroll that scrollable so the field shows.
#[derive(Debug)]
struct Scroll {
    field: Rectangle,
    frame: Frame,
}

impl Operation for Scroll {
    fn traverse(&mut self, operate: &mut dyn FnMut(&mut dyn Operation)) {
        operate(self);
    }

    fn scrollable(
        &mut self,
        _id: Option<&Id>,
        bounds: Rectangle,
        _content_bounds: Rectangle,
        translation: Vector,
        state: &mut dyn Scrollable,
    ) {
        if bounds != self.frame.bounds {
            return;
        }
        if let Some(y) = offset(bounds, translation.y, self.field) {
            state.scroll_to(AbsoluteOffset {
                x: None,
                y: Some(y),
            });
        }
    }
}

/// The scroll offset that shows `field` in a scrollable of `bounds` scrolled by `y` (in
/// content coordinates, where the content starts at `bounds.y`), or `None` if it shows.
fn offset(bounds: Rectangle, y: f32, field: Rectangle) -> Option<f32> {
    let top = bounds.y + y;
    let bottom = top + bounds.height;
    if field.y - MARGIN < top {
        Some((field.y - MARGIN - bounds.y).max(0.0))
    } else if field.y + field.height + MARGIN > bottom {
        Some((field.y + field.height + MARGIN - bounds.y - bounds.height).max(0.0))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolls_only_as_far_as_needed() {
        let view = Rectangle::new(iced::Point::new(0.0, 100.0), iced::Size::new(500.0, 300.0));
        let at = |y: f32| Rectangle::new(iced::Point::new(0.0, y), iced::Size::new(400.0, 40.0));
        assert_eq!(offset(view, 0.0, at(150.0)), None, "in sight");
        assert_eq!(
            offset(view, 0.0, at(500.0)),
            Some(152.0),
            "below: bottom edge shows"
        );
        assert_eq!(
            offset(view, 300.0, at(120.0)),
            Some(8.0),
            "above: top edge shows"
        );
    }
}
