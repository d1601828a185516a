//! The access log (F7), for an admin (the office head): who opened, searched, printed or
//! exported which dossiers, newest first, filtered by a citizen's whole ID number (every
//! dossier naming them), an account or a day. Filters apply with Enter, never per key: a
//! review by ID number is itself an entry of the log. Ctrl+P answers the citizen whose
//! number is typed: the letter (kept with its JSON in the receipts folder) printed.

use crate::gui::focus;
use crate::gui::i18n::{self, T};
use crate::gui::theme::share::access as share;
use crate::gui::theme::{size, space};
use crate::gui::widgets::{Field, caption, error_text, heading, slot};
use iced::keyboard::{Key, Modifiers};
use iced::widget::{Column, column, container, row, scrollable, text};
use iced::{Element, Length, Task};
use motcua_app::AccessEntry;
use motcua_app::AppError;
use motcua_app::access::AccessQuery;

const ID: &str = "access-id";
const CLERK: &str = "access-clerk";
const DAY: &str = "access-day";
/// The most entries shown at once.
pub const MOST: usize = 500;

/// What the screen sends up.
#[derive(Debug, Clone)]
pub enum Message {
    IdNumber(String),
    Clerk(String),
    Day(String),
    /// Enter in a filter: read the log with the filters as typed.
    Apply,
    Loaded(Result<Vec<AccessEntry>, AppError>),
    /// The answer to a citizen's request drawn up and printed: how it went.
    Answered(Result<String, String>),
}

/// What the root must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Load(AccessQuery),
    /// Answer the request of the citizen with this number: the letter, printed.
    Answer(String),
}

type Step = (Task<Message>, Option<Action>);

/// The screen's state.
#[derive(Debug, Default)]
pub struct AccessLog {
    id_number: String,
    clerk: String,
    day: String,
    entries: Vec<AccessEntry>,
    outcome: Option<Result<String, String>>,
}

impl AccessLog {
    /// Shows the screen: the newest entries (the filters as they were, but a citizen's
    /// number, whose review is logged, only on Enter).
    pub fn show(&mut self) -> Step {
        self.id_number.clear();
        let step = self.apply();
        (Task::batch([focus::to(ID), step.0]), step.1)
    }

    pub fn update(&mut self, m: Message) -> Step {
        match m {
            Message::IdNumber(v) => self.id_number = v,
            Message::Clerk(v) => self.clerk = motcua_core::text::nfc(&v),
            Message::Day(v) => self.day = v,
            Message::Apply => return self.apply(),
            Message::Loaded(Ok(entries)) => self.entries = entries,
            Message::Loaded(Err(e)) => self.outcome = Some(Err(e.to_string())),
            // The list is read again on Enter (a read by number is itself logged).
            Message::Answered(r) => self.outcome = Some(r),
        }
        (Task::none(), None)
    }

    /// Ctrl+P: the answer to the citizen whose number is typed.
    pub fn key(&mut self, key: &Key, modifiers: Modifiers) -> Step {
        match key.as_ref() {
            Key::Character("p") if modifiers.command() => {
                let id = self.id_number.trim().to_string();
                if id.is_empty() {
                    self.outcome = Some(Err(T::AccessAnswerNeedsId.vi().to_string()));
                    return (focus::to(ID), None);
                }
                self.outcome = None;
                (Task::none(), Some(Action::Answer(id)))
            }
            _ => (Task::none(), None),
        }
    }

    /// The query the filters make, or why the day does not read.
    fn apply(&mut self) -> Step {
        let text = |s: &str| {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        };
        let day = match text(&self.day) {
            None => None,
            Some(d) => match motcua_core::calendar::parse_date(&d) {
                Ok(d) => Some(d),
                Err(_) => {
                    self.outcome = Some(Err(T::AccessDayFormat.vi().to_string()));
                    return (focus::to(DAY), None);
                }
            },
        };
        let q = AccessQuery {
            id_number: text(&self.id_number),
            clerk: text(&self.clerk),
            from: day,
            to: day,
            limit: MOST,
        };
        (Task::none(), Some(Action::Load(q)))
    }

    pub fn view(&self) -> Element<'_, Message> {
        let field = |label, id, value, on: fn(String) -> Message| {
            container(Field::new(label, id, value, on, Message::Apply).view()).width(Length::Fill)
        };
        let filters = row![
            field(
                T::AccessIdNumber.vi(),
                ID,
                &self.id_number,
                Message::IdNumber
            ),
            field(T::AccessClerk.vi(), CLERK, &self.clerk, Message::Clerk),
            field(T::AccessDay.vi(), DAY, &self.day, Message::Day),
        ]
        .spacing(space::M);
        let mut col = column![
            heading(T::TabAccess.vi()),
            filters,
            caption(i18n::access_count(self.entries.len(), MOST)),
        ]
        .spacing(space::S);
        col = col.push(slot(self.outcome.as_ref().map(|o| match o {
            Ok(line) => caption(line.as_str()),
            Err(line) => error_text(line.as_str()),
        })));
        let mut list = Column::new().spacing(space::XS);
        for e in &self.entries {
            let at = chrono::DateTime::parse_from_rfc3339(&e.at)
                .map(|t| t.format("%d/%m/%Y %H:%M:%S").to_string())
                .unwrap_or_else(|_| e.at.clone());
            let what = line(e);
            let cell = |s: String, share: u16| {
                container(text(s).size(size::BODY)).width(Length::FillPortion(share))
            };
            list = list.push(
                row![
                    cell(at, share::AT),
                    cell(e.clerk.clone(), share::CLERK),
                    cell(what, share::WHAT),
                ]
                .spacing(space::S),
            );
        }
        col.push(scrollable(list).height(Length::Fill))
            .push(caption(T::AccessKeys.vi()))
            .padding([space::S, space::L])
            .into()
    }
}

/// What an entry says: the action, what was done, the citizen asked about (masked) and
/// the dossiers.
pub fn line(e: &AccessEntry) -> String {
    let mut what = format!("{}: {}", e.access.action.label(), e.access.what);
    if let Some(s) = &e.access.subject {
        what.push_str(&format!(" [{}: {s}]", T::AccessSubject.vi()));
    }
    // A long list names its first dossiers and counts the rest (the command line's
    // `access-log` lists them all).
    let codes = &e.access.dossiers;
    if !codes.is_empty() {
        let shown = codes.len().min(SHOWN_CODES);
        what.push_str(&format!(" — {}", codes[..shown].join(", ")));
        if codes.len() > shown {
            what.push_str(&i18n::more_dossiers(codes.len() - shown));
        }
    }
    what
}

/// The most dossier codes an entry's line names.
const SHOWN_CODES: usize = 3;
