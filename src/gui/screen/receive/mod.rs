//! Receive (the home screen): procedure (→ its case, and where the catalogue asks, the
//! published term that applies, the listing's term or the appointment) → the documents
//! handed in → applicant (a person or an organisation) (→ the authorised person who
//! hands it in) → channel, result delivery, fee, sets → the appointment → Save and print
//! (Ctrl+S).
//!
//! Keyboard: with the procedure field empty the suggestions are this counter's most
//! received procedures (Enter takes the first); typing searches the catalogue (Up/Down
//! move the highlight, Enter takes it). Enter in any field goes to the next one; after the
//! procedure it visits only what the catalogue asks for. The marks field takes one key
//! per document handed in (its number in the checklist; nothing counts as handed in until
//! marked). A chip-ID-card QR string typed into any field by a scanner fills the
//! applicant and leaves no trace; choice fields take a digit (1, 2); a document's "số
//! bản" field takes its count and a letter for its kind (c, s, t). The applicant is a
//! person unless the clerk presses Ctrl+T (an organisation; again: a person): a person,
//! the usual case, costs no key and has no field in the Enter/Tab order. Esc closes the
//! suggestions; a second Esc asks before clearing the form. Every rule (validation,
//! term, due date, QR shape, ID decoding) is the application layer's or the core's.

mod draft;
mod scanner;
mod view;

pub use draft::{DOC_KEYS, DocRow, Draft, Input};

use crate::gui::focus;
use crate::gui::i18n;
use chrono::NaiveDate;
use iced::Task;
use iced::keyboard::{Key, Modifiers, key::Named};
use motcua_app::catalog::TermDraft;
use motcua_app::forms::Printed;
use motcua_app::{AppError, DueInfo, ReceiveForm, Received};
use motcua_core::Field as F;
use motcua_core::ValidationError;
use motcua_core::catalog::Procedure;
use motcua_core::dossier::{Channel, DocumentKind, PartyKind};
use std::path::PathBuf;

/// Most procedure suggestions shown at once.
const SUGGESTIONS: usize = 8;

/// A saved dossier, shown large for the clerk to read out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub code: String,
    pub secret: String,
    pub due: String,
    /// How printing went, in a sentence.
    pub print: Result<String, String>,
    pub kept: Option<PathBuf>,
}

/// The result of Save and print.
#[derive(Debug, Clone)]
pub struct SaveOutcome {
    pub received: Received,
    /// The dossier is saved whatever this says.
    pub print: Result<Printed, AppError>,
}

/// What the screen sends up.
#[derive(Debug, Clone)]
pub enum Message {
    Edited(Input, String),
    Entered(Input),
    /// A suggestion clicked.
    Pick(usize),
    DocKind(usize, DocumentKind),
    DocToggled(usize, bool),
    ChannelPicked(Channel),
    DeliveryPicked(bool),
    KindPicked(PartyKind),
    /// Case `n` (0-based) of the chosen procedure clicked.
    CasePicked(usize),
    /// Published term `n` (0-based) clicked.
    TermPicked(usize),
    SaveClicked,
    ClearClicked,
    ReprintClicked,
    /// Catalogue hits for a query.
    Hits(String, Result<Vec<Procedure>, AppError>),
    /// This counter's most received procedures.
    Frequent(Result<Vec<Procedure>, AppError>),
    /// The appointment for a procedure received now.
    Previewed(String, Result<DueInfo, AppError>),
    Saved(Box<Result<SaveOutcome, AppError>>),
    Reprinted(Result<Printed, AppError>),
}

/// What the root must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Search the catalogue.
    Search(String),
    /// Load this counter's most received procedures (the suggestions of an empty field).
    Frequent,
    /// Compute the appointment of procedure `code` as chosen so far, received now.
    Preview { code: String, term: TermDraft },
    /// Validate, save, then print the receipt.
    /// The form and its idempotency key.
    Save(Box<Draft>, String),
    /// Print the receipt of a saved dossier again.
    Reprint(String),
}

/// The screen's state.
#[derive(Debug, Default)]
pub struct Receive {
    pub draft: Draft,
    hits: Vec<Procedure>,
    /// The query the hits answer.
    hits_for: String,
    /// This counter's most received procedures, shown while the procedure field is empty.
    frequent: Vec<Procedure>,
    highlighted: usize,
    /// Enter was pressed before the hits of the current query arrived.
    pick_pending: bool,
    suggestions_open: bool,
    due: Option<Result<DueInfo, String>>,
    errors: Vec<ValidationError>,
    id_hint: Option<Result<String, String>>,
    failure: Option<String>,
    notice: Option<String>,
    saving: bool,
    /// Idempotency key of the dossier being saved: made at the first save of a form and
    /// kept across failed attempts, so a save retried after an unknown outcome (the window
    /// crashed or the disk failed after the commit) never receives the dossier twice.
    request_id: Option<String>,
    /// A card QR was just read from what a scanner typed into this field. Newer and
    /// children's cards carry fields after the seventh (`|…|…`), which the scanner keeps
    /// typing after the QR was recognised: from a `|` right after the scan to the
    /// scanner's Enter they are swallowed (`true` once inside them).
    scan_tail: Option<(Input, bool)>,
    pub saved: Option<Saved>,
    confirm_clear: bool,
    /// The station's date, for decoding ID numbers (set by the root).
    pub today: Option<NaiveDate>,
}

type Step = (Task<Message>, Option<Action>);

fn none() -> Step {
    (Task::none(), None)
}

impl Receive {
    /// Where typing starts.
    pub fn focus() -> Task<Message> {
        focus::to(Input::Procedure.id())
    }

    /// What the screen needs when it is shown: this counter's most received procedures.
    pub fn start(&mut self) -> Option<Action> {
        self.draft
            .procedure_query
            .trim()
            .is_empty()
            .then_some(Action::Frequent)
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Step {
        match message {
            Message::Edited(i, v) => self.edited(i, v),
            Message::Entered(i) => self.entered(i),
            Message::Pick(n) => self.pick(n),
            Message::DocKind(n, k) => {
                if let Some(d) = self.draft.documents.get_mut(n) {
                    d.kind = k;
                }
                none()
            }
            Message::DocToggled(n, on) => {
                if let Some(d) = self.draft.documents.get_mut(n) {
                    d.marked = on;
                }
                none()
            }
            Message::ChannelPicked(c) => {
                self.draft.channel = c;
                (Task::none(), self.preview_again())
            }
            Message::CasePicked(n) => self.case_picked(n),
            Message::TermPicked(n) => {
                self.draft.term_choice = (n + 1).to_string();
                self.errors.retain(|e| e.field != F::Term);
                (Task::none(), self.preview_again())
            }
            Message::DeliveryPicked(post) => {
                self.draft.by_post = post;
                none()
            }
            Message::KindPicked(kind) => self.kind_picked(kind),
            Message::SaveClicked => self.save(),
            Message::ClearClicked => {
                self.clear();
                (Self::focus(), Some(Action::Frequent))
            }
            Message::ReprintClicked => self.reprint(),
            Message::Hits(q, r) => self.hits(q, r),
            Message::Frequent(r) => {
                match r {
                    Ok(list) => {
                        self.frequent = list;
                        if self.draft.procedure_query.trim().is_empty() {
                            self.show_frequent();
                        }
                    }
                    Err(e) => self.failure = Some(e.to_string()),
                }
                none()
            }
            Message::Previewed(code, r) => {
                if self.draft.chosen.as_ref().is_some_and(|p| p.code == code) {
                    self.due = Some(r.map_err(|e| match e {
                        AppError::Invalid(v) if !v.is_empty() => v[0].reason.clone(),
                        e => e.to_string(),
                    }));
                }
                none()
            }
            Message::Saved(r) => self.saved(*r),
            Message::Reprinted(r) => {
                if let Some(s) = &mut self.saved {
                    s.print = i18n::print_outcome(&r);
                }
                none()
            }
        }
    }

    /// A key the fields did not take (Up/Down for the suggestions; Ctrl+S; Ctrl+P; Ctrl+T).
    pub fn key(&mut self, key: &Key, modifiers: Modifiers) -> Step {
        match key.as_ref() {
            Key::Character("s") if modifiers.command() => self.save(),
            Key::Character("p") if modifiers.command() => self.reprint(),
            Key::Character("t") if modifiers.command() => self.kind_picked(match self.draft.kind {
                PartyKind::Person => PartyKind::Organisation,
                PartyKind::Organisation => PartyKind::Person,
            }),
            Key::Named(Named::ArrowDown) if self.suggestions_open && !self.hits.is_empty() => {
                self.highlighted = (self.highlighted + 1).min(self.shown_hits() - 1);
                none()
            }
            Key::Named(Named::ArrowUp) if self.suggestions_open => {
                self.highlighted = self.highlighted.saturating_sub(1);
                none()
            }
            _ => none(),
        }
    }

    /// Esc: close the suggestions; then ask; then clear.
    pub fn escape(&mut self) -> Step {
        if self.suggestions_open {
            self.suggestions_open = false;
            return none();
        }
        if self.confirm_clear {
            self.clear();
            return (Self::focus(), Some(Action::Frequent));
        }
        if self.draft != Draft::default() {
            self.confirm_clear = true;
        }
        none()
    }

    /// A person or an organisation: the labels of the name and ID fields follow, and an
    /// organisation's representative field shows after the address. Focus stays where it
    /// is (Ctrl+T is pressed in whatever field the clerk is typing).
    fn kind_picked(&mut self, kind: PartyKind) -> Step {
        self.draft.kind = kind;
        self.id_hint = self.decode_id();
        none()
    }

    fn shown_hits(&self) -> usize {
        self.hits.len().min(SUGGESTIONS)
    }

    /// The suggestions of an empty procedure field: the most received procedures.
    fn show_frequent(&mut self) {
        self.hits = self.frequent.clone();
        self.hits_for.clear();
        self.highlighted = 0;
        self.suggestions_open = !self.hits.is_empty();
    }

    fn clear(&mut self) {
        self.draft = Draft::default();
        self.request_id = None;
        self.pick_pending = false;
        self.due = None;
        self.errors.clear();
        self.id_hint = None;
        self.failure = None;
        self.notice = None;
        self.confirm_clear = false;
        self.show_frequent();
    }

    fn edited(&mut self, i: Input, raw: String) -> Step {
        self.confirm_clear = false;
        let value = motcua_core::text::nfc(&raw);
        if let Some(step) = self.scanned(i, &value) {
            return step;
        }
        match i {
            Input::Channel => {
                match value.chars().last() {
                    Some('1') => self.draft.channel = Channel::Direct,
                    Some('2') => self.draft.channel = Channel::Postal,
                    _ => {}
                }
                self.errors.retain(|e| e.field != F::Channel);
                return (Task::none(), self.preview_again());
            }
            Input::Case => {
                return match value.chars().last().and_then(|c| c.to_digit(10)) {
                    Some(n @ 1..=9) => self.case_picked(n as usize - 1),
                    _ => none(),
                };
            }
            Input::TermChoice => {
                let n = value
                    .chars()
                    .rev()
                    .find_map(|c| c.to_digit(10))
                    .filter(|n| (1..=self.draft.term_options().len() as u32).contains(n));
                if let Some(n) = n {
                    return self.update(Message::TermPicked(n as usize - 1));
                }
                return none();
            }
            Input::Delivery => {
                match value.chars().last() {
                    Some('1') => self.draft.by_post = false,
                    Some('2') => self.draft.by_post = true,
                    _ => {}
                }
                return none();
            }
            Input::Marks => {
                let old = self.draft.marks.clone();
                self.draft.marks_changed(&old, &value);
                return none();
            }
            Input::Doc(n) => {
                self.document_keys(n, &value);
                return none();
            }
            Input::Fee | Input::Sets => {
                let kept: String = value
                    .chars()
                    .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' '))
                    .collect();
                if let Some(slot) = self.draft.text_mut(i) {
                    *slot = kept;
                }
            }
            _ => {
                if let Some(slot) = self.draft.text_mut(i) {
                    *slot = value;
                }
            }
        }
        if let Some(field) = self
            .errors
            .iter()
            .position(|e| self.input_of(e.field) == Some(i))
        {
            self.errors.remove(field);
        }
        match i {
            Input::Procedure => self.query_changed(),
            Input::Term | Input::Appointment => (Task::none(), self.preview_again()),
            Input::IdNumber => {
                self.id_hint = self.decode_id();
                none()
            }
            _ => none(),
        }
    }

    /// Digits set a document's count (0: not handed in; any other: handed in); c, s, t
    /// set its kind (bản chính, bản sao, bản sao chứng thực).
    fn document_keys(&mut self, n: usize, value: &str) {
        let Some(d) = self.draft.documents.get_mut(n) else {
            return;
        };
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        match motcua_core::text::fold(value)
            .chars()
            .rev()
            .find(|c| c.is_alphabetic())
        {
            Some('c') => d.kind = DocumentKind::Original,
            Some('s') => d.kind = DocumentKind::Copy,
            Some('t') => d.kind = DocumentKind::CertifiedCopy,
            _ => {}
        }
        if !digits.is_empty() {
            d.marked = !digits.trim_start_matches('0').is_empty();
        }
        d.count = digits.chars().take(3).collect();
    }

    fn query_changed(&mut self) -> Step {
        self.draft.chosen = None;
        self.draft.documents.clear();
        self.draft.marks.clear();
        self.due = None;
        self.highlighted = 0;
        let q = self.draft.procedure_query.trim().to_string();
        if q.is_empty() {
            self.show_frequent();
            return none();
        }
        self.suggestions_open = true;
        (Task::none(), Some(Action::Search(q)))
    }

    fn hits(&mut self, q: String, r: Result<Vec<Procedure>, AppError>) -> Step {
        if q != self.draft.procedure_query.trim() {
            return none(); // an answer to an older query
        }
        match r {
            Ok(hits) => {
                self.hits = hits;
                self.hits_for = q;
                self.highlighted = 0;
                if std::mem::take(&mut self.pick_pending) {
                    return self.pick(0);
                }
            }
            Err(e) => self.failure = Some(e.to_string()),
        }
        none()
    }

    /// The fields after the procedure that the catalogue asks for, in the order Enter
    /// visits them, then the applicant's name.
    fn head_fields(&self) -> Vec<Input> {
        let Some(p) = &self.draft.chosen else {
            return vec![Input::Name];
        };
        let mut out = Vec::new();
        if p.case_required() {
            out.push(Input::Case);
        }
        if !self.draft.term_options().is_empty() {
            out.push(Input::TermChoice);
        } else if self.draft.needs_typed_term() {
            out.push(Input::Term);
        }
        if self.draft.needs_appointment() {
            out.push(Input::Appointment);
        }
        if !self.draft.documents.is_empty() {
            out.push(Input::Marks);
        }
        out.push(Input::Name);
        out
    }

    /// Where Enter goes from `i` among the procedure's own fields.
    fn after(&self, i: Input) -> Input {
        let head = self.head_fields();
        match head.iter().position(|h| *h == i) {
            Some(k) => head.get(k + 1).copied().unwrap_or(Input::Name),
            None => head[0],
        }
    }

    fn entered(&mut self, i: Input) -> Step {
        self.scan_tail = None;
        match i {
            Input::Procedure => {
                if self.draft.chosen.is_some() {
                    return (focus::to(self.after(Input::Procedure).id()), None);
                }
                if self.draft.procedure_query.trim().is_empty() {
                    return self.pick(self.highlighted);
                }
                if self.hits_for != self.draft.procedure_query.trim() {
                    self.pick_pending = true;
                    return none();
                }
                self.pick(self.highlighted)
            }
            Input::Case | Input::TermChoice | Input::Term | Input::Appointment | Input::Marks => {
                (focus::to(self.after(i).id()), None)
            }
            Input::AddDoc => {
                let name = motcua_core::text::clean(&self.draft.extra_doc);
                if name.is_empty() {
                    return (focus::next(), None);
                }
                // A document the clerk adds by hand is one handed in.
                self.draft.documents.push(DocRow {
                    name,
                    kind: DocumentKind::Original,
                    marked: true,
                    count: String::new(),
                    key: DOC_KEYS.get(self.draft.documents.len()).copied(),
                    tag: None,
                });
                self.draft.extra_doc.clear();
                none()
            }
            _ => (focus::next(), None),
        }
    }

    /// Takes suggestion `n`: its documents fill the checklist, none marked; the
    /// appointment is asked for; typing goes on in the first field the catalogue asks for
    /// (the case, the term), else the marks, else the applicant's name.
    fn pick(&mut self, n: usize) -> Step {
        let Some(p) = self.hits.get(n).cloned() else {
            return none();
        };
        self.draft.procedure_query = format!("{} — {}", p.code, p.name);
        self.draft.documents = p
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| DocRow::listed(i, d))
            .collect();
        self.draft.marks.clear();
        self.suggestions_open = false;
        self.errors.retain(|e| e.field != F::Procedure);
        self.draft.case_code = p.default_case().map(|_| p.case_selector(0));
        self.draft.term_typed.clear();
        self.draft.term_choice.clear();
        self.draft.appointment.clear();
        self.draft.chosen = Some(p);
        self.hits_for = self.draft.procedure_query.clone();
        self.due = None;
        let action = self.preview_again();
        (focus::to(self.after(Input::Procedure).id()), action)
    }

    /// Case `n` of the chosen procedure: the term (and appointment) follow it.
    fn case_picked(&mut self, n: usize) -> Step {
        let Some(p) = self.draft.chosen.as_ref() else {
            return none();
        };
        if n >= p.cases.len() {
            return none();
        }
        self.draft.case_code = Some(p.case_selector(n));
        self.draft.term_choice.clear();
        self.errors.retain(|e| e.field != F::Case);
        (Task::none(), self.preview_again())
    }

    /// The appointment must be computed again (the clock moved on, or the case, channel,
    /// choice or typed term changed). When the choice made so far gives no term, the
    /// reason is shown where the appointment would be.
    pub fn preview_again(&mut self) -> Option<Action> {
        let p = self.draft.chosen.as_ref()?;
        match self.draft.applied()? {
            Ok(_) => Some(Action::Preview {
                code: p.code.clone(),
                term: self.draft.term_draft(),
            }),
            Err(e) => {
                self.due = Some(Err(e.reason));
                None
            }
        }
    }

    fn save(&mut self) -> Step {
        if self.saving {
            return none();
        }
        self.saving = true;
        self.confirm_clear = false;
        let id = self
            .request_id
            .get_or_insert_with(ReceiveForm::new_request_id)
            .clone();
        (
            Task::none(),
            Some(Action::Save(Box::new(self.draft.clone()), id)),
        )
    }

    fn reprint(&mut self) -> Step {
        match &self.saved {
            Some(s) => (Task::none(), Some(Action::Reprint(s.code.clone()))),
            None => none(),
        }
    }

    fn saved(&mut self, r: Result<SaveOutcome, AppError>) -> Step {
        self.saving = false;
        match r {
            Ok(outcome) => {
                let d = &outcome.received.dossier;
                self.saved = Some(Saved {
                    code: d.code.to_string(),
                    secret: d.lookup_secret.clone(),
                    due: i18n::instant(outcome.received.due.at),
                    print: i18n::print_outcome(&outcome.print),
                    kept: match &outcome.print {
                        Ok(p) => Some(p.kept.clone()),
                        Err(AppError::PrintFailed { kept, .. }) => Some(kept.clone()),
                        Err(_) => None,
                    },
                });
                self.clear();
                (Self::focus(), Some(Action::Frequent))
            }
            Err(e) => {
                self.errors = e.fields().to_vec();
                self.failure = if let Some(n) = e.missing_events() {
                    Some(i18n::not_saved(&i18n::missing_events_at_receive(n)))
                } else if self.errors.is_empty() {
                    Some(i18n::not_saved(&e.to_string()))
                } else {
                    None
                };
                let first = self.errors.iter().find_map(|e| self.input_of(e.field));
                let focus = match first {
                    Some(i) => focus::to(i.id()),
                    None => Task::none(),
                };
                (focus, None)
            }
        }
    }

    fn error(&self, i: Input) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| self.input_of(e.field) == Some(i))
            .map(|e| e.reason.as_str())
    }

    /// The input that shows refusals of a validation field here: a refused term is the
    /// choice among published terms when the catalogue offers some.
    fn input_of(&self, field: F) -> Option<Input> {
        match Input::of(field) {
            Some(Input::Term) if !self.draft.term_options().is_empty() => Some(Input::TermChoice),
            other => other,
        }
    }
}
