//! Settings (F5, admins only): the agency and station; printer (from the system's list),
//! copies and receipt layout with a preview; the form set (2025 or 2018) and the one-stop
//! unit's name on the 2025 forms; office hours and the same-day cutoff; the
//! lookup URL and office phone; a year's holiday table (where it comes from, importing
//! an office schedule); accounts (add, reset a password, deactivate — never the last
//! admin); a backup to a chosen file. Every value is checked by the application layer
//! and saved with Enter in its field.

use crate::gui::focus;
use crate::gui::i18n::{self, T};
use crate::gui::theme::{self, size, space};
use crate::gui::widgets::{Field, caption, error_text, heading, label, slot};
use iced::widget::{Column, button, column, container, row, scrollable, text};
use iced::{Element, Length, Task};
use motcua_app::calendar::Origin;
use motcua_app::settings::Key;
use motcua_app::{AccountForm, AppError, Role, StationInfo, User};
use motcua_core::calendar::DayEntry;

/// The settings shown, in order.
const SHOWN: [Key; 13] = [
    Key::Printer,
    Key::Copies,
    Key::ReceiptLayout,
    Key::FormSet,
    Key::ReceivingUnit,
    Key::OfficeHours,
    Key::SameDayCutoff,
    Key::LookupUrl,
    Key::OfficePhone,
    Key::Place,
    Key::LockMinutes,
    Key::MaxBackdateDays,
    Key::ReportStartDay,
];

/// A free-text field of the screen (settings are addressed by their key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Input {
    Setting(Key),
    Year,
    ImportFile,
    BackupFile,
    NewUsername,
    NewFullName,
    NewRole,
    NewPassword,
    NewConfirm,
    ResetPassword,
    ResetConfirm,
    /// The username of the account whose password is reset (Enter starts it).
    ResetWho,
    /// The username of the account to deactivate or reactivate (Enter does it).
    ToggleWho,
    /// Not a field: account actions (their refusals show at the top).
    Accounts,
}

impl Input {
    fn id(self) -> String {
        match self {
            Input::Setting(k) => format!("setting-{}", k.name()),
            other => format!("settings-{other:?}").to_lowercase(),
        }
    }
}

/// Everything the screen shows, read at once.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub station: StationInfo,
    pub values: Vec<(Key, String)>,
    pub printers: Vec<String>,
    pub default_printer: Option<String>,
    pub users: Vec<User>,
}

/// A year's holiday table.
#[derive(Debug, Clone)]
pub struct Holidays {
    pub year: i32,
    pub days: Vec<DayEntry>,
    pub origin: Option<Origin>,
}

/// What the screen sends up.
#[derive(Debug, Clone)]
pub enum Message {
    Edited(Input, String),
    Entered(Input),
    /// A printer of the system's list clicked.
    PickPrinter(String),
    StartReset(String),
    ToggleActive(String, bool),
    Loaded(Result<Box<Loaded>, AppError>),
    HolidaysLoaded(Result<Box<Holidays>, AppError>),
    /// A change was saved (a sentence) or refused.
    Saved(Input, Result<String, AppError>),
}

/// What the root must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Load,
    Set(Key, String),
    Holidays(i32),
    Import(String),
    Backup(String),
    AddUser(AccountForm),
    ResetPassword {
        username: String,
        password: String,
        confirm: String,
    },
    SetActive {
        username: String,
        active: bool,
    },
}

type Step = (Task<Message>, Option<Action>);

/// The screen's state.
#[derive(Debug, Default)]
pub struct Settings {
    loaded: Option<Loaded>,
    edits: std::collections::HashMap<Input, String>,
    errors: std::collections::HashMap<Input, String>,
    holidays: Option<Holidays>,
    resetting: Option<String>,
    outcome: Option<Result<String, String>>,
}

impl Settings {
    pub fn show(&mut self) -> Step {
        (
            focus::to(Input::Setting(Key::Printer).id()),
            Some(Action::Load),
        )
    }

    fn value(&self, i: Input) -> &str {
        if let Some(v) = self.edits.get(&i) {
            return v;
        }
        match (i, &self.loaded) {
            (Input::Setting(k), Some(l)) => l
                .values
                .iter()
                .find(|(key, _)| *key == k)
                .map_or("", |(_, v)| v.as_str()),
            (Input::NewRole, _) => "1",
            _ => "",
        }
    }

    pub fn update(&mut self, m: Message) -> Step {
        match m {
            Message::Edited(i, v) => {
                self.edits.insert(i, motcua_core::text::nfc(&v));
                self.errors.remove(&i);
                (Task::none(), None)
            }
            Message::Entered(i) => self.entered(i),
            Message::PickPrinter(p) => {
                self.edits.insert(Input::Setting(Key::Printer), p.clone());
                (Task::none(), Some(Action::Set(Key::Printer, p)))
            }
            Message::StartReset(u) => {
                self.resetting = Some(u);
                (focus::to(Input::ResetPassword.id()), None)
            }
            Message::ToggleActive(username, active) => {
                (Task::none(), Some(Action::SetActive { username, active }))
            }
            Message::Loaded(r) => {
                match r {
                    Ok(l) => self.loaded = Some(*l),
                    Err(e) => self.outcome = Some(Err(e.to_string())),
                }
                (Task::none(), None)
            }
            Message::HolidaysLoaded(r) => {
                match r {
                    Ok(h) => self.holidays = Some(*h),
                    Err(e) => {
                        self.errors.insert(Input::Year, e.to_string());
                    }
                }
                (Task::none(), None)
            }
            Message::Saved(i, r) => match r {
                Ok(line) => {
                    self.edits.remove(&i);
                    if matches!(i, Input::ResetConfirm) {
                        self.resetting = None;
                        self.edits.remove(&Input::ResetPassword);
                    }
                    if matches!(i, Input::NewConfirm) {
                        for f in [
                            Input::NewUsername,
                            Input::NewFullName,
                            Input::NewRole,
                            Input::NewPassword,
                        ] {
                            self.edits.remove(&f);
                        }
                    }
                    self.outcome = Some(Ok(line));
                    (Task::none(), Some(Action::Load))
                }
                Err(e) if i == Input::Accounts => {
                    self.outcome = Some(Err(e.to_string()));
                    (Task::none(), None)
                }
                Err(e) => {
                    let reason = e
                        .fields()
                        .first()
                        .map_or_else(|| e.to_string(), |f| f.to_string());
                    self.errors.insert(i, reason);
                    (focus::to(i.id()), None)
                }
            },
        }
    }

    fn entered(&mut self, i: Input) -> Step {
        let v = self.value(i).to_string();
        let action = match i {
            Input::Setting(k) => Action::Set(k, v),
            Input::Year => match v.trim().parse() {
                Ok(y) => Action::Holidays(y),
                Err(_) => {
                    self.errors.insert(i, T::YearFormat.vi().to_string());
                    return (Task::none(), None);
                }
            },
            Input::ImportFile => Action::Import(v),
            Input::BackupFile => Action::Backup(v),
            Input::NewConfirm => Action::AddUser(AccountForm {
                username: self.value(Input::NewUsername).to_string(),
                full_name: self.value(Input::NewFullName).to_string(),
                role: match self.value(Input::NewRole).trim() {
                    "2" => Role::Admin,
                    "3" => Role::Head,
                    _ => Role::Clerk,
                },
                password: self.value(Input::NewPassword).to_string(),
                confirm: Some(v),
            }),
            Input::ResetConfirm => match &self.resetting {
                Some(u) => Action::ResetPassword {
                    username: u.clone(),
                    password: self.value(Input::ResetPassword).to_string(),
                    confirm: v,
                },
                None => return (Task::none(), None),
            },
            Input::NewUsername
            | Input::NewFullName
            | Input::NewRole
            | Input::NewPassword
            | Input::ResetPassword => return (focus::next(), None),
            Input::ResetWho | Input::ToggleWho => {
                let who = v.trim().to_lowercase();
                let user = self
                    .loaded
                    .as_ref()
                    .and_then(|l| l.users.iter().find(|u| u.username == who));
                let Some(u) = user else {
                    self.errors.insert(i, i18n::no_such_account(v.trim()));
                    return (Task::none(), None);
                };
                let (username, active) = (u.username.clone(), u.active);
                self.edits.remove(&i);
                return if i == Input::ResetWho {
                    self.update(Message::StartReset(username))
                } else {
                    self.update(Message::ToggleActive(username, !active))
                };
            }
            Input::Accounts => return (Task::none(), None),
        };
        (Task::none(), Some(action))
    }

    fn field(&self, i: Input, label: &'static str) -> Field<'_, Message> {
        Field::new(
            label,
            i.id(),
            self.value(i),
            move |v| Message::Edited(i, v),
            Message::Entered(i),
        )
        .error(self.errors.get(&i).map(String::as_str))
    }

    pub fn view(&self) -> Element<'_, Message> {
        let Some(l) = &self.loaded else {
            return container(text(T::Loading.vi())).padding(space::L).into();
        };
        let mut col = column![heading(T::TabSettings.vi())].spacing(space::M);
        col = col.push(slot(self.outcome.as_ref().map(|o| match o {
            Ok(line) => caption(line.as_str()),
            Err(line) => error_text(line.as_str()),
        })));
        col = col
            .push(station_view(&l.station))
            .push(self.settings_view(l))
            .push(self.holidays_view())
            .push(self.accounts_view(l))
            .push(self.backup_view());
        scrollable(col.padding([space::S, space::L]).max_width(900)).into()
    }

    fn settings_view<'a>(&'a self, l: &'a Loaded) -> Element<'a, Message> {
        let mut col = column![heading(T::SettingsValues.vi())].spacing(space::S);
        for k in SHOWN {
            col = col.push(
                self.field(Input::Setting(k), i18n::setting_label(k))
                    .hint(Some(k.help().to_string()))
                    .view(),
            );
            if k == Key::Printer {
                let mut printers = row![caption(T::SystemPrinters.vi())].spacing(space::S);
                for p in &l.printers {
                    let mark = if l.default_printer.as_deref() == Some(p) {
                        format!("{p} {}", T::DefaultMark.vi())
                    } else {
                        p.clone()
                    };
                    printers = printers.push(
                        button(text(mark).size(size::SMALL))
                            .style(theme::secondary_button)
                            .on_press(Message::PickPrinter(p.clone())),
                    );
                }
                if l.printers.is_empty() {
                    printers = printers.push(caption(T::NoPrinters.vi()));
                }
                col = col.push(printers);
            }
            if k == Key::ReceiptLayout {
                col = col.push(layout_preview(self.value(Input::Setting(k))));
            }
        }
        col.into()
    }

    fn holidays_view(&self) -> Element<'_, Message> {
        let mut col = column![
            heading(T::HolidaysTitle.vi()),
            self.field(Input::Year, T::Year.vi()).view(),
        ]
        .spacing(space::S);
        if let Some(h) = &self.holidays {
            col = col.push(text(i18n::holidays_of(h.year)).size(size::BODY));
            col = col.push(caption(i18n::origin(h.origin.as_ref())));
            for d in &h.days {
                let mut line = format!(
                    "{}  {} — {}",
                    d.date.format("%d/%m/%Y"),
                    d.name,
                    d.kind.label_vi()
                );
                if !d.confirmed {
                    line.push_str(T::Unconfirmed.vi());
                }
                col = col.push(text(line).size(size::BODY));
            }
        }
        col.push(
            self.field(Input::ImportFile, T::ImportSchedule.vi())
                .hint(Some(T::ImportScheduleHint.vi().to_string()))
                .view(),
        )
        .into()
    }

    fn accounts_view<'a>(&'a self, l: &'a Loaded) -> Element<'a, Message> {
        let mut col = column![heading(T::AccountsTitle.vi())].spacing(space::S);
        for u in &l.users {
            let role = match u.role {
                Role::Admin => T::RoleAdmin.vi(),
                Role::Clerk => T::RoleClerk.vi(),
                Role::Head => T::RoleHead.vi(),
            };
            let state = if u.active {
                T::Active.vi()
            } else {
                T::Inactive.vi()
            };
            let mut line = row![
                container(label(u.username.as_str())).width(Length::Fixed(120.0)),
                container(text(u.full_name.clone()).size(size::BODY)).width(Length::Fixed(220.0)),
                container(caption(role)).width(Length::Fixed(110.0)),
                container(caption(state)).width(Length::Fixed(110.0)),
                button(text(T::ResetPassword.vi()).size(size::SMALL))
                    .style(theme::secondary_button)
                    .on_press(Message::StartReset(u.username.clone())),
                button(
                    text(if u.active {
                        T::Deactivate.vi()
                    } else {
                        T::Reactivate.vi()
                    })
                    .size(size::SMALL)
                )
                .style(theme::secondary_button)
                .on_press(Message::ToggleActive(u.username.clone(), !u.active)),
            ]
            .spacing(space::S)
            .align_y(iced::Alignment::Center);
            if self.resetting.as_deref() == Some(u.username.as_str()) {
                line = line.push(caption(T::Resetting.vi()));
            }
            col = col.push(line);
        }
        col = col
            .push(
                self.field(Input::ResetWho, T::ResetWho.vi())
                    .hint(Some(T::AccountWhoHint.vi().to_string()))
                    .view(),
            )
            .push(
                self.field(Input::ToggleWho, T::ToggleWho.vi())
                    .hint(Some(T::AccountWhoHint.vi().to_string()))
                    .view(),
            );
        if self.resetting.is_some() {
            col = col
                .push(
                    self.field(Input::ResetPassword, T::Password.vi())
                        .secure()
                        .view(),
                )
                .push(
                    self.field(Input::ResetConfirm, T::PasswordConfirm.vi())
                        .secure()
                        .view(),
                );
        }
        let add: Column<'_, Message> = column![
            text(T::AddAccount.vi()).size(size::HEADING),
            self.field(Input::NewUsername, T::Username.vi()).view(),
            self.field(Input::NewFullName, T::FullName.vi()).view(),
            self.field(Input::NewRole, T::RoleChoice.vi()).view(),
            self.field(Input::NewPassword, T::Password.vi())
                .secure()
                .view(),
            self.field(Input::NewConfirm, T::PasswordConfirm.vi())
                .secure()
                .view(),
        ]
        .spacing(space::S);
        col.push(add).into()
    }

    fn backup_view(&self) -> Element<'_, Message> {
        column![
            heading(T::BackupTitle.vi()),
            self.field(Input::BackupFile, T::BackupFile.vi())
                .hint(Some(T::BackupHint.vi().to_string()))
                .view(),
        ]
        .spacing(space::S)
        .into()
    }
}

fn station_view(s: &StationInfo) -> Element<'_, Message> {
    column![
        heading(T::StationTitle.vi()),
        text(i18n::station_line(&s.agency_name, s.station_no.get())).size(size::BODY),
        caption(format!(
            "{} {} · {}",
            T::AgencyId.vi(),
            s.agency_id,
            s.parent_name.clone().unwrap_or_default()
        )),
    ]
    .spacing(space::XS)
    .into()
}

/// A sketch of the sheet: two A4 pages, or two A5 halves of one landscape A4.
fn layout_preview<'a>(value: &str) -> Element<'a, Message> {
    let page = |w: f32, h: f32, label: &'static str| {
        container(caption(label))
            .width(Length::Fixed(w))
            .height(Length::Fixed(h))
            .padding(space::XS)
            .style(theme::panel)
    };
    let sheet: Element<'a, Message> = if value.trim() == "a5x2" {
        container(row![page(70.0, 100.0, "Liên 1"), page(70.0, 100.0, "Liên 2")].spacing(space::XS))
            .padding(space::XS)
            .style(theme::panel)
            .into()
    } else {
        row![page(70.0, 100.0, "Liên 1"), page(70.0, 100.0, "Liên 2")]
            .spacing(space::L)
            .into()
    };
    row![caption(T::LayoutPreview.vi()), sheet]
        .spacing(space::M)
        .into()
}
