//! Receive (the home screen): procedure → documents → applicant (a person or an
//! organisation) (→ the authorised person who hands it in) → channel, result delivery,
//! fee, sets → the appointment → Save and print (Ctrl+S).
//!
//! Keyboard: the procedure field searches the catalogue as the clerk types (Up/Down move
//! the highlight, Enter takes it and goes to the applicant's name); Enter in any field
//! goes to the next one; a chip-ID-card QR string typed into any field by a scanner fills
//! the applicant and leaves no trace; choice fields take a digit (1, 2); a document's
//! "số bản" field takes its count and a letter for its kind (c, s, t). Esc closes the
//! suggestions; a second Esc asks before clearing the form. Every rule (validation, due
//! date, QR shape, ID decoding) is the application layer's or the core's.

use crate::gui::focus;
use crate::gui::i18n::{self, T};
use crate::gui::theme::{self, size, space, width};
use crate::gui::widgets::{Field, caption, error_text, heading, label, slot};
use chrono::NaiveDate;
use iced::keyboard::{Key, Modifiers, key::Named};
use iced::widget::{
    Column, button, checkbox, column, container, mouse_area, radio, row, scrollable, text,
    text_input,
};
use iced::{Element, Length, Task};
use motcua_app::forms::Printed;
use motcua_app::{AppError, DueInfo, ReceiveForm, Received};
use motcua_core::Field as F;
use motcua_core::ValidationError;
use motcua_core::catalog::Procedure;
use motcua_core::dossier::{Channel, DocumentKind, DossierInput, PartyKind};
use std::path::PathBuf;

/// Most procedure suggestions shown at once.
const SUGGESTIONS: usize = 8;

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Procedure,
    /// The procedure's case, by its number in the list (1–9).
    Case,
    /// The term typed from the posted listing, when the catalogue has none.
    Term,
    Name,
    IdNumber,
    Phone,
    Email,
    Address,
    /// Person (1) or organisation (2).
    Kind,
    Representative,
    ProxyName,
    ProxyId,
    ProxyPhone,
    ProxyEmail,
    ProxyAddress,
    ProxyAuthorisation,
    Channel,
    Delivery,
    PostAddress,
    Fee,
    Sets,
    Note,
    /// The "số bản" field of document `n` of the checklist.
    Doc(usize),
    AddDoc,
}

impl Input {
    /// The widget id.
    pub fn id(self) -> String {
        match self {
            Input::Procedure => "procedure".into(),
            Input::Case => "case".into(),
            Input::Term => "term".into(),
            Input::Name => "name".into(),
            Input::IdNumber => "id-number".into(),
            Input::Phone => "phone".into(),
            Input::Email => "email".into(),
            Input::Address => "address".into(),
            Input::Kind => "applicant-kind".into(),
            Input::Representative => "representative".into(),
            Input::ProxyName => "proxy-name".into(),
            Input::ProxyId => "proxy-id".into(),
            Input::ProxyPhone => "proxy-phone".into(),
            Input::ProxyEmail => "proxy-email".into(),
            Input::ProxyAddress => "proxy-address".into(),
            Input::ProxyAuthorisation => "proxy-authorisation".into(),
            Input::Channel => "channel".into(),
            Input::Delivery => "delivery".into(),
            Input::PostAddress => "post-address".into(),
            Input::Fee => "fee".into(),
            Input::Sets => "sets".into(),
            Input::Note => "note".into(),
            Input::Doc(n) => format!("doc-{n}"),
            Input::AddDoc => "add-doc".into(),
        }
    }

    /// The input that shows refusals of a validation field.
    fn of(field: F) -> Option<Input> {
        Some(match field {
            F::Procedure => Input::Procedure,
            F::Case => Input::Case,
            F::Term => Input::Term,
            F::FullName => Input::Name,
            F::IdNumber => Input::IdNumber,
            F::Phone => Input::Phone,
            F::Email => Input::Email,
            F::Address => Input::Address,
            F::Representative => Input::Representative,
            F::ProxyName => Input::ProxyName,
            F::ProxyIdNumber => Input::ProxyId,
            F::ProxyPhone => Input::ProxyPhone,
            F::ProxyEmail => Input::ProxyEmail,
            F::ProxyAddress => Input::ProxyAddress,
            F::ProxyAuthorisation => Input::ProxyAuthorisation,
            F::ReturnAddress => Input::PostAddress,
            F::Fee => Input::Fee,
            F::Sets => Input::Sets,
            F::Note => Input::Note,
            F::Document | F::DocumentCount => Input::AddDoc,
            _ => return None,
        })
    }
}

/// One line of the document checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocRow {
    pub name: String,
    pub kind: DocumentKind,
    /// Digits as typed; 0 or empty = not handed in.
    pub count: String,
}

impl DocRow {
    fn received(&self) -> bool {
        self.count.parse::<u32>().is_ok_and(|n| n > 0)
    }
}

/// What the clerk typed: kept whole across screens, locking and failed saves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub procedure_query: String,
    pub chosen: Option<Procedure>,
    /// The chosen case's code, if the procedure has cases.
    pub case_code: Option<String>,
    /// The term typed when the catalogue gives none for the case and channel.
    pub term_typed: String,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub kind: PartyKind,
    pub representative: String,
    pub proxy_name: String,
    pub proxy_id: String,
    pub proxy_phone: String,
    pub proxy_email: String,
    pub proxy_address: String,
    pub proxy_authorisation: String,
    pub channel: Channel,
    /// Result by post (else at the counter).
    pub by_post: bool,
    pub post_address: String,
    pub fee: String,
    pub sets: String,
    pub note: String,
    pub documents: Vec<DocRow>,
    pub extra_doc: String,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            procedure_query: String::new(),
            chosen: None,
            case_code: None,
            term_typed: String::new(),
            name: String::new(),
            id_number: String::new(),
            phone: String::new(),
            email: String::new(),
            address: String::new(),
            kind: PartyKind::Person,
            representative: String::new(),
            proxy_name: String::new(),
            proxy_id: String::new(),
            proxy_phone: String::new(),
            proxy_email: String::new(),
            proxy_address: String::new(),
            proxy_authorisation: String::new(),
            channel: Channel::Direct,
            by_post: false,
            post_address: String::new(),
            fee: String::new(),
            sets: "1".into(),
            note: String::new(),
            documents: Vec::new(),
            extra_doc: String::new(),
        }
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl Draft {
    /// The text of a field (choices show their label).
    fn text(&self, i: Input) -> &str {
        match i {
            Input::Procedure => &self.procedure_query,
            Input::Case => self.case_name(),
            Input::Term => &self.term_typed,
            Input::Name => &self.name,
            Input::IdNumber => &self.id_number,
            Input::Phone => &self.phone,
            Input::Email => &self.email,
            Input::Address => &self.address,
            Input::Representative => &self.representative,
            Input::ProxyName => &self.proxy_name,
            Input::ProxyId => &self.proxy_id,
            Input::ProxyPhone => &self.proxy_phone,
            Input::ProxyEmail => &self.proxy_email,
            Input::ProxyAddress => &self.proxy_address,
            Input::ProxyAuthorisation => &self.proxy_authorisation,
            Input::Channel => self.channel.label(),
            Input::Kind if self.kind == PartyKind::Organisation => T::KindOrganisation.vi(),
            Input::Kind => T::KindPerson.vi(),
            Input::Delivery if self.by_post => T::ByPost.vi(),
            Input::Delivery => T::AtCounter.vi(),
            Input::PostAddress => &self.post_address,
            Input::Fee => &self.fee,
            Input::Sets => &self.sets,
            Input::Note => &self.note,
            Input::Doc(n) => self.documents.get(n).map_or("", |d| d.count.as_str()),
            Input::AddDoc => &self.extra_doc,
        }
    }

    fn text_mut(&mut self, i: Input) -> Option<&mut String> {
        Some(match i {
            Input::Procedure => &mut self.procedure_query,
            Input::Term => &mut self.term_typed,
            Input::Name => &mut self.name,
            Input::IdNumber => &mut self.id_number,
            Input::Phone => &mut self.phone,
            Input::Email => &mut self.email,
            Input::Address => &mut self.address,
            Input::Representative => &mut self.representative,
            Input::ProxyName => &mut self.proxy_name,
            Input::ProxyId => &mut self.proxy_id,
            Input::ProxyPhone => &mut self.proxy_phone,
            Input::ProxyEmail => &mut self.proxy_email,
            Input::ProxyAddress => &mut self.proxy_address,
            Input::ProxyAuthorisation => &mut self.proxy_authorisation,
            Input::PostAddress => &mut self.post_address,
            Input::Fee => &mut self.fee,
            Input::Sets => &mut self.sets,
            Input::Note => &mut self.note,
            Input::Doc(n) => &mut self.documents.get_mut(n)?.count,
            Input::AddDoc => &mut self.extra_doc,
            Input::Channel | Input::Delivery | Input::Kind | Input::Case => return None,
        })
    }

    /// The chosen case's name ("" for none).
    fn case_name(&self) -> &str {
        let code = self.case_code.as_deref();
        self.chosen
            .as_ref()
            .and_then(|p| p.cases.iter().find(|c| Some(c.code.as_str()) == code))
            .map_or("", |c| c.name.as_str())
    }

    /// The term and case that apply as chosen so far, as the application layer decides
    /// them (the same function receiving uses).
    pub fn applied(&self) -> Option<Result<motcua_app::catalog::Applied, ValidationError>> {
        let p = self.chosen.as_ref()?;
        Some(motcua_app::catalog::choose(
            p,
            self.case_code.as_deref(),
            self.channel,
            Some(self.term_typed.as_str()),
        ))
    }

    /// The dossier as the application layer takes it (validation is its job).
    pub fn to_form(&self, clerk: &str, request_id: Option<String>) -> ReceiveForm {
        let number = |s: &str, empty: i64| -> i64 {
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            if digits.is_empty() {
                empty
            } else {
                digits.parse().unwrap_or(i64::MAX)
            }
        };
        ReceiveForm {
            request_id,
            clerk: clerk.to_string(),
            procedure: match &self.chosen {
                Some(p) => p.code.clone(),
                None => self.procedure_query.trim().to_string(),
            },
            input: DossierInput {
                applicant_name: self.name.clone(),
                id_number: opt(&self.id_number),
                phone: opt(&self.phone),
                email: opt(&self.email),
                address: opt(&self.address),
                applicant_kind: self.kind,
                representative: match self.kind {
                    PartyKind::Organisation => opt(&self.representative),
                    PartyKind::Person => None,
                },
                proxy_name: opt(&self.proxy_name),
                proxy_id_number: opt(&self.proxy_id),
                proxy_phone: opt(&self.proxy_phone),
                proxy_email: opt(&self.proxy_email),
                proxy_address: opt(&self.proxy_address),
                proxy_authorisation: opt(&self.proxy_authorisation),
                documents: self
                    .documents
                    .iter()
                    .filter(|d| d.received())
                    .map(|d| {
                        (
                            d.name.clone(),
                            d.kind.label().to_string(),
                            number(&d.count, 0),
                        )
                    })
                    .collect(),
                sets: number(&self.sets, 0),
                channel: self.channel,
                post_address: self.by_post.then(|| self.post_address.clone()),
                fee: opt(&self.fee).map(|f| number(&f, 0)),
                note: opt(&self.note),
                case_code: self.case_code.clone(),
                term_typed: opt(&self.term_typed),
                ..DossierInput::default()
            },
            received_at: None,
        }
    }
}

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
    SaveClicked,
    ClearClicked,
    ReprintClicked,
    /// Catalogue hits for a query.
    Hits(String, Result<Vec<Procedure>, AppError>),
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
    /// Compute the appointment of procedure `code` (term `term`) received now.
    Preview { code: String, term: String },
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
                    d.count = if on { "1" } else { "0" }.into();
                }
                none()
            }
            Message::ChannelPicked(c) => {
                self.draft.channel = c;
                (Task::none(), self.preview_again())
            }
            Message::CasePicked(n) => self.case_picked(n),
            Message::DeliveryPicked(post) => {
                self.draft.by_post = post;
                none()
            }
            Message::KindPicked(kind) => {
                self.draft.kind = kind;
                self.id_hint = self.decode_id();
                none()
            }
            Message::SaveClicked => self.save(),
            Message::ClearClicked => {
                self.clear();
                (Self::focus(), None)
            }
            Message::ReprintClicked => self.reprint(),
            Message::Hits(q, r) => self.hits(q, r),
            Message::Previewed(code, r) => {
                if self.draft.chosen.as_ref().is_some_and(|p| p.code == code) {
                    self.due = Some(r.map_err(|e| e.to_string()));
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

    /// A key the fields did not take (Up/Down for the suggestions; Ctrl+S; Ctrl+P).
    pub fn key(&mut self, key: &Key, modifiers: Modifiers) -> Step {
        match key.as_ref() {
            Key::Character("s") if modifiers.command() => self.save(),
            Key::Character("p") if modifiers.command() => self.reprint(),
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
            return (Self::focus(), None);
        }
        if self.draft != Draft::default() {
            self.confirm_clear = true;
        }
        none()
    }

    fn shown_hits(&self) -> usize {
        self.hits.len().min(SUGGESTIONS)
    }

    fn clear(&mut self) {
        self.draft = Draft::default();
        self.request_id = None;
        self.hits.clear();
        self.hits_for.clear();
        self.suggestions_open = false;
        self.pick_pending = false;
        self.due = None;
        self.errors.clear();
        self.id_hint = None;
        self.failure = None;
        self.notice = None;
        self.confirm_clear = false;
    }

    fn edited(&mut self, i: Input, raw: String) -> Step {
        self.confirm_clear = false;
        let value = motcua_core::text::nfc(&raw);
        if let Some((field, inside)) = self.scan_tail {
            let kept = self.draft.text(i).to_string();
            let appended = (field == i)
                .then(|| value.strip_prefix(kept.as_str()))
                .flatten()
                .filter(|a| !a.is_empty());
            match appended {
                Some(a) if inside || a.starts_with('|') => {
                    self.scan_tail = Some((i, true));
                    return none();
                }
                _ => self.scan_tail = None,
            }
        }
        if let Some(range) = motcua_core::identity::find_card_qr(&value) {
            // The field keeps what it held before the scan; the raw string goes nowhere.
            let rest = format!("{}{}", &value[..range.start], &value[range.end..]);
            if let Some(slot) = self.draft.text_mut(i) {
                *slot = rest;
            }
            self.scan_tail = Some((i, false));
            return self.card(&value[range]);
        }
        match i {
            Input::Channel => {
                match value.chars().last() {
                    Some('1') => self.draft.channel = Channel::Direct,
                    Some('2') => self.draft.channel = Channel::Postal,
                    _ => {}
                }
                return (Task::none(), self.preview_again());
            }
            Input::Case => {
                return match value.chars().last().and_then(|c| c.to_digit(10)) {
                    Some(n @ 1..=9) => self.case_picked(n as usize - 1),
                    _ => none(),
                };
            }
            Input::Delivery => {
                match value.chars().last() {
                    Some('1') => self.draft.by_post = false,
                    Some('2') => self.draft.by_post = true,
                    _ => {}
                }
                return none();
            }
            Input::Kind => {
                match value.chars().last() {
                    Some('1') => self.draft.kind = PartyKind::Person,
                    Some('2') => self.draft.kind = PartyKind::Organisation,
                    _ => {}
                }
                self.id_hint = self.decode_id();
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
            .position(|e| Input::of(e.field) == Some(i))
        {
            self.errors.remove(field);
        }
        match i {
            Input::Procedure => self.query_changed(),
            Input::Term => (Task::none(), self.preview_again()),
            Input::IdNumber => {
                self.id_hint = self.decode_id();
                none()
            }
            _ => none(),
        }
    }

    /// Digits set a document's count; c, s, t set its kind (bản chính, bản sao, bản sao
    /// chứng thực).
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
        d.count = digits.chars().take(3).collect();
    }

    /// A scanned chip-ID-card QR: fill the applicant from it.
    fn card(&mut self, raw: &str) -> Step {
        let Some(today) = self.today else {
            return none();
        };
        match motcua_core::identity::parse_card_qr(raw, today) {
            Ok(card) => {
                self.draft.name = card.full_name;
                self.draft.id_number = card.id_number;
                self.draft.address = card.address;
                self.errors
                    .retain(|e| !matches!(e.field, F::FullName | F::IdNumber | F::Address));
                self.id_hint = self.decode_id();
                self.notice = Some(i18n::card_filled(&self.draft.name));
                self.failure = None;
            }
            Err(e) => self.failure = Some(e.to_string()),
        }
        none()
    }

    fn decode_id(&self) -> Option<Result<String, String>> {
        if self.draft.kind == PartyKind::Organisation {
            return None;
        }
        let typed = self.draft.id_number.trim();
        let digits = typed.chars().filter(char::is_ascii_digit).count();
        if typed.is_empty() || (digits < 12 && typed.chars().all(|c| c.is_ascii_digit())) {
            return None;
        }
        let today = self.today?;
        Some(
            motcua_core::identity::parse_id_number(typed, today)
                .map(|id| i18n::id_hint(id.sex.label(), id.birth_year, id.province))
                .map_err(|e| e.reason),
        )
    }

    fn query_changed(&mut self) -> Step {
        self.draft.chosen = None;
        self.draft.documents.clear();
        self.due = None;
        self.highlighted = 0;
        let q = self.draft.procedure_query.trim().to_string();
        self.suggestions_open = !q.is_empty();
        if q.is_empty() {
            self.hits.clear();
            self.hits_for.clear();
            return none();
        }
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

    fn entered(&mut self, i: Input) -> Step {
        self.scan_tail = None;
        match i {
            Input::Procedure => {
                if self.draft.chosen.is_some() {
                    return (focus::next(), None);
                }
                if self.hits_for != self.draft.procedure_query.trim() {
                    self.pick_pending = true;
                    return none();
                }
                self.pick(self.highlighted)
            }
            Input::AddDoc => {
                let name = motcua_core::text::clean(&self.draft.extra_doc);
                if name.is_empty() {
                    return (focus::next(), None);
                }
                self.draft.documents.push(DocRow {
                    name,
                    kind: DocumentKind::Original,
                    count: "1".into(),
                });
                self.draft.extra_doc.clear();
                none()
            }
            _ => (focus::next(), None),
        }
    }

    /// Takes suggestion `n`: its documents fill the checklist, the appointment is asked
    /// for, and typing goes on in the applicant's name.
    fn pick(&mut self, n: usize) -> Step {
        let Some(p) = self.hits.get(n).cloned() else {
            return none();
        };
        self.draft.procedure_query = format!("{} — {}", p.code, p.name);
        self.draft.documents = p
            .documents
            .iter()
            .map(|d| DocRow {
                name: d.name.clone(),
                kind: d.kind,
                count: "1".into(),
            })
            .collect();
        self.suggestions_open = false;
        self.errors.retain(|e| e.field != F::Procedure);
        self.draft.case_code = p.default_case().map(|c| c.code.clone());
        self.draft.term_typed.clear();
        // The case is asked for first only when the cases' terms differ.
        let next = if p.case_required() {
            Input::Case
        } else {
            Input::Name
        };
        self.draft.chosen = Some(p);
        self.hits_for = self.draft.procedure_query.clone();
        self.due = None;
        let action = self.preview_again();
        // No term for it in the catalogue: the clerk types the listing's term first.
        let next = match self.draft.applied() {
            Some(Err(e)) if e.field == F::Term && next == Input::Name => Input::Term,
            _ => next,
        };
        (focus::to(next.id()), action)
    }

    /// Case `n` of the chosen procedure: the term (and appointment) follow it.
    fn case_picked(&mut self, n: usize) -> Step {
        let Some(c) = self.draft.chosen.as_ref().and_then(|p| p.cases.get(n)) else {
            return none();
        };
        self.draft.case_code = Some(c.code.clone());
        self.errors.retain(|e| e.field != F::Case);
        (Task::none(), self.preview_again())
    }

    /// The appointment must be computed again (the clock moved on, or the case, channel
    /// or typed term changed). When the choice made so far gives no term, the reason is
    /// shown where the appointment would be.
    pub fn preview_again(&mut self) -> Option<Action> {
        let p = self.draft.chosen.as_ref()?;
        match self.draft.applied()? {
            Ok(a) => Some(Action::Preview {
                code: p.code.clone(),
                term: a.term,
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
                (Self::focus(), None)
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
                let first = self.errors.iter().find_map(|e| Input::of(e.field));
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
            .find(|e| Input::of(e.field) == Some(i))
            .map(|e| e.reason.as_str())
    }

    fn field(&self, i: Input, label: &'static str) -> Field<'_, Message> {
        Field::new(
            label,
            i.id(),
            self.draft.text(i),
            move |v| Message::Edited(i, v),
            Message::Entered(i),
        )
        .error(self.error(i))
    }

    /// The screen: three columns that fit an office screen (1280×720) without scrolling
    /// the form, so the field being typed in is always in sight.
    pub fn view(&self) -> Element<'_, Message> {
        let id_hint = match &self.id_hint {
            Some(Ok(h)) => Some(h.clone()),
            _ => None,
        };
        let id_error = self.error(Input::IdNumber).or(match &self.id_hint {
            Some(Err(e)) => Some(e.as_str()),
            _ => None,
        });
        let organisation = self.draft.kind == PartyKind::Organisation;
        let mut applicant = column![
            self.procedure_view(),
            heading(T::Applicant.vi()),
            self.field(
                Input::Name,
                if organisation {
                    T::OrgName.vi()
                } else {
                    T::FullName.vi()
                }
            )
            .view(),
            Field::new(
                if organisation {
                    T::OrgCode.vi()
                } else {
                    T::IdNumber.vi()
                },
                Input::IdNumber.id(),
                &self.draft.id_number,
                |v| Message::Edited(Input::IdNumber, v),
                Message::Entered(Input::IdNumber),
            )
            .error(id_error)
            .hint(id_hint)
            .view(),
            row![
                self.field(Input::Phone, T::Phone.vi()).view(),
                self.field(Input::Email, T::Email.vi()).view()
            ]
            .spacing(space::S),
            self.field(Input::Address, T::Address.vi()).view(),
        ]
        .spacing(space::S);
        // After the address, so the common case (a person) types straight on; the labels
        // above follow the choice.
        applicant = applicant.push(self.kind_view());
        if organisation {
            applicant = applicant.push(
                self.field(Input::Representative, T::Representative.vi())
                    .view(),
            );
        }
        let details = column![
            heading(T::ProxySection.vi()),
            self.field(Input::ProxyName, T::ProxyName.vi()).view(),
            row![
                self.field(Input::ProxyId, T::IdNumber.vi()).view(),
                self.field(Input::ProxyPhone, T::Phone.vi()).view()
            ]
            .spacing(space::S),
            row![
                self.field(Input::ProxyAddress, T::Address.vi()).view(),
                self.field(Input::ProxyEmail, T::Email.vi()).view()
            ]
            .spacing(space::S),
            self.field(Input::ProxyAuthorisation, T::ProxyAuthorisation.vi())
                .view(),
            self.choices_view(),
            row![
                self.field(Input::Fee, T::Fee.vi()).view(),
                container(self.field(Input::Sets, T::Sets.vi()).view())
                    .width(Length::Fixed(width::NARROW_FIELD))
            ]
            .spacing(space::S),
            self.field(Input::Note, T::Note.vi()).view(),
        ]
        .spacing(space::S);
        let outcome = column![
            scrollable(self.documents_view()).height(Length::FillPortion(3)),
            column![self.due_view(), self.actions_view()].spacing(space::M),
        ]
        .spacing(space::M);

        let mut messages: Vec<Element<'_, Message>> = Vec::new();
        if let Some(s) = &self.saved {
            messages.push(saved_view(s));
        }
        if let Some(f) = &self.failure {
            messages.push(banner(
                column![error_text(f.as_str()), caption(T::DraftKept.vi())].into(),
            ));
        } else if !self.errors.is_empty() {
            messages.push(banner(error_text(T::FixFields.vi())));
        }
        if self.confirm_clear {
            messages.push(banner(text(T::ConfirmClear.vi()).size(size::BODY).into()));
        }
        if let Some(n) = &self.notice {
            messages.push(caption(n.as_str()));
        }
        Column::new()
            .spacing(space::S)
            .push(slot(messages))
            .push(
                row![
                    panel(scrollable(gutter(applicant)).into(), 3),
                    iced::widget::rule::vertical(1),
                    panel(scrollable(gutter(details)).into(), 3),
                    iced::widget::rule::vertical(1),
                    panel(outcome.into(), 4)
                ]
                .spacing(space::M)
                .height(Length::Fill),
            )
            .padding([space::S, space::L])
            .into()
    }

    fn procedure_view(&self) -> Element<'_, Message> {
        let mut col = column![
            self.field(Input::Procedure, T::Procedure.vi())
                .placeholder(T::ProcedureHint.vi())
                .view()
        ]
        .spacing(space::XS);
        if self.suggestions_open {
            if self.hits.is_empty() && self.hits_for == self.draft.procedure_query.trim() {
                col = col.push(caption(T::NoProcedure.vi()));
            }
            for (n, p) in self.hits.iter().take(SUGGESTIONS).enumerate() {
                let line = container(
                    text(format!("{}  {}", p.code, p.name))
                        .size(size::BODY)
                        .wrapping(text::Wrapping::None),
                )
                .padding(space::XS)
                .width(Length::Fill)
                .clip(true);
                let line = if n == self.highlighted {
                    line.style(theme::selected_row)
                } else {
                    line
                };
                col = col.push(mouse_area(line).on_press(Message::Pick(n)));
            }
            if !self.hits.is_empty() {
                col = col.push(caption(T::SuggestionHint.vi()));
            }
        }
        if let Some(p) = &self.draft.chosen {
            if !p.cases.is_empty() {
                col = col.push(self.field(Input::Case, T::CaseField.vi()).view());
                for (n, c) in motcua_app::catalog::case_choices(p, self.draft.channel)
                    .into_iter()
                    .enumerate()
                    .take(9)
                {
                    let on = self.draft.case_code.as_deref() == Some(c.code.as_str());
                    col = col.push(
                        radio(
                            i18n::case_line(n + 1, &c.name, &c.term_label),
                            n,
                            on.then_some(n),
                            Message::CasePicked,
                        )
                        .size(size::SMALL)
                        .text_size(size::SMALL),
                    );
                }
            }
            let mut info = column![].spacing(space::XS);
            let applied = self.draft.applied();
            if let Some(Ok(a)) = &applied {
                let term = a
                    .term
                    .parse::<motcua_core::calendar::Term>()
                    .map_or_else(|_| a.term.clone(), |t| t.label_vi());
                info = info.push(text(i18n::term(&term)).size(size::BODY));
                if a.term_unconfirmed {
                    info = info.push(caption(T::TermUnconfirmed.vi()));
                }
                if !a.fee.is_empty() {
                    info = info.push(caption(i18n::fee_rule(&a.fee)));
                }
            }
            let needs_term = matches!(&applied, Some(Err(e)) if e.field == F::Term)
                || !self.draft.term_typed.is_empty();
            if needs_term {
                info = info.push(
                    self.field(Input::Term, T::TermField.vi())
                        .placeholder(T::TermHint.vi())
                        .view(),
                );
            }
            col = col.push(info);
        }
        col.into()
    }

    /// Person or organisation: a digit in the field, or a click on the choice.
    fn kind_view(&self) -> Element<'_, Message> {
        let pick = |label: &'static str, kind: PartyKind| {
            radio(label, kind, Some(self.draft.kind), Message::KindPicked)
                .size(size::SMALL)
                .text_size(size::SMALL)
        };
        column![
            self.field(Input::Kind, T::ApplicantKind.vi()).view(),
            row![
                pick(T::ChoicePerson.vi(), PartyKind::Person),
                pick(T::ChoiceOrganisation.vi(), PartyKind::Organisation),
            ]
            .spacing(space::M),
        ]
        .spacing(space::XS)
        .into()
    }

    fn choices_view(&self) -> Element<'_, Message> {
        let pick = |label: &'static str, on: bool, msg: Message| {
            radio(label, on, Some(true), move |_| msg.clone())
                .size(size::SMALL)
                .text_size(size::SMALL)
        };
        let channel = column![
            self.field(Input::Channel, T::Channel.vi()).view(),
            row![
                pick(
                    T::ChoiceDirect.vi(),
                    self.draft.channel == Channel::Direct,
                    Message::ChannelPicked(Channel::Direct)
                ),
                pick(
                    T::ChoicePostal.vi(),
                    self.draft.channel == Channel::Postal,
                    Message::ChannelPicked(Channel::Postal)
                ),
            ]
            .spacing(space::M),
        ]
        .spacing(space::XS);
        let mut delivery = column![
            self.field(Input::Delivery, T::Delivery.vi()).view(),
            row![
                pick(
                    T::ChoiceCounter.vi(),
                    !self.draft.by_post,
                    Message::DeliveryPicked(false)
                ),
                pick(
                    T::ChoicePost.vi(),
                    self.draft.by_post,
                    Message::DeliveryPicked(true)
                ),
            ]
            .spacing(space::M),
        ]
        .spacing(space::XS);
        if self.draft.by_post {
            delivery = delivery.push(self.field(Input::PostAddress, T::PostAddress.vi()).view());
        }
        column![channel, delivery].spacing(space::S).into()
    }

    fn documents_view(&self) -> Element<'_, Message> {
        let mut col = column![heading(T::Documents.vi())].spacing(space::S);
        if self.draft.documents.is_empty() && self.draft.chosen.is_none() {
            col = col.push(caption(T::DocumentsEmpty.vi()));
        } else {
            col = col.push(caption(T::DocumentsHint.vi()));
        }
        for (n, d) in self.draft.documents.iter().enumerate() {
            let kinds = row![
                radio(
                    DocumentKind::Original.label(),
                    DocumentKind::Original,
                    Some(d.kind),
                    move |k| Message::DocKind(n, k)
                )
                .size(size::SMALL)
                .text_size(size::SMALL),
                radio(
                    DocumentKind::Copy.label(),
                    DocumentKind::Copy,
                    Some(d.kind),
                    move |k| Message::DocKind(n, k)
                )
                .size(size::SMALL)
                .text_size(size::SMALL),
                radio(
                    DocumentKind::CertifiedCopy.label(),
                    DocumentKind::CertifiedCopy,
                    Some(d.kind),
                    move |k| Message::DocKind(n, k)
                )
                .size(size::SMALL)
                .text_size(size::SMALL),
            ]
            .spacing(space::S);
            let count = text_input("0", &d.count)
                .id(Input::Doc(n).id())
                .on_input(move |v| Message::Edited(Input::Doc(n), v))
                .on_submit(Message::Entered(Input::Doc(n)))
                .size(size::BODY)
                .padding(space::XS)
                .width(Length::Fixed(width::NARROW_FIELD / 2.0))
                .style(theme::input(false));
            col = col.push(
                column![
                    row![
                        checkbox(d.received())
                            .label(d.name.as_str())
                            .on_toggle(move |on| Message::DocToggled(n, on))
                            .text_size(size::BODY),
                    ],
                    row![label(T::Copies.vi()), count, kinds]
                        .spacing(space::S)
                        .align_y(iced::Alignment::Center),
                ]
                .spacing(space::XS),
            );
        }
        col = col.push(
            self.field(Input::AddDoc, T::AddDocument.vi())
                .placeholder(T::AddDocument.vi())
                .view(),
        );
        col.into()
    }

    fn due_view(&self) -> Element<'_, Message> {
        let mut col = column![heading(T::Due.vi())].spacing(space::XS);
        match &self.due {
            Some(Ok(d)) => {
                col = col
                    .push(
                        text(i18n::instant(d.at))
                            .size(size::HEADING)
                            .font(theme::BOLD),
                    )
                    .push(caption(d.explanation.as_str()));
            }
            Some(Err(e)) => col = col.push(error_text(e.as_str())),
            None => col = col.push(caption(T::NoDue.vi())),
        }
        col.into()
    }

    fn actions_view(&self) -> Element<'_, Message> {
        let save = button(text(if self.saving {
            T::Saving.vi()
        } else {
            T::SaveAndPrint.vi()
        }))
        .padding(space::M)
        .style(theme::primary_button)
        .on_press_maybe((!self.saving).then_some(Message::SaveClicked));
        let clear = button(text(T::ClearForm.vi()))
            .padding(space::M)
            .style(theme::secondary_button)
            .on_press(Message::ClearClicked);
        row![save, clear].spacing(space::M).into()
    }
}

/// A column of the form. No background or border: large painted areas cost a full
/// repaint on every caret blink in the software renderer; rules separate the columns.
/// Room on the right for a column's scroll bar, so it never covers the fields.
fn gutter(content: Column<'_, Message>) -> Column<'_, Message> {
    content.padding(iced::Padding::ZERO.right(space::M))
}

fn panel(content: Element<'_, Message>, portion: u16) -> Element<'_, Message> {
    container(content)
        .padding(space::M)
        .width(Length::FillPortion(portion))
        .height(Length::Fill)
        .into()
}

fn banner(content: Element<'_, Message>) -> Element<'_, Message> {
    container(content)
        .padding(space::S)
        .width(Length::Fill)
        .style(theme::error_banner)
        .into()
}

fn saved_view(s: &Saved) -> Element<'_, Message> {
    let big = |t: &str| text(t.to_string()).size(size::CODE).font(theme::BOLD);
    let status = match &s.print {
        Ok(line) => caption(line.as_str()),
        Err(line) => error_text(line.as_str()),
    };
    let col = column![
        row![
            column![label(T::DossierCode.vi()), big(&s.code)],
            column![label(T::LookupSecret.vi()), big(&s.secret)],
            column![label(T::Due.vi()), text(s.due.as_str()).size(size::HEADING)],
        ]
        .spacing(space::XL)
        .align_y(iced::Alignment::End),
        row![
            container(status).width(Length::Fill),
            button(text(T::Reprint.vi()).size(size::SMALL))
                .style(theme::secondary_button)
                .on_press(Message::ReprintClicked),
        ]
        .spacing(space::M)
        .align_y(iced::Alignment::Center),
    ]
    .spacing(space::XS);
    container(column![text(T::SavedTitle.vi()).size(size::SMALL), col].spacing(space::XS))
        .padding([space::S, space::M])
        .width(Length::Fill)
        .style(theme::saved_banner)
        .into()
}
