//! Register (F2): search as you type over every dossier, filters, a list that stays smooth
//! at a million rows (fixed-height rows, only the visible ones built, pages read from the
//! register as they come into view), Enter opens the dossier. Overdue rows are red and
//! due-soon rows amber, as the application layer derives them. The ledger of a date range
//! is printed or saved from here.

use crate::gui::focus;
use crate::gui::i18n::{self, T};
use crate::gui::screen::dossier;
use crate::gui::theme::share::register as share;
use crate::gui::theme::{self, height, size, space};
use crate::gui::widgets::{caption, error_text, heading};
use iced::keyboard::{Key, Modifiers, key::Named};
use iced::widget::{
    Column, Space, button, column, container, mouse_area, operation, row, scrollable, text,
    text_input,
};
use iced::{Element, Length, Task};
use motcua_app::AppError;
use motcua_app::register::{DueFilter, ListSize, RegisterQuery, RegisterRow, Sort, Timeliness};
use motcua_core::status::Status;
use std::collections::{BTreeMap, HashSet};

/// Height of one row of the list, in logical pixels.
pub const ROW_H: f32 = height::REGISTER_ROW;
/// Rows read at once.
pub const PAGE: u64 = 100;
/// Rows built beyond the visible ones, above and below.
const OVERSCAN: u64 = 8;
/// Pages kept in memory (the rest are read again when they come back into view).
const KEEP_PAGES: usize = 30;

const SEARCH: &str = "register-search";
const FROM: &str = "register-from";
const TO: &str = "register-to";
const PROCEDURE: &str = "register-procedure";
const LIST: &str = "register-list";

/// A field of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Search,
    From,
    To,
    Procedure,
}

/// What the screen sends up.
#[derive(Debug, Clone)]
pub enum Message {
    Edited(Input, String),
    /// Enter in a field: open the selected dossier.
    Entered,
    Due(DueFilter),
    /// Next status filter (any → received → … → any).
    NextStatus,
    /// Received order ↔ appointment order.
    NextSort,
    Scrolled(scrollable::Viewport),
    /// A row clicked (selects), or double use: open.
    Clicked(u64),
    OpenSelected,
    PrintLedger,
    SaveLedger,
    /// The size of the list for a generation of the query.
    Sized(u64, Result<ListSize, AppError>),
    /// A page of rows for a generation of the query.
    Paged(u64, u64, Result<Vec<RegisterRow>, AppError>),
    /// The ledger was printed or saved.
    Ledgered(Result<String, AppError>),
    Dossier(dossier::Message),
}

/// What the root must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Count the list of `query` (generation `gen`).
    Count {
        generation: u64,
        query: RegisterQuery,
    },
    /// Read page `page` of the list.
    Page {
        generation: u64,
        query: RegisterQuery,
        page: u64,
    },
    /// Open the dossier `code`.
    Open(String),
    /// Print or save the ledger of the typed date range.
    Ledger {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        save: bool,
    },
    Dossier(dossier::Action),
}

type Step = (Task<Message>, Vec<Action>);

/// The screen's state.
#[derive(Debug)]
pub struct Register {
    pub query: RegisterQuery,
    search: String,
    from: String,
    to: String,
    procedure: String,
    generation: u64,
    size: Option<ListSize>,
    pages: BTreeMap<u64, Vec<RegisterRow>>,
    asked: HashSet<u64>,
    selected: u64,
    offset_y: f32,
    view_h: f32,
    problem: Option<String>,
    notice: Option<String>,
    /// The dossier opened from the list (Esc goes back to the list, where it was).
    pub opened: Option<dossier::DossierView>,
    /// The station's date (the default ledger range).
    pub today: Option<chrono::NaiveDate>,
    /// A background count is on its way; the rows stay if the count did not change.
    refreshing: bool,
    /// The current generation, shared with the jobs it asks for: a job of an older one
    /// (the clerk typed on) is skipped rather than run.
    pub latest: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Default for Register {
    fn default() -> Self {
        Register {
            query: RegisterQuery::default(),
            search: String::new(),
            from: String::new(),
            to: String::new(),
            procedure: String::new(),
            generation: 0,
            size: None,
            pages: BTreeMap::new(),
            asked: HashSet::new(),
            selected: 0,
            offset_y: 0.0,
            view_h: height::REGISTER_FIRST_VIEW,
            problem: None,
            notice: None,
            opened: None,
            today: None,
            refreshing: false,
            latest: Default::default(),
        }
    }
}

/// `dd/mm/yyyy` as a date (also `yyyy-mm-dd`); empty is none.
fn date(s: &str) -> Result<Option<chrono::NaiveDate>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    motcua_core::calendar::parse_date(s)
        .map(Some)
        .map_err(|e| e.to_string())
}

impl Register {
    /// The dossier asked for with [`Action::Open`] was read.
    pub fn opened(&mut self, r: Result<motcua_app::register::Detail, AppError>) {
        match r {
            Ok(d) => self.opened = Some(dossier::DossierView::new(d)),
            Err(e) => self.problem = Some(e.to_string()),
        }
    }

    /// Counts the list again in the background (the clock moved on, the CLI or sync may
    /// have added dossiers); the rows on screen stay unless the count changed.
    pub fn refresh(&mut self) -> Option<Action> {
        if self.opened.is_some() {
            return None;
        }
        self.generation += 1;
        self.latest
            .store(self.generation, std::sync::atomic::Ordering::Relaxed);
        self.refreshing = true;
        // Answers to the old generation are dropped: their pages must be asked again.
        self.asked.clear();
        Some(Action::Count {
            generation: self.generation,
            query: self.query.clone(),
        })
    }

    /// Shows the screen: the list is read again (dossiers may have come in meanwhile).
    pub fn show(&mut self) -> Step {
        let focus = match &self.opened {
            Some(_) => Task::none(),
            None => focus::to(SEARCH),
        };
        (focus, vec![self.reload()])
    }

    /// Reads the list again for the current query, keeping the selection.
    pub fn reload(&mut self) -> Action {
        self.generation += 1;
        self.latest
            .store(self.generation, std::sync::atomic::Ordering::Relaxed);
        self.refreshing = false;
        self.pages.clear();
        self.asked.clear();
        Action::Count {
            generation: self.generation,
            query: self.query.clone(),
        }
    }

    fn requery(&mut self) -> Step {
        self.selected = 0;
        self.offset_y = 0.0;
        self.size = None;
        let count = self.reload();
        (
            operation::scroll_to(LIST, scrollable::AbsoluteOffset { x: 0.0, y: 0.0 }),
            vec![count],
        )
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Step {
        match message {
            Message::Edited(i, v) => self.edited(i, v),
            Message::Entered | Message::OpenSelected => self.open_selected(),
            Message::Due(d) => {
                self.query.due = d;
                self.requery()
            }
            Message::NextStatus => {
                self.query.status = next_status(self.query.status);
                self.requery()
            }
            Message::NextSort => {
                self.query.sort = match self.query.sort {
                    Sort::Received => Sort::Due,
                    _ => Sort::Received,
                };
                self.requery()
            }
            Message::Scrolled(vp) => {
                self.offset_y = vp.absolute_offset().y;
                self.view_h = vp.bounds().height;
                (Task::none(), self.missing_pages())
            }
            Message::Clicked(i) => {
                if self.selected == i {
                    return self.open_selected();
                }
                self.selected = i;
                (Task::none(), Vec::new())
            }
            Message::PrintLedger => self.ledger(false),
            Message::SaveLedger => self.ledger(true),
            Message::Sized(generation, r) => {
                if generation != self.generation {
                    return (Task::none(), Vec::new());
                }
                match r {
                    Ok(size) => {
                        if std::mem::take(&mut self.refreshing) && self.size != Some(size) {
                            self.pages.clear();
                            self.asked.clear();
                        }
                        self.size = Some(size);
                        self.problem = None;
                        self.selected = self.selected.min(size.rows.saturating_sub(1));
                        (Task::none(), self.missing_pages())
                    }
                    Err(e) => {
                        self.problem = Some(e.to_string());
                        (Task::none(), Vec::new())
                    }
                }
            }
            Message::Paged(generation, page, r) => {
                if generation != self.generation {
                    return (Task::none(), Vec::new());
                }
                self.asked.remove(&page);
                match r {
                    Ok(rows) => {
                        self.pages.insert(page, rows);
                        self.forget_far_pages();
                    }
                    Err(e) => self.problem = Some(e.to_string()),
                }
                (Task::none(), Vec::new())
            }
            Message::Ledgered(r) => {
                match r {
                    Ok(line) => {
                        self.notice = Some(line);
                        self.problem = None;
                    }
                    Err(e) => self.problem = Some(e.to_string()),
                }
                (Task::none(), Vec::new())
            }
            Message::Dossier(m) => self.dossier(m),
        }
    }

    fn dossier(&mut self, m: dossier::Message) -> Step {
        let Some(view) = &mut self.opened else {
            return (Task::none(), Vec::new());
        };
        let (task, action) = view.update(m);
        let task = task.map(Message::Dossier);
        match action {
            Some(dossier::Action::Close) => {
                self.opened = None;
                let reload = self.reload();
                (Task::batch([task, focus::to(SEARCH)]), vec![reload])
            }
            Some(a) => (task, vec![Action::Dossier(a)]),
            None => (task, Vec::new()),
        }
    }

    fn edited(&mut self, i: Input, v: String) -> Step {
        let v = motcua_core::text::nfc(&v);
        match i {
            Input::Search => {
                self.search = v.clone();
                self.query.text = v;
                self.requery()
            }
            Input::Procedure => {
                self.procedure = v.clone();
                let code = v.trim();
                self.query.procedure =
                    motcua_core::catalog::is_procedure_code(code).then(|| code.to_string());
                self.requery()
            }
            Input::From | Input::To => {
                if i == Input::From {
                    self.from = v;
                } else {
                    self.to = v;
                }
                match (date(&self.from), date(&self.to)) {
                    (Ok(from), Ok(to)) => {
                        self.problem = None;
                        self.query.received_from = from;
                        self.query.received_to = to;
                        self.requery()
                    }
                    (Err(e), _) | (_, Err(e)) => {
                        self.problem = Some(e);
                        (Task::none(), Vec::new())
                    }
                }
            }
        }
    }

    fn ledger(&mut self, save: bool) -> Step {
        let today = self.today.unwrap_or_default();
        let from = date(&self.from).ok().flatten().unwrap_or(today);
        let to = date(&self.to).ok().flatten().unwrap_or(from);
        (Task::none(), vec![Action::Ledger { from, to, save }])
    }

    fn open_selected(&mut self) -> Step {
        match self.row(self.selected) {
            Some(r) => (Task::none(), vec![Action::Open(r.summary.code.clone())]),
            None => (Task::none(), Vec::new()),
        }
    }

    /// Keys no field used (and Home/End, which the search field also takes).
    pub fn key(&mut self, key: &Key, modifiers: Modifiers) -> Step {
        if let Some(view) = &mut self.opened {
            let (task, action) = view.key(key, modifiers);
            let task = task.map(Message::Dossier);
            return match action {
                Some(dossier::Action::Close) => {
                    self.opened = None;
                    let reload = self.reload();
                    (Task::batch([task, focus::to(SEARCH)]), vec![reload])
                }
                Some(a) => (task, vec![Action::Dossier(a)]),
                None => (task, Vec::new()),
            };
        }
        // The filters first: an empty list must not keep the clerk in it.
        match key.as_ref() {
            Key::Character("1") if modifiers.command() => {
                return self.update(Message::Due(DueFilter::Any));
            }
            Key::Character("2") if modifiers.command() => {
                return self.update(Message::Due(DueFilter::Overdue));
            }
            Key::Character("3") if modifiers.command() => {
                return self.update(Message::Due(DueFilter::DueSoon));
            }
            Key::Character("4") if modifiers.command() => return self.update(Message::NextStatus),
            Key::Character("5") if modifiers.command() => return self.update(Message::NextSort),
            Key::Character("p") if modifiers.command() => return self.ledger(false),
            _ => {}
        }
        let rows = self.size.map_or(0, |s| s.rows);
        if rows == 0 {
            return (Task::none(), Vec::new());
        }
        let page = ((self.view_h / ROW_H) as u64).max(1);
        let to = match key.as_ref() {
            Key::Named(Named::ArrowDown) => self.selected.saturating_add(1),
            Key::Named(Named::ArrowUp) => self.selected.saturating_sub(1),
            Key::Named(Named::PageDown) => self.selected.saturating_add(page),
            Key::Named(Named::PageUp) => self.selected.saturating_sub(page),
            Key::Named(Named::Home) => 0,
            Key::Named(Named::End) => rows - 1,
            _ => return (Task::none(), Vec::new()),
        };
        self.select(to.min(rows - 1))
    }

    /// Esc: back from an opened dossier to the list (or close its open form).
    pub fn escape(&mut self) -> Step {
        self.key(&Key::Named(Named::Escape), Modifiers::empty())
    }

    /// Selects row `i` and scrolls so that it is in sight.
    fn select(&mut self, i: u64) -> Step {
        self.selected = i;
        let top = i as f32 * ROW_H;
        let bottom = top + ROW_H;
        let y = if top < self.offset_y {
            top
        } else if bottom > self.offset_y + self.view_h {
            bottom - self.view_h
        } else {
            return (Task::none(), self.missing_pages());
        };
        self.offset_y = y;
        (
            operation::scroll_to(LIST, scrollable::AbsoluteOffset { x: 0.0, y }),
            self.missing_pages(),
        )
    }

    /// The rows in sight (plus overscan), as a range of row numbers.
    fn visible(&self) -> std::ops::Range<u64> {
        let rows = self.size.map_or(0, |s| s.rows);
        let first = ((self.offset_y / ROW_H) as u64).saturating_sub(OVERSCAN);
        let last = (((self.offset_y + self.view_h) / ROW_H).ceil() as u64 + OVERSCAN).min(rows);
        first.min(last)..last
    }

    /// Asks for the pages of the rows in sight that are neither here nor asked for.
    fn missing_pages(&mut self) -> Vec<Action> {
        let range = self.visible();
        if range.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for page in range.start / PAGE..=(range.end - 1) / PAGE {
            if !self.pages.contains_key(&page) && self.asked.insert(page) {
                out.push(Action::Page {
                    generation: self.generation,
                    query: self.query.clone(),
                    page,
                });
            }
        }
        out
    }

    /// Keeps memory bounded while scrolling far: the pages farthest from the view go.
    fn forget_far_pages(&mut self) {
        let here = self.visible().start / PAGE;
        while self.pages.len() > KEEP_PAGES {
            let (&first, _) = self
                .pages
                .first_key_value()
                .expect("more than KEEP_PAGES pages");
            let (&last, _) = self
                .pages
                .last_key_value()
                .expect("more than KEEP_PAGES pages");
            let drop = if here.abs_diff(first) > here.abs_diff(last) {
                first
            } else {
                last
            };
            self.pages.remove(&drop);
        }
    }

    /// Whether the selected row lies wholly inside the list's viewport.
    #[cfg(test)]
    pub fn selection_in_sight(&self) -> bool {
        let top = self.selected as f32 * ROW_H;
        top >= self.offset_y && top + ROW_H <= self.offset_y + self.view_h + 0.5
    }

    fn row(&self, i: u64) -> Option<&RegisterRow> {
        self.pages
            .get(&(i / PAGE))
            .and_then(|p| p.get((i % PAGE) as usize))
    }

    /// The screen.
    pub fn view(&self) -> Element<'_, Message> {
        if let Some(d) = &self.opened {
            return d.view().map(Message::Dossier);
        }
        let filters = row![
            filter_button(
                T::FilterAll.vi(),
                self.query.due == DueFilter::Any,
                Message::Due(DueFilter::Any)
            ),
            filter_button(
                T::FilterOverdue.vi(),
                self.query.due == DueFilter::Overdue,
                Message::Due(DueFilter::Overdue)
            ),
            filter_button(
                T::FilterDueSoon.vi(),
                self.query.due == DueFilter::DueSoon,
                Message::Due(DueFilter::DueSoon)
            ),
            filter_button(
                &i18n::status_filter(self.query.status),
                false,
                Message::NextStatus
            ),
            filter_button(&i18n::sort_label(self.query.sort), false, Message::NextSort),
        ]
        .spacing(space::XS);
        let inputs = row![
            field(
                SEARCH,
                T::RegisterSearch.vi(),
                &self.search,
                Input::Search,
                Length::FillPortion(share::SEARCH)
            ),
            field(
                FROM,
                T::FromDate.vi(),
                &self.from,
                Input::From,
                Length::FillPortion(share::FILTER)
            ),
            field(
                TO,
                T::ToDate.vi(),
                &self.to,
                Input::To,
                Length::FillPortion(share::FILTER)
            ),
            field(
                PROCEDURE,
                T::ProcedureCode.vi(),
                &self.procedure,
                Input::Procedure,
                Length::FillPortion(share::FILTER)
            ),
        ]
        .spacing(space::S);
        let count: Element<'_, Message> = match self.size {
            None => caption(T::Counting.vi()),
            Some(s) if s.rows > 0 => row![
                caption(i18n::list_size(s.rows, s.capped)),
                caption(i18n::selected_row(self.selected + 1, s.rows)),
            ]
            .spacing(space::M)
            .into(),
            Some(s) => caption(i18n::list_size(s.rows, s.capped)),
        };
        let ledger = row![
            button(text(T::OpenDossier.vi()).size(size::SMALL))
                .style(theme::primary_button)
                .on_press(Message::OpenSelected),
            button(text(T::PrintLedger.vi()).size(size::SMALL))
                .style(theme::secondary_button)
                .on_press(Message::PrintLedger),
            button(text(T::SaveLedger.vi()).size(size::SMALL))
                .style(theme::secondary_button)
                .on_press(Message::SaveLedger),
        ]
        .spacing(space::S);
        let mut top = column![
            row![
                heading(T::TabRegister.vi()),
                iced::widget::space::horizontal(),
                ledger
            ]
            .align_y(iced::Alignment::Center),
            inputs,
            row![filters, iced::widget::space::horizontal(), count]
                .align_y(iced::Alignment::Center),
        ]
        .spacing(space::S);
        if let Some(p) = &self.problem {
            top = top.push(error_text(p.as_str()));
        }
        if let Some(n) = &self.notice {
            top = top.push(caption(n.as_str()));
        }
        column![top, header(), self.list(), caption(T::RegisterKeys.vi())]
            .spacing(space::S)
            .padding([space::S, space::L])
            .into()
    }

    fn list(&self) -> Element<'_, Message> {
        let rows = self.size.map_or(0, |s| s.rows);
        let range = self.visible();
        let mut col = Column::new().push(Space::new().height(range.start as f32 * ROW_H));
        for i in range.clone() {
            col = col.push(self.line(i));
        }
        col = col.push(Space::new().height(rows.saturating_sub(range.end) as f32 * ROW_H));
        scrollable(col)
            .id(LIST)
            .on_scroll(Message::Scrolled)
            .height(Length::Fill)
            .width(Length::Fill)
            .into()
    }

    fn line(&self, i: u64) -> Element<'_, Message> {
        let selected = i == self.selected;
        let content: Element<'_, Message> = match self.row(i) {
            None => cell("…", 1),
            Some(r) => {
                let s = &r.summary;
                let due = s
                    .due_at
                    .map(|d| d.format("%H:%M %d/%m/%Y").to_string())
                    .unwrap_or_default();
                let line = row![
                    cell(&s.code, share::CODE),
                    cell(
                        &s.received_at.format("%H:%M %d/%m/%Y").to_string(),
                        share::RECEIVED
                    ),
                    cell(&s.applicant_name, share::APPLICANT),
                    cell(id_shown(s), share::ID_NUMBER),
                    cell(&s.procedure_name, share::PROCEDURE),
                    cell(s.status.label(), share::STATUS),
                    cell(&due, share::DUE),
                ]
                .spacing(space::S);
                // The selected row keeps the highlight's own colours, readable on it.
                let timeliness = if selected {
                    Timeliness::OnTime
                } else {
                    r.timeliness
                };
                container(line)
                    .style(move |t: &iced::Theme| {
                        let c = theme::colors(t);
                        iced::widget::container::Style {
                            text_color: match timeliness {
                                Timeliness::Overdue => Some(c.overdue),
                                Timeliness::DueSoon => Some(c.due_soon),
                                Timeliness::OnTime => None,
                            },
                            ..Default::default()
                        }
                    })
                    .into()
            }
        };
        let boxed = container(content)
            .height(ROW_H)
            .width(Length::Fill)
            .padding([space::XS, space::S])
            .clip(true);
        let boxed = if selected {
            boxed.style(theme::selected_row)
        } else {
            boxed
        };
        mouse_area(boxed).on_press(Message::Clicked(i)).into()
    }
}

fn next_status(s: Option<Status>) -> Option<Status> {
    match s {
        None => Some(Status::ALL[0]),
        Some(s) => {
            let i = Status::ALL.iter().position(|x| *x == s).unwrap_or(0);
            Status::ALL.get(i + 1).copied()
        }
    }
}

fn cell<'a>(s: &str, portion: u16) -> Element<'a, Message> {
    container(
        text(s.to_string())
            .size(size::BODY)
            .wrapping(text::Wrapping::None),
    )
    .width(Length::FillPortion(portion))
    .clip(true)
    .into()
}

fn header<'a>() -> Element<'a, Message> {
    let h = |s: &'static str, p: u16| -> Element<'a, Message> {
        container(text(s).size(size::LABEL).font(theme::BOLD))
            .width(Length::FillPortion(p))
            .into()
    };
    container(
        row![
            h(T::DossierCode.vi(), share::CODE),
            h(T::ReceivedAt.vi(), share::RECEIVED),
            h(T::Applicant.vi(), share::APPLICANT),
            h(T::IdColumn.vi(), share::ID_NUMBER),
            h(T::Procedure.vi(), share::PROCEDURE),
            h(T::Status.vi(), share::STATUS),
            h(T::Due.vi(), share::DUE),
        ]
        .spacing(space::S),
    )
    .padding([0.0, space::S])
    .into()
}

fn filter_button<'a>(label: &str, active: bool, msg: Message) -> Element<'a, Message> {
    button(text(label.to_string()).size(size::SMALL))
        .padding([space::XS, space::S])
        .style(theme::tab(active))
        .on_press(msg)
        .into()
}

fn field<'a>(
    id: &'static str,
    placeholder: &'static str,
    value: &'a str,
    input: Input,
    width: Length,
) -> Element<'a, Message> {
    text_input(placeholder, value)
        .id(id)
        .on_input(move |v| Message::Edited(input, v))
        .on_submit(Message::Entered)
        .size(size::BODY)
        .padding(space::S)
        .width(width)
        .style(theme::input(false))
        .into()
}

/// The applicant's ID number as a list shows it: masked (the whole number is only on the
/// dossier's own screen).
pub(crate) fn id_shown(s: &motcua_app::DossierSummary) -> &str {
    s.id_masked.as_deref().unwrap_or("")
}
