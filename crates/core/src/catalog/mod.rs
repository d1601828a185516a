//! The procedure catalogue (danh mục thủ tục hành chính): versioned data, not code.
//! A dossier keeps the catalogue version it was received under.
//!
//! A procedure has a default term and fee, and may refine them per **case** (trường hợp,
//! national code `1.001193.01`) and per **channel** (cách thức thực hiện: trực tiếp,
//! bưu chính, trực tuyến). [`Procedure::applicable`] is the one place that answers "the
//! term and fee for this procedure, case and channel"; its fallback order is
//!
//! 1. the case's entry for the channel,
//! 2. the case's own term (fee),
//! 3. the procedure's entries for the channel (when several variants of one channel give
//!    different terms, none of them is taken: the variant is not known),
//! 4. the procedure's default term (fee).
//!
//! A level that gives no term (empty, or a unit the deadline engine does not know, which
//! the data marks unconfirmed) is passed over. A term or fee that is not confirmed stays
//! marked so all the way to the answer; no term at all is an answer too (`term: None`),
//! never a guess.
//!
//! Files in the national portal's format are read by [`national`]; [`parse_file`] takes
//! either format.

pub mod national;

use crate::calendar::Term;
use crate::dossier::DocumentKind;
use crate::validation::{Field, ValidationError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use national::ImportOptions;

/// One version of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// Version label, e.g. `2025.07-xa`.
    pub version: String,
    /// The first day dossiers are received under this version.
    pub effective_from: NaiveDate,
    /// Where the data comes from.
    pub source: String,
    pub procedures: Vec<Procedure>,
}

/// One administrative procedure as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// National code, e.g. `1.001193`.
    pub code: String,
    pub name: String,
    /// Lĩnh vực, e.g. `Hộ tịch`.
    pub field: String,
    /// Default statutory term: `same-day`, `3wd`, `5d`, `4wh`; empty when the catalogue
    /// knows none (then `term_unconfirmed` is set and `term_note` says why).
    pub term: String,
    /// True when the term was not confirmed from the official text.
    #[serde(default)]
    pub term_unconfirmed: bool,
    /// How the term was read or why it is missing, in Vietnamese (e.g. "3,5 ngày làm việc
    /// = 28 giờ làm việc").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_note: Option<String>,
    /// Fee as published (free text: amounts vary by province).
    pub fee: String,
    /// True when the fee was not confirmed (not in the source at all, or only partly).
    #[serde(default, skip_serializing_if = "is_false")]
    pub fee_unconfirmed: bool,
    pub documents: Vec<RequiredDocument>,
    /// Offered at the counter (shown in the window's procedure picker). False for a
    /// procedure received elsewhere, e.g. cư trú handled by Công an cấp xã.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub offered: bool,
    /// Who handles it, when the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handled_by: Option<HandledBy>,
    /// Cases (trường hợp), each with its own code and term.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<ProcedureCase>,
    /// Terms and fees per channel (cách thức thực hiện); one channel may appear more than
    /// once, one entry per published variant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<ChannelTerms>,
    /// Căn cứ pháp lý.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legal_basis: Vec<LegalBasis>,
    /// Where this procedure's data comes from (record, decision, page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A case (trường hợp giải quyết) of a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureCase {
    /// National case code: the procedure's code and a suffix, e.g. `1.001193.01`.
    pub code: String,
    pub name: String,
    /// The case's term (as [`Procedure::term`]); empty when it has none of its own.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub term: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub term_unconfirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_note: Option<String>,
    /// The case's fee; empty when it has none of its own.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fee: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub fee_unconfirmed: bool,
    /// The case's terms and fees per channel, at most one entry per channel.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<ChannelTerms>,
}

/// How a dossier may be submitted (national `submissionMethod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionMethod {
    /// Trực tiếp.
    Direct,
    /// Bưu chính (công ích).
    Postal,
    /// Trực tuyến.
    Online,
}

impl SubmissionMethod {
    /// Every channel, in the order the forms list them.
    pub const ALL: [SubmissionMethod; 3] = [
        SubmissionMethod::Direct,
        SubmissionMethod::Postal,
        SubmissionMethod::Online,
    ];

    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            SubmissionMethod::Direct => "Trực tiếp",
            SubmissionMethod::Postal => "Bưu chính",
            SubmissionMethod::Online => "Trực tuyến",
        }
    }
}

impl From<crate::dossier::Channel> for SubmissionMethod {
    fn from(c: crate::dossier::Channel) -> Self {
        match c {
            crate::dossier::Channel::Direct => SubmissionMethod::Direct,
            crate::dossier::Channel::Postal => SubmissionMethod::Postal,
        }
    }
}

/// The term and fee of one channel (or of one published variant of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelTerms {
    pub method: SubmissionMethod,
    /// As [`Procedure::term`]; empty when this entry gives no usable term.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub term: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub term_unconfirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_note: Option<String>,
    /// Fee text; empty when this entry gives none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fee: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub fee_unconfirmed: bool,
    /// Which variant the entry is, as published (e.g. "Đối với nhà ở riêng lẻ tại đô
    /// thị: …", "Tại cơ quan đại diện: 10 USD/bản").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

/// Who handles a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandledBy {
    /// UBND cấp xã.
    Commune,
    /// UBND cấp xã together with a province body (liên thông).
    Shared,
    /// The commune, or commune and province: the source does not say which.
    CommuneOrShared,
    /// A province body; the commune centre only receives.
    Province,
    /// Công an cấp xã (cư trú).
    CommunePolice,
}

impl HandledBy {
    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            HandledBy::Commune => "UBND cấp xã",
            HandledBy::Shared => "UBND cấp xã phối hợp cơ quan cấp tỉnh",
            HandledBy::CommuneOrShared => "UBND cấp xã (hoặc liên thông cấp tỉnh, chưa xác định)",
            HandledBy::Province => "cơ quan cấp tỉnh (xã chỉ tiếp nhận)",
            HandledBy::CommunePolice => "Công an cấp xã",
        }
    }

    /// Parses the catalogue name (`commune`, `shared`, `commune_or_shared`, `province`,
    /// `commune_police`).
    pub fn parse(s: &str) -> Option<HandledBy> {
        Some(match s {
            "commune" => HandledBy::Commune,
            "shared" => HandledBy::Shared,
            "commune_or_shared" => HandledBy::CommuneOrShared,
            "province" => HandledBy::Province,
            "commune_police" => HandledBy::CommunePolice,
            _ => return None,
        })
    }
}

/// One legal basis (căn cứ pháp lý).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalBasis {
    /// Number, e.g. `123/2015/NĐ-CP`.
    pub code: String,
    pub name: String,
}

/// A document the procedure requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredDocument {
    pub name: String,
    pub kind: DocumentKind,
    /// The group it is listed under, when the source groups them (a situation such as
    /// "Đối với nhà ở riêng lẻ tại đô thị", or "Giấy tờ phải xuất trình").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_true(b: &bool) -> bool {
    *b
}

fn yes() -> bool {
    true
}

/// Whether `code` has the national shape `d.dddddd`.
pub fn is_procedure_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 8 && b[0].is_ascii_digit() && b[1] == b'.' && b[2..].iter().all(u8::is_ascii_digit)
}

/// Whether `case` is a case code of procedure `procedure`: `<procedure>.<1–3 digits>`.
pub fn is_case_code_of(case: &str, procedure: &str) -> bool {
    case.strip_prefix(procedure)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|n| (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads a catalogue file in either format: ours (`{version, effective_from, source,
/// procedures}`) or the national portal's (one record `{code:"OK", data:{…}}`, an array
/// of records, or motcua's wrapper of the portal's records; see [`national`]).
pub fn parse_file(text: &str, opts: &ImportOptions) -> Result<Catalog, ValidationError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ValidationError::new(
            Field::Procedure,
            format!("tệp danh mục không phải JSON hợp lệ: {e}"),
        )
    })?;
    let ours = value
        .as_object()
        .is_some_and(|o| o.contains_key("procedures"));
    let mut cat = if ours {
        if opts.offer_hidden || opts.effective_from.is_some() {
            return Err(ValidationError::new(
                Field::Procedure,
                "tệp theo định dạng danh mục của motcua đã tự ghi phiên bản, ngày hiệu lực và thủ tục nào tiếp nhận tại quầy; các tùy chọn này chỉ dùng cho tệp định dạng cổng quốc gia",
            ));
        }
        Catalog::from_json(text)?
    } else {
        national::parse(&value, opts)?
    };
    if let Some(v) = &opts.version {
        cat.version = v.trim().to_string();
    }
    cat.check()?;
    Ok(cat)
}

impl Catalog {
    /// Parses and checks a catalogue file in our own format (JSON).
    pub fn from_json(text: &str) -> Result<Catalog, ValidationError> {
        let cat: Catalog = serde_json::from_str(text).map_err(|e| {
            ValidationError::new(Field::Procedure, format!("tệp danh mục không hợp lệ: {e}"))
        })?;
        cat.check()?;
        Ok(cat)
    }

    /// Checks codes (well-formed, unique), names and terms, of procedures and their cases
    /// and channels.
    pub fn check(&self) -> Result<(), ValidationError> {
        let err = |why: String| Err(ValidationError::new(Field::Procedure, why));
        if self.version.trim().is_empty() {
            return err("danh mục thiếu phiên bản".into());
        }
        if self.version.chars().count() > 100 || self.version.chars().any(char::is_control) {
            return err(format!(
                "phiên bản danh mục «{}» quá dài hoặc chứa ký tự điều khiển",
                self.version.chars().take(40).collect::<String>()
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for p in &self.procedures {
            if !is_procedure_code(&p.code) {
                return err(format!("mã thủ tục «{}» không đúng dạng 1.001193", p.code));
            }
            if !seen.insert(&p.code) {
                return err(format!("mã thủ tục {} bị trùng", p.code));
            }
            if p.name.trim().is_empty() {
                return err(format!("thủ tục {} thiếu tên", p.code));
            }
            p.check()
                .map_err(|why| ValidationError::new(Field::Procedure, why))?;
        }
        Ok(())
    }

    /// Finds a procedure by its national code.
    pub fn get(&self, code: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.code == code.trim())
    }
}

/// Checks one term of the catalogue: well-formed, or empty and marked unconfirmed.
fn check_term(
    term: &str,
    unconfirmed: bool,
    may_be_silent: bool,
    what: &str,
) -> Result<(), String> {
    if term.is_empty() {
        if unconfirmed || may_be_silent {
            return Ok(());
        }
        return Err(format!(
            "{what} không có thời hạn mà không đánh dấu chưa xác nhận (term_unconfirmed)"
        ));
    }
    term.parse::<Term>()
        .map(|_| ())
        .map_err(|_| format!("thời hạn «{term}» của {what} không hợp lệ"))
}

impl Procedure {
    /// Checks the terms of the procedure, its cases and channels, and the case codes.
    fn check(&self) -> Result<(), String> {
        let me = format!("thủ tục {}", self.code);
        check_term(&self.term, self.term_unconfirmed, false, &me)?;
        for c in &self.channels {
            check_term(
                &c.term,
                c.term_unconfirmed,
                true,
                &format!("{me}, kênh {}", c.method.label()),
            )?;
        }
        let mut codes = std::collections::HashSet::new();
        for case in &self.cases {
            if !is_case_code_of(&case.code, &self.code) {
                return Err(format!(
                    "mã trường hợp «{}» của {me} phải có dạng {}.01",
                    case.code.chars().take(40).collect::<String>(),
                    self.code
                ));
            }
            if !codes.insert(&case.code) {
                return Err(format!("mã trường hợp {} của {me} bị trùng", case.code));
            }
            if case.name.trim().is_empty() {
                return Err(format!("trường hợp {} thiếu tên", case.code));
            }
            let it = format!("trường hợp {}", case.code);
            check_term(&case.term, case.term_unconfirmed, true, &it)?;
            let mut methods = std::collections::HashSet::new();
            for c in &case.channels {
                if !methods.insert(c.method) {
                    return Err(format!("{it} có hai mục cho kênh {}", c.method.label()));
                }
                check_term(
                    &c.term,
                    c.term_unconfirmed,
                    true,
                    &format!("{it}, kênh {}", c.method.label()),
                )?;
            }
        }
        Ok(())
    }

    /// A case of this procedure by its code (`2.000635.01`), or by the suffix alone
    /// (`01`, `.01`).
    pub fn case(&self, code: &str) -> Option<&ProcedureCase> {
        let code = code.trim();
        let full = if is_case_code_of(code, &self.code) {
            code.to_string()
        } else {
            format!("{}.{}", self.code, code.trim_start_matches('.'))
        };
        self.cases.iter().find(|c| c.code == full)
    }

    /// The case a dossier is received under when the clerk names none: the only case of
    /// a procedure that has exactly one.
    pub fn default_case(&self) -> Option<&ProcedureCase> {
        match self.cases.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }

    /// Whether the clerk must choose a case: the procedure has several and they do not
    /// all have the same term.
    pub fn case_required(&self) -> bool {
        let mut terms = self.cases.iter().map(|c| c.term.as_str());
        match terms.next() {
            None => false,
            Some(first) => terms.any(|t| t != first),
        }
    }

    /// The term and fee for this procedure under `case` (one of [`Procedure::cases`], or
    /// none) submitted through `method`, by the fallback order of the module
    /// documentation.
    pub fn applicable<'a>(
        &'a self,
        case: Option<&'a ProcedureCase>,
        method: SubmissionMethod,
    ) -> Applicable<'a> {
        let mut notes = Vec::new();
        let mut term = None;
        let mut fee = None;
        let mut consider =
            |level: Level, t: Option<Found>, f: Option<FoundFee>, notes: &mut Vec<String>| {
                match t {
                    Some(Found::Term(parsed, unconfirmed, note)) if term.is_none() => {
                        term = Some((parsed, unconfirmed, note, level));
                    }
                    Some(Found::Nothing(Some(note))) if term.is_none() => notes.push(note),
                    _ => {}
                }
                if let Some(found) = f
                    && fee.is_none()
                {
                    fee = Some((found, level));
                }
            };
        if let Some(c) = case {
            let entries: Vec<&ChannelTerms> =
                c.channels.iter().filter(|e| e.method == method).collect();
            consider(
                Level::CaseChannel,
                channel_term(&entries),
                channel_fee(&entries),
                &mut notes,
            );
            consider(
                Level::Case,
                Some(own_term(&c.term, c.term_unconfirmed, &c.term_note)),
                own_fee(&c.fee, c.fee_unconfirmed),
                &mut notes,
            );
        }
        let entries: Vec<&ChannelTerms> = self
            .channels
            .iter()
            .filter(|e| e.method == method)
            .collect();
        consider(
            Level::Channel,
            channel_term(&entries),
            channel_fee(&entries),
            &mut notes,
        );
        consider(
            Level::Procedure,
            Some(own_term(&self.term, self.term_unconfirmed, &self.term_note)),
            own_fee(&self.fee, self.fee_unconfirmed),
            &mut notes,
        );
        let (term, term_unconfirmed, term_note, term_from) = match term {
            Some((t, u, n, l)) => (Some(t), u, n, Some(l)),
            None => {
                notes.dedup();
                let note = (!notes.is_empty()).then(|| notes.join("; "));
                (None, true, note, None)
            }
        };
        let (fee, fee_unconfirmed, fee_from) = match fee {
            Some((FoundFee(text, u), l)) => (text, u, Some(l)),
            None => (String::new(), true, None),
        };
        Applicable {
            case,
            method,
            term,
            term_unconfirmed,
            term_note,
            term_from,
            fee,
            fee_unconfirmed,
            fee_from,
        }
    }
}

/// Where [`Procedure::applicable`] found a term or fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The case's entry for the channel.
    CaseChannel,
    /// The case itself.
    Case,
    /// The procedure's entry (entries) for the channel.
    Channel,
    /// The procedure's default.
    Procedure,
}

/// The term and fee that apply to a dossier of a procedure, case and channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicable<'a> {
    pub case: Option<&'a ProcedureCase>,
    pub method: SubmissionMethod,
    /// The term, or `None` when the catalogue gives none for this case and channel.
    pub term: Option<Term>,
    /// True when the term is not confirmed (always true when there is none).
    pub term_unconfirmed: bool,
    /// How it was read, or why there is none.
    pub term_note: Option<String>,
    pub term_from: Option<Level>,
    /// Fee text; empty when the catalogue gives none.
    pub fee: String,
    pub fee_unconfirmed: bool,
    pub fee_from: Option<Level>,
}

/// What one level says about the term.
enum Found {
    /// A term, whether it is unconfirmed, and its note.
    Term(Term, bool, Option<String>),
    /// No usable term, maybe with a note saying why.
    Nothing(Option<String>),
}

/// A fee text and whether it is unconfirmed.
struct FoundFee(String, bool);

fn own_term(term: &str, unconfirmed: bool, note: &Option<String>) -> Found {
    match term.parse::<Term>() {
        Ok(t) if !term.is_empty() => Found::Term(t, unconfirmed, note.clone()),
        _ => Found::Nothing(note.clone()),
    }
}

fn own_fee(fee: &str, unconfirmed: bool) -> Option<FoundFee> {
    (!fee.trim().is_empty()).then(|| FoundFee(fee.to_string(), unconfirmed))
}

/// The term the entries of one channel agree on. Variants with different terms give
/// none: which variant applies is not known from the channel alone.
fn channel_term(entries: &[&ChannelTerms]) -> Option<Found> {
    let with_term: Vec<(Term, &ChannelTerms)> = entries
        .iter()
        .filter_map(|e| match e.term.parse::<Term>() {
            Ok(t) if !e.term.is_empty() => Some((t, *e)),
            _ => None,
        })
        .collect();
    let Some((first, _)) = with_term.first() else {
        let note = entries
            .iter()
            .filter_map(|e| e.term_note.clone())
            .collect::<Vec<_>>();
        return (!note.is_empty()).then(|| Found::Nothing(Some(note.join("; "))));
    };
    if with_term.iter().all(|(t, _)| t == first) {
        let unconfirmed = with_term.iter().any(|(_, e)| e.term_unconfirmed);
        let note = with_term.iter().find_map(|(_, e)| e.term_note.clone());
        return Some(Found::Term(*first, unconfirmed, note));
    }
    let list = with_term
        .iter()
        .map(|(t, e)| match &e.variant {
            Some(v) => format!("{} ({})", t.label_vi(), v),
            None => t.label_vi(),
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(Found::Nothing(Some(format!(
        "kênh {} có thời hạn khác nhau theo từng trường hợp: {list}",
        entries[0].method.label().to_lowercase()
    ))))
}

/// The fee of one channel: its single fee text, or every variant's with the variant.
fn channel_fee(entries: &[&ChannelTerms]) -> Option<FoundFee> {
    let with_fee: Vec<&&ChannelTerms> = entries
        .iter()
        .filter(|e| !e.fee.trim().is_empty())
        .collect();
    let first = with_fee.first()?;
    let unconfirmed = with_fee.iter().any(|e| e.fee_unconfirmed);
    if with_fee.iter().all(|e| e.fee == first.fee) {
        return Some(FoundFee(first.fee.clone(), unconfirmed));
    }
    let text = with_fee
        .iter()
        .map(|e| match &e.variant {
            Some(v) => format!("{} ({v})", e.fee),
            None => e.fee.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(FoundFee(text, unconfirmed))
}

#[cfg(test)]
mod tests;
