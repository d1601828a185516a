//! What the clerk typed on the Receive screen: the fields, the document checklist with
//! what was marked as handed in, and the form handed to the application layer. Kept whole
//! across screens, locking and failed saves.

use crate::gui::i18n::T;
use motcua_app::ReceiveForm;
use motcua_app::catalog::{Applied, TermDraft, TermInput};
use motcua_core::ValidationError;
use motcua_core::catalog::{Procedure, RequiredDocument};
use motcua_core::dossier::{Channel, DocumentInput, DocumentKind, DossierInput, PartyKind};

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Procedure,
    /// The procedure's case, by its number in the list (1–9).
    Case,
    /// Which of the published terms that disagree applies, by its number.
    TermChoice,
    /// The term typed from the posted listing, when the catalogue has none.
    Term,
    /// The appointment, when the law sets no term.
    Appointment,
    /// The documents handed in: one key per document (its number in the checklist).
    Marks,
    Name,
    IdNumber,
    Phone,
    Email,
    Address,
    /// The organisation's representative (shown only for an organisation).
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
            Input::TermChoice => "term-choice".into(),
            Input::Term => "term".into(),
            Input::Appointment => "appointment".into(),
            Input::Marks => "marks".into(),
            Input::Name => "name".into(),
            Input::IdNumber => "id-number".into(),
            Input::Phone => "phone".into(),
            Input::Email => "email".into(),
            Input::Address => "address".into(),
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
    pub fn of(field: motcua_core::Field) -> Option<Input> {
        use motcua_core::Field as F;
        Some(match field {
            F::Procedure => Input::Procedure,
            F::Case => Input::Case,
            F::Term => Input::Term,
            F::Appointment => Input::Appointment,
            F::Channel => Input::Channel,
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

/// The keys that mark documents in the checklist, in order: the digits, then consonants
/// an input method leaves alone (Telex and VNI rewrite vowels, d, w, z and the tone keys).
pub const DOC_KEYS: [char; 22] = [
    '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'b', 'c', 'g', 'h', 'k', 'l', 'm', 'n', 'p',
    'q', 't', 'v',
];

/// One line of the document checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocRow {
    pub name: String,
    pub kind: DocumentKind,
    /// Handed in: only what the clerk marked.
    pub marked: bool,
    /// Copies handed in, as typed (empty = 1).
    pub count: String,
    /// The key that marks it in the marks field, if it has one.
    pub key: Option<char>,
    /// What kind of line it is, for the clerk ("tùy trường hợp", "chỉ xuất trình", …).
    pub tag: Option<String>,
}

impl DocRow {
    /// A catalogue document, not marked.
    pub fn listed(n: usize, d: &RequiredDocument) -> DocRow {
        let mut tags: Vec<String> = Vec::new();
        if d.conditional {
            tags.push(T::DocConditional.vi().into());
        }
        if d.presented {
            tags.push(T::DocPresented.vi().into());
        }
        if let Some(m) = d.channel {
            tags.push(crate::gui::i18n::doc_channel(m.label()));
        }
        DocRow {
            name: d.name.clone(),
            kind: d.kind,
            marked: false,
            count: String::new(),
            key: DOC_KEYS.get(n).copied(),
            tag: (!tags.is_empty()).then(|| tags.join(", ")),
        }
    }

    /// The copies handed in (1 when nothing was typed).
    fn copies(&self) -> i64 {
        let digits: String = self.count.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() {
            1
        } else {
            digits.parse().unwrap_or(i64::MAX)
        }
    }
}

/// What the clerk typed: kept whole across screens, locking and failed saves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub procedure_query: String,
    pub chosen: Option<Procedure>,
    /// The chosen case's selector, if the procedure has cases.
    pub case_code: Option<String>,
    /// The number of the published term chosen, as typed.
    pub term_choice: String,
    /// The term typed when the catalogue gives none for the case and channel.
    pub term_typed: String,
    /// The appointment typed when the law sets no term.
    pub appointment: String,
    /// The keys typed in the marks field (each toggles its document).
    pub marks: String,
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
            term_choice: String::new(),
            term_typed: String::new(),
            appointment: String::new(),
            marks: String::new(),
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
    pub fn text(&self, i: Input) -> &str {
        match i {
            Input::Procedure => &self.procedure_query,
            Input::Case => self.case_name(),
            Input::TermChoice => &self.term_choice,
            Input::Term => &self.term_typed,
            Input::Appointment => &self.appointment,
            Input::Marks => &self.marks,
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

    /// The stored text of a free-text field (`None` for the choice fields).
    pub fn text_mut(&mut self, i: Input) -> Option<&mut String> {
        Some(match i {
            Input::Procedure => &mut self.procedure_query,
            Input::TermChoice => &mut self.term_choice,
            Input::Term => &mut self.term_typed,
            Input::Appointment => &mut self.appointment,
            Input::Marks => &mut self.marks,
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
            Input::Channel | Input::Delivery | Input::Case => return None,
        })
    }

    /// The chosen case's name ("" for none).
    pub fn case_name(&self) -> &str {
        let sel = self.case_code.as_deref();
        self.chosen
            .as_ref()
            .and_then(|p| sel.and_then(|s| p.case(s)))
            .map_or("", |c| c.name.as_str())
    }

    /// The term choices as typed, for the application layer.
    pub fn term_draft(&self) -> TermDraft {
        TermDraft {
            case: self.case_code.clone(),
            channel: self.channel,
            typed: opt(&self.term_typed),
            choice: opt(&self.term_choice),
            appointment: opt(&self.appointment),
        }
    }

    /// The term and case that apply as chosen so far, as the application layer decides
    /// them (the same function receiving uses). An appointment typed counts as given
    /// here whatever its time: the preview asks the application layer for the real one.
    pub fn applied(&self) -> Option<Result<Applied, ValidationError>> {
        let p = self.chosen.as_ref()?;
        let choice = motcua_core::dossier::parse_term_choice(opt(&self.term_choice).as_deref())
            .ok()
            .flatten();
        let appointment = opt(&self.appointment)
            .and_then(|a| motcua_core::dossier::parse_appointment(&a).ok())
            .map(|(d, _)| d.and_time(chrono::NaiveTime::MIN));
        Some(motcua_app::catalog::choose(
            p,
            TermInput {
                case: self.case_code.as_deref(),
                channel: self.channel,
                typed: Some(self.term_typed.as_str()),
                choice,
                appointment,
            },
        ))
    }

    /// The published terms to choose among for the case and channel chosen so far.
    pub fn term_options(&self) -> Vec<String> {
        self.chosen.as_ref().map_or_else(Vec::new, |p| {
            motcua_app::catalog::term_options(p, self.case_code.as_deref(), self.channel)
        })
    }

    /// Whether the law sets no term for what is chosen (the appointment is asked for).
    pub fn needs_appointment(&self) -> bool {
        matches!(self.applied(), Some(Err(e)) if e.field == motcua_core::Field::Appointment)
            || matches!(self.applied(), Some(Ok(a)) if a.appointment.is_some())
    }

    /// Whether the catalogue gives no term, so the clerk types the listing's (or has typed
    /// one).
    pub fn needs_typed_term(&self) -> bool {
        self.term_options().is_empty()
            && (matches!(self.applied(), Some(Err(e)) if e.field == motcua_core::Field::Term)
                || !self.term_typed.is_empty())
    }

    /// The documents marked as handed in.
    pub fn marked(&self) -> usize {
        self.documents.iter().filter(|d| d.marked).count()
    }

    /// The marks field changed from `old` to `new`: every key removed or added toggles
    /// its document, so typing a key again, deleting it, or a card QR typed into the field
    /// and then taken out leave the marks as they were.
    pub fn marks_changed(&mut self, old: &str, new: &str) {
        let common = old
            .chars()
            .zip(new.chars())
            .take_while(|(a, b)| a == b)
            .count();
        for c in old.chars().skip(common).chain(new.chars().skip(common)) {
            let c = c.to_ascii_lowercase();
            if let Some(d) = self.documents.iter_mut().find(|d| d.key == Some(c)) {
                d.marked = !d.marked;
            }
        }
        self.marks = new.to_string();
    }

    /// The dossier as the application layer takes it (validation is its job). Only the
    /// documents marked as handed in are on it.
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
                    .filter(|d| d.marked)
                    .map(|d| DocumentInput::new(d.name.clone(), d.kind, d.copies()))
                    .collect(),
                sets: number(&self.sets, 0),
                channel: self.channel,
                post_address: self.by_post.then(|| self.post_address.clone()),
                fee: opt(&self.fee).map(|f| number(&f, 0)),
                note: opt(&self.note),
                case_code: self.case_code.clone(),
                term_typed: opt(&self.term_typed),
                term_choice: opt(&self.term_choice),
                appointment: opt(&self.appointment),
                ..DossierInput::default()
            },
            received_at: None,
        }
    }
}
