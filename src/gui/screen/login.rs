//! Signing in with the station's offline accounts, and unlocking a locked window (the
//! same clerk's password; the draft stays). Enter in the username goes to the password;
//! Enter in the password signs in.

use crate::gui::focus;
use crate::gui::i18n::{self, T};
use crate::gui::theme::{self, size, space, width};
use crate::gui::widgets::{Field, caption, error_text, slot};
use iced::widget::{button, column, container, text};
use iced::{Element, Length, Task};
use motcua_app::AppError;

const USERNAME: &str = "login-username";
const PASSWORD: &str = "login-password";

/// Signing in or unlocking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    SignIn,
    /// The window is locked for this clerk.
    Unlock {
        username: String,
        full_name: String,
    },
}

/// What the login page sends up.
#[derive(Debug, Clone)]
pub enum Message {
    Username(String),
    Password(String),
    /// Enter in the username field.
    UsernameEntered,
    /// Enter in the password field, or the button.
    Submit,
}

/// What the root must do.
#[derive(Debug, Clone)]
pub enum Action {
    SignIn { username: String, password: String },
}

/// The page's state.
#[derive(Debug)]
pub struct Login {
    pub mode: Mode,
    /// Shown above the form (the agency and station, or a note after setup).
    pub subtitle: String,
    pub notice: Option<String>,
    username: String,
    password: String,
    error: Option<String>,
    working: bool,
}

impl Login {
    /// A sign-in page.
    pub fn new(subtitle: String) -> Login {
        Login {
            mode: Mode::SignIn,
            subtitle,
            notice: None,
            username: String::new(),
            password: String::new(),
            error: None,
            working: false,
        }
    }

    /// Where typing starts.
    pub fn focus(&self) -> Task<Message> {
        match self.mode {
            Mode::SignIn => focus::to(USERNAME),
            Mode::Unlock { .. } => focus::to(PASSWORD),
        }
    }

    /// Locks for `username`: only the password is asked.
    pub fn lock(&mut self, username: String, full_name: String) -> Task<Message> {
        self.mode = Mode::Unlock {
            username,
            full_name,
        };
        self.password.clear();
        self.error = None;
        self.working = false;
        self.focus()
    }

    /// Back to a plain sign-in page (after signing in or out).
    pub fn reset(&mut self) {
        self.mode = Mode::SignIn;
        self.username.clear();
        self.password.clear();
        self.error = None;
        self.notice = None;
        self.working = false;
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Action>) {
        match message {
            Message::Username(v) => {
                self.username = motcua_core::text::nfc(&v);
                self.error = None;
            }
            Message::Password(v) => {
                self.password = v;
                self.error = None;
            }
            Message::UsernameEntered => return (focus::to(PASSWORD), None),
            Message::Submit => return (Task::none(), self.submit()),
        }
        (Task::none(), None)
    }

    fn submit(&mut self) -> Option<Action> {
        if self.working {
            return None;
        }
        let username = match &self.mode {
            Mode::SignIn => self.username.trim().to_string(),
            Mode::Unlock { username, .. } => username.clone(),
        };
        self.working = true;
        Some(Action::SignIn {
            username,
            password: self.password.clone(),
        })
    }

    /// The account was refused: one message, no hint which part was wrong.
    pub fn failed(&mut self, e: &AppError) -> Task<Message> {
        self.working = false;
        self.password.clear();
        self.error = Some(e.to_string());
        focus::to(PASSWORD)
    }

    /// The page.
    pub fn view(&self) -> Element<'_, Message> {
        let (title, intro) = match &self.mode {
            Mode::SignIn => (T::LoginTitle.vi(), None),
            Mode::Unlock { full_name, .. } => (T::LockTitle.vi(), Some(full_name.as_str())),
        };
        let mut form = column![
            text(title).size(size::TITLE).font(theme::BOLD),
            caption(self.subtitle.as_str()),
        ]
        .spacing(space::M);
        form = form.push(slot(
            self.notice
                .as_ref()
                .map(|n| text(n.as_str()).size(size::BODY).into()),
        ));
        if let Some(name) = intro {
            form = form
                .push(text(i18n::locked_clerk(name)).size(size::HEADING))
                .push(caption(T::LockIntro.vi()));
        } else {
            form = form.push(
                Field::new(
                    T::Username.vi(),
                    USERNAME,
                    &self.username,
                    Message::Username,
                    Message::UsernameEntered,
                )
                .view(),
            );
        }
        form = form.push(
            Field::new(
                T::Password.vi(),
                PASSWORD,
                &self.password,
                Message::Password,
                Message::Submit,
            )
            .secure()
            .view(),
        );
        if let Some(e) = &self.error {
            form = form.push(error_text(e.as_str()));
        }
        let label = match (&self.mode, self.working) {
            (_, true) => T::Checking.vi(),
            (Mode::SignIn, false) => T::LoginSubmit.vi(),
            (Mode::Unlock { .. }, false) => T::Unlock.vi(),
        };
        form = form.push(
            button(text(label))
                .padding(space::S)
                .style(theme::primary_button)
                .on_press_maybe((!self.working).then_some(Message::Submit)),
        );
        container(
            container(form.width(Length::Fixed(width::LOGIN_BOX)))
                .padding(space::XL)
                .style(theme::panel),
        )
        .center(Length::Fill)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlock_asks_only_the_password_of_the_locked_clerk() {
        let mut l = Login::new("UBND xã Tân Lập — quầy số 1".into());
        let _ = l.lock("lan".into(), "Trần Thị Lan".into());
        let _ = l.update(Message::Password("mật khẩu dài".into()));
        let (_, a) = l.update(Message::Submit);
        let Some(Action::SignIn { username, password }) = a else {
            panic!()
        };
        assert_eq!(
            (username.as_str(), password.as_str()),
            ("lan", "mật khẩu dài")
        );
        let _ = l.failed(&AppError::Refused("sai".into()));
        assert!(l.password.is_empty(), "a refused password is not kept");
    }
}
