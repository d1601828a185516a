//! Returns (F3): the dossiers whose result is ready, oldest first, found by code, name or
//! ID number. Handing one over takes two keystrokes: Enter on the selected dossier asks
//! for the recipient (the applicant's name, ready), Enter again saves.

use crate::gui::focus;
use crate::gui::i18n::{self, T};
use crate::gui::theme::share::returns;
use crate::gui::theme::{self, size, space};
use crate::gui::widgets::{Field, caption, error_text, heading, list_row, slot};
use iced::keyboard::{Key, Modifiers, key::Named};
use iced::widget::{Column, column, container, operation, row, scrollable, text};
use iced::{Element, Length, Task};
use motcua_app::AppError;
use motcua_app::register::RegisterRow;

const SEARCH: &str = "returns-search";
const RECIPIENT: &str = "returns-recipient";
/// The most dossiers the queue shows at once (older ones come as these are handed back).
pub const QUEUE: usize = 200;

/// What the screen sends up.
#[derive(Debug, Clone)]
pub enum Message {
    Search(String),
    /// Enter in the search field: hand over the selected dossier.
    SearchEntered,
    Recipient(String),
    /// Enter in the recipient field: save.
    Confirm,
    Clicked(usize),
    Loaded(String, Result<Vec<RegisterRow>, AppError>),
    HandedBack(Result<String, AppError>),
}

/// What the root must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Read the queue for a search text.
    Load(String),
    HandBack {
        code: String,
        recipient: String,
    },
}

type Step = (Task<Message>, Option<Action>);

/// The screen's state.
#[derive(Debug, Default)]
pub struct Returns {
    search: String,
    rows: Vec<RegisterRow>,
    selected: usize,
    /// The dossier being handed over, and who takes it.
    handing: Option<(String, String)>,
    outcome: Option<Result<String, String>>,
    working: bool,
}

impl Returns {
    /// Shows the screen: the queue is read again.
    pub fn show(&mut self) -> Step {
        (focus::to(SEARCH), Some(Action::Load(self.search.clone())))
    }

    pub fn update(&mut self, m: Message) -> Step {
        match m {
            Message::Search(v) => {
                self.search = motcua_core::text::nfc(&v);
                self.handing = None;
                (Task::none(), Some(Action::Load(self.search.clone())))
            }
            Message::SearchEntered => self.start(),
            Message::Clicked(i) => {
                self.selected = i;
                self.start()
            }
            Message::Recipient(v) => {
                if let Some((_, r)) = &mut self.handing {
                    *r = motcua_core::text::nfc(&v);
                }
                (Task::none(), None)
            }
            Message::Confirm => match &self.handing {
                Some((code, recipient)) if !self.working => {
                    self.working = true;
                    (
                        Task::none(),
                        Some(Action::HandBack {
                            code: code.clone(),
                            recipient: recipient.clone(),
                        }),
                    )
                }
                _ => (Task::none(), None),
            },
            Message::Loaded(q, r) => {
                if q == self.search {
                    match r {
                        Ok(rows) => {
                            self.rows = rows;
                            self.selected = self.selected.min(self.rows.len().saturating_sub(1));
                        }
                        Err(e) => self.outcome = Some(Err(e.to_string())),
                    }
                }
                (Task::none(), None)
            }
            Message::HandedBack(r) => {
                self.working = false;
                match r {
                    Ok(line) => {
                        self.handing = None;
                        self.outcome = Some(Ok(line));
                        (focus::to(SEARCH), Some(Action::Load(self.search.clone())))
                    }
                    Err(e) => {
                        self.outcome = Some(Err(e.to_string()));
                        (Task::none(), None)
                    }
                }
            }
        }
    }

    fn start(&mut self) -> Step {
        let Some(r) = self.rows.get(self.selected) else {
            return (Task::none(), None);
        };
        self.handing = Some((r.summary.code.clone(), r.summary.applicant_name.clone()));
        self.outcome = None;
        (
            Task::batch([focus::to(RECIPIENT), operation::select_all(RECIPIENT)]),
            None,
        )
    }

    /// Up/Down move the selection; Esc drops a hand-over not yet saved.
    pub fn key(&mut self, key: &Key, _modifiers: Modifiers) -> Step {
        match key.as_ref() {
            Key::Named(Named::ArrowDown) => {
                self.selected = (self.selected + 1).min(self.rows.len().saturating_sub(1));
            }
            Key::Named(Named::ArrowUp) => self.selected = self.selected.saturating_sub(1),
            Key::Named(Named::Escape) if self.handing.is_some() => {
                self.handing = None;
                return (focus::to(SEARCH), None);
            }
            _ => {}
        }
        (Task::none(), None)
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut col = column![
            heading(T::TabReturns.vi()),
            Field::new(
                T::ReturnsSearch.vi(),
                SEARCH,
                &self.search,
                Message::Search,
                Message::SearchEntered,
            )
            .view(),
            caption(i18n::ready_count(self.rows.len())),
        ]
        .spacing(space::S);
        col = col.push(slot(self.outcome.as_ref().map(|o| match o {
            Ok(line) => caption(line.as_str()),
            Err(line) => error_text(line.as_str()),
        })));
        if let Some((code, recipient)) = &self.handing {
            col = col.push(
                container(
                    column![
                        text(i18n::handing_back(code)).size(size::HEADING),
                        Field::new(
                            T::Recipient.vi(),
                            RECIPIENT,
                            recipient,
                            Message::Recipient,
                            Message::Confirm,
                        )
                        .hint(Some(T::HandBackHint.vi().to_string()))
                        .view(),
                    ]
                    .spacing(space::S),
                )
                .padding(space::M)
                .style(theme::panel),
            );
        }
        let mut list = Column::new().spacing(0);
        for (i, r) in self.rows.iter().enumerate() {
            let s = &r.summary;
            let line = row![
                container(text(s.code.clone()).size(size::BODY))
                    .width(Length::FillPortion(returns::CODE)),
                container(text(s.received_at.format("%d/%m/%Y").to_string()).size(size::BODY))
                    .width(Length::FillPortion(returns::RECEIVED)),
                container(text(s.applicant_name.clone()).size(size::BODY))
                    .width(Length::FillPortion(returns::APPLICANT)),
                container(text(super::register::id_shown(s).to_string()).size(size::BODY))
                    .width(Length::FillPortion(returns::ID_NUMBER)),
                container(
                    text(s.procedure_name.clone())
                        .size(size::BODY)
                        .wrapping(text::Wrapping::None)
                )
                .width(Length::FillPortion(returns::PROCEDURE))
                .clip(true),
            ]
            .spacing(space::S);
            list = list.push(list_row(line, i == self.selected, Message::Clicked(i)));
        }
        col.push(scrollable(list).height(Length::Fill))
            .push(caption(T::ReturnsKeys.vi()))
            .padding([space::S, space::L])
            .into()
    }
}
