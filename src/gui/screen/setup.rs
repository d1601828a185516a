//! First-run setup wizard: the agency, the station number and the first admin account,
//! on one page. Enter moves to the next field; Enter in the last one (or the button)
//! submits. The checks are the application layer's; refusals show beside each field.

use crate::gui::focus;
use crate::gui::i18n::T;
use crate::gui::theme::{self, size, space, width};
use crate::gui::widgets::{Field, caption, error_text, heading};
use iced::widget::{button, column, container, row, scrollable, text};
use iced::{Element, Length, Task};
use motcua_app::{AccountForm, AppError, Role, StationForm};
use motcua_core::{Field as F, ValidationError};

/// A field of the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    AgencyId,
    AgencyName,
    ParentName,
    StationNo,
    Username,
    FullName,
    Password,
    Confirm,
}

impl Input {
    const ALL: [Input; 8] = [
        Input::AgencyId,
        Input::AgencyName,
        Input::ParentName,
        Input::StationNo,
        Input::Username,
        Input::FullName,
        Input::Password,
        Input::Confirm,
    ];

    /// The widget id.
    pub fn id(self) -> &'static str {
        match self {
            Input::AgencyId => "setup-agency-id",
            Input::AgencyName => "setup-agency-name",
            Input::ParentName => "setup-parent-name",
            Input::StationNo => "setup-station",
            Input::Username => "setup-username",
            Input::FullName => "setup-full-name",
            Input::Password => "setup-password",
            Input::Confirm => "setup-confirm",
        }
    }

    /// The validation field shown beside this input.
    fn field(self) -> F {
        match self {
            Input::AgencyId => F::AgencyId,
            Input::AgencyName => F::AgencyName,
            Input::ParentName => F::ParentName,
            Input::StationNo => F::Station,
            Input::Username => F::Username,
            Input::FullName => F::FullName,
            Input::Password => F::Password,
            Input::Confirm => F::PasswordConfirm,
        }
    }
}

/// What the wizard sends up.
#[derive(Debug, Clone)]
pub enum Message {
    /// A field was edited.
    Edited(Input, String),
    /// Enter in a field.
    Entered(Input),
    /// The submit button.
    Submit,
}

/// What the root must do.
#[derive(Debug, Clone)]
pub enum Action {
    SetUp(StationForm, AccountForm),
}

/// The wizard's state.
#[derive(Debug, Default)]
pub struct Setup {
    values: [String; 8],
    errors: Vec<ValidationError>,
    failure: Option<String>,
    working: bool,
}

impl Setup {
    fn value(&self, i: Input) -> &str {
        &self.values[i as usize]
    }

    /// Focus for a fresh wizard.
    pub fn focus() -> Task<Message> {
        focus::to(Input::AgencyId.id())
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Action>) {
        match message {
            Message::Edited(i, v) => {
                self.values[i as usize] = motcua_core::text::nfc(&v);
                self.errors.retain(|e| e.field != i.field());
                (Task::none(), None)
            }
            Message::Entered(Input::Confirm) | Message::Submit => self.submit(),
            Message::Entered(_) => (focus::next(), None),
        }
    }

    fn submit(&mut self) -> (Task<Message>, Option<Action>) {
        if self.working {
            return (Task::none(), None);
        }
        let station_no = self.value(Input::StationNo).trim().parse().unwrap_or(0);
        let parent = self.value(Input::ParentName).trim();
        let station = StationForm {
            agency_id: self.value(Input::AgencyId).to_string(),
            agency_name: self.value(Input::AgencyName).to_string(),
            parent_name: (!parent.is_empty()).then(|| parent.to_string()),
            station_no,
        };
        let admin = AccountForm {
            username: self.value(Input::Username).to_string(),
            full_name: self.value(Input::FullName).to_string(),
            role: Role::Admin,
            password: self.value(Input::Password).to_string(),
            confirm: Some(self.value(Input::Confirm).to_string()),
        };
        self.working = true;
        self.failure = None;
        (Task::none(), Some(Action::SetUp(station, admin)))
    }

    /// The setup failed: show why, by field where it is about one, and focus the first.
    pub fn failed(&mut self, e: &AppError) -> Task<Message> {
        self.working = false;
        self.errors = e.fields().to_vec();
        self.failure = self.errors.is_empty().then(|| e.to_string());
        let first = Input::ALL
            .into_iter()
            .find(|i| self.errors.iter().any(|e| e.field == i.field()));
        match first {
            Some(i) => focus::to(i.id()),
            None => Task::none(),
        }
    }

    fn error(&self, i: Input) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == i.field())
            .map(|e| e.reason.as_str())
    }

    fn input(&self, i: Input, label: &'static str) -> Field<'_, Message> {
        Field::new(
            label,
            i.id(),
            self.value(i),
            move |v| Message::Edited(i, v),
            Message::Entered(i),
        )
        .error(self.error(i))
    }

    /// The wizard page.
    pub fn view(&self) -> Element<'_, Message> {
        let station = column![
            self.input(Input::AgencyId, T::AgencyId.vi())
                .placeholder(T::AgencyIdHint.vi())
                .view(),
            self.input(Input::AgencyName, T::AgencyName.vi())
                .placeholder(T::AgencyNameHint.vi())
                .view(),
            self.input(Input::ParentName, T::ParentName.vi())
                .placeholder(T::ParentNameHint.vi())
                .view(),
            self.input(Input::StationNo, T::StationNo.vi())
                .hint(Some(T::StationNoHint.vi().to_string()))
                .view(),
        ]
        .spacing(space::M);
        let admin = column![
            heading(T::AdminSection.vi()),
            self.input(Input::Username, T::Username.vi()).view(),
            self.input(Input::FullName, T::FullName.vi()).view(),
            self.input(Input::Password, T::Password.vi())
                .secure()
                .view(),
            self.input(Input::Confirm, T::PasswordConfirm.vi())
                .secure()
                .view(),
        ]
        .spacing(space::M);
        let submit = button(text(if self.working {
            T::SetupWorking.vi()
        } else {
            T::SetupSubmit.vi()
        }))
        .padding(space::S)
        .style(theme::primary_button)
        .on_press_maybe((!self.working).then_some(Message::Submit));
        let mut page = column![
            text(T::SetupTitle.vi()).size(size::TITLE).font(theme::BOLD),
            caption(T::SetupIntro.vi()),
            station,
            admin,
        ]
        .spacing(space::L);
        if let Some(f) = &self.failure {
            page = page.push(error_text(f.as_str()));
        }
        page = page.push(row![submit]);
        let boxed = container(page.width(Length::Fixed(width::WIZARD_BOX)))
            .padding(space::XL)
            .style(theme::panel);
        scrollable(container(boxed).center_x(Length::Fill).padding(space::L)).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(s: &mut Setup, values: [&str; 8]) {
        for (i, v) in Input::ALL.into_iter().zip(values) {
            let _ = s.update(Message::Edited(i, v.to_string()));
        }
    }

    #[test]
    fn enter_in_the_last_field_submits_everything_typed() {
        let mut s = Setup::default();
        fill(
            &mut s,
            [
                "000.17.22.H56",
                "UBND xã Tân Lập",
                "",
                "2",
                "lan",
                "Trần Thị Lan",
                "mật khẩu dài",
                "mật khẩu dài",
            ],
        );
        let (_, action) = s.update(Message::Entered(Input::Confirm));
        let Some(Action::SetUp(st, admin)) = action else {
            panic!("no action")
        };
        assert_eq!(st.station_no, 2);
        assert_eq!(st.parent_name, None);
        assert_eq!(admin.role, Role::Admin);
        assert_eq!(admin.confirm.as_deref(), Some("mật khẩu dài"));
        // A second submit while working does nothing.
        assert!(s.update(Message::Submit).1.is_none());
    }
}
