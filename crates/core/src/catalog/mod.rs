//! The procedure catalogue (danh mục thủ tục hành chính): versioned data, not code.
//! A dossier keeps the catalogue version it was received under.
//!
//! A procedure has a default term and fee, and may refine them per **case** (trường hợp,
//! national code `1.001193.01`) and per **channel** (cách thức thực hiện: trực tiếp,
//! bưu chính, trực tuyến). [`Procedure::applicable`] is the one place that answers "the
//! term and fee for this procedure, case and channel".
//!
//! Which published term applies to a case and a channel is decided in [`applicable`].
//!
//! Files in the national portal's format are read by [`national`]; [`parse_file`] takes
//! either format.

mod applicable;
mod choose;
pub mod national;
mod read;

pub use applicable::{Applicable, Level, TermAnswer, TermOption, term_label};
pub use choose::{
    Applied, CaseChoice, TermDraft, TermInput, appointment_explained, case_choices, choose,
    term_options,
};
pub use read::{ReadFile, ReadRecord, parse_file, read_file};

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
    /// Default statutory term: `same-day`, `3wd`, `5d`, `4wh`; `None` (written empty)
    /// when the catalogue knows none (then `term_unconfirmed` is set and `term_note` says
    /// why).
    #[serde(with = "crate::calendar::term_text")]
    pub term: Option<Term>,
    /// True when the term was not confirmed from the official text.
    #[serde(default)]
    pub term_unconfirmed: bool,
    /// How the term was read or why it is missing, in Vietnamese (e.g. "3,5 ngày làm việc
    /// = 28 giờ làm việc").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_note: Option<String>,
    /// The published text says the law sets no term ("Không quy định"): a dossier is
    /// received with the appointment the clerk gives. `term` is then `None`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub term_none: bool,
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
    /// The case's term (as [`Procedure::term`]); `None` when it has none of its own.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::calendar::term_text"
    )]
    pub term: Option<Term>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub term_unconfirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_note: Option<String>,
    /// As [`Procedure::term_none`].
    #[serde(default, skip_serializing_if = "is_false")]
    pub term_none: bool,
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
    /// As [`Procedure::term`]; `None` when this entry gives no usable term.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::calendar::term_text"
    )]
    pub term: Option<Term>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub term_unconfirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_note: Option<String>,
    /// As [`Procedure::term_none`].
    #[serde(default, skip_serializing_if = "is_false")]
    pub term_none: bool,
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

/// A document the procedure lists (thành phần hồ sơ). None is ever taken as handed in
/// until the clerk marks it; the flags only tell the clerk what kind of line it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredDocument {
    /// The full name as published, never cut.
    pub name: String,
    pub kind: DocumentKind,
    /// The group it is listed under, when the source groups them (a situation such as
    /// "Đối với nhà ở riêng lẻ tại đô thị", or "Giấy tờ phải xuất trình").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Needed only in some situations ("Trường hợp…", "nếu…").
    #[serde(default, skip_serializing_if = "is_false")]
    pub conditional: bool,
    /// Only shown, not handed in (listed under "Giấy tờ phải xuất trình").
    #[serde(default, skip_serializing_if = "is_false")]
    pub presented: bool,
    /// Belongs to one channel only (the interactive e-form of an online filing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<SubmissionMethod>,
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

/// Whether `case` is a case code of procedure `procedure` in the usual shape:
/// `<procedure>.<1–3 digits>`.
pub fn is_case_code_of(case: &str, procedure: &str) -> bool {
    case.strip_prefix(procedure)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|n| (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Longest case code kept, in characters.
pub const CASE_CODE_MAX: usize = 40;

/// Whether `code` can be a case code as the national portal publishes them. Real records
/// have `<procedure>.01`, but also the procedure's own code, another procedure's case
/// (1.014485 lists `1.014963.01`), `1.014.036.01`, `1009535.01` and
/// `1.014820.H56.01`: any short visible text without spaces is kept as published.
pub fn is_case_code(code: &str) -> bool {
    !code.is_empty()
        && code.chars().count() <= CASE_CODE_MAX
        && code
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '#')
}

impl Catalog {
    /// Parses and checks a catalogue file in our own format (JSON). A term written as
    /// no term is refused naming the procedure, case or channel that has it.
    pub fn from_json(text: &str) -> Result<Catalog, ValidationError> {
        let cat: Catalog = serde_json::from_str(text).map_err(|e| {
            let bad_term = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| {
                    v.get("procedures")?
                        .as_array()?
                        .iter()
                        .find_map(read::bad_term)
                });
            ValidationError::new(
                Field::Procedure,
                bad_term.unwrap_or_else(|| format!("tệp danh mục không hợp lệ: {e}")),
            )
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
            p.check_whole()?;
            if !seen.insert(&p.code) {
                return err(format!("mã thủ tục {} bị trùng", p.code));
            }
        }
        Ok(())
    }

    /// Finds a procedure by its national code.
    pub fn get(&self, code: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.code == code.trim())
    }
}

/// Checks one term of the catalogue: a term, or none and marked unconfirmed (or marked as
/// having no statutory term, which then must be none). A term's text that is no term is
/// refused when the catalogue is read ([`read::bad_term`] says where).
fn check_term(
    (term, none): (Option<Term>, bool),
    unconfirmed: bool,
    may_be_silent: bool,
    what: &str,
) -> Result<(), String> {
    match term {
        Some(t) if none => Err(format!(
            "{what} ghi thời hạn «{t}» nhưng lại đánh dấu không quy định thời hạn (term_none)"
        )),
        Some(_) => Ok(()),
        None if unconfirmed || may_be_silent || none => Ok(()),
        None => Err(format!(
            "{what} không có thời hạn mà không đánh dấu chưa xác nhận (term_unconfirmed)"
        )),
    }
}

impl Procedure {
    /// Checks one procedure: its code, name, terms, cases and channels.
    pub fn check_whole(&self) -> Result<(), ValidationError> {
        let err = |why: String| ValidationError::new(Field::Procedure, why);
        if !is_procedure_code(&self.code) {
            return Err(err(format!(
                "mã thủ tục «{}» không đúng dạng 1.001193",
                self.code.chars().take(40).collect::<String>()
            )));
        }
        if self.name.trim().is_empty() {
            return Err(err(format!("thủ tục {} thiếu tên", self.code)));
        }
        self.check().map_err(err)
    }

    /// Checks the terms of the procedure, its cases and channels, and the case codes.
    fn check(&self) -> Result<(), String> {
        let me = format!("thủ tục {}", self.code);
        check_term(
            (self.term, self.term_none),
            self.term_unconfirmed,
            false,
            &me,
        )?;
        for c in &self.channels {
            check_term(
                c.term_level(),
                c.term_unconfirmed,
                true,
                &format!("{me}, kênh {}", c.method.label()),
            )?;
        }
        for (i, case) in self.cases.iter().enumerate() {
            if !is_case_code(&case.code) {
                return Err(format!(
                    "mã trường hợp «{}» của {me} không hợp lệ (ví dụ {}.01)",
                    case.code.chars().take(40).collect::<String>(),
                    self.code
                ));
            }
            if self.cases[..i].contains(case) {
                return Err(format!(
                    "trường hợp {} của {me} bị lặp lại y hệt",
                    case.code
                ));
            }
            if case.name.trim().is_empty() {
                return Err(format!("trường hợp {} thiếu tên", case.code));
            }
            let it = format!("trường hợp {}", case.code);
            check_term(case.term_level(), case.term_unconfirmed, true, &it)?;
            let mut methods = std::collections::HashSet::new();
            for c in &case.channels {
                if !methods.insert(c.method) {
                    return Err(format!("{it} có hai mục cho kênh {}", c.method.label()));
                }
                check_term(
                    c.term_level(),
                    c.term_unconfirmed,
                    true,
                    &format!("{it}, kênh {}", c.method.label()),
                )?;
            }
        }
        Ok(())
    }

    /// A case of this procedure by its selector ([`Procedure::case_selector`]): its code
    /// (`2.000635.01`), the suffix alone (`01`, `.01`), or, where the record gives two
    /// different cases one code, the code and its occurrence (`1.002759.02#2`).
    pub fn case(&self, selector: &str) -> Option<&ProcedureCase> {
        self.case_index(selector).map(|i| &self.cases[i])
    }

    /// The position of the case [`Procedure::case`] finds. A code shared by several cases
    /// without an occurrence finds none (it does not say which).
    pub fn case_index(&self, selector: &str) -> Option<usize> {
        let selector = selector.trim();
        let (code, nth) = match selector.rsplit_once('#') {
            Some((code, n)) => (code.trim(), Some(n.trim().parse::<usize>().ok()?)),
            None => (selector, None),
        };
        let find = |code: &str| -> Option<usize> {
            let same: Vec<usize> = (0..self.cases.len())
                .filter(|&i| self.cases[i].code == code)
                .collect();
            match (nth, same.as_slice()) {
                (None, [only]) => Some(*only),
                (Some(n), all) if n >= 1 => all.get(n - 1).copied(),
                _ => None,
            }
        };
        find(code).or_else(|| {
            if code.is_empty() || code.contains(&self.code) {
                return None;
            }
            find(&format!("{}.{}", self.code, code.trim_start_matches('.')))
        })
    }

    /// What names case `i` unambiguously: its code, or `code#n` when the record gives
    /// another case the same code.
    pub fn case_selector(&self, i: usize) -> String {
        let code = &self.cases[i].code;
        let before = self.cases[..i].iter().filter(|c| &c.code == code).count();
        let total = self.cases.iter().filter(|c| &c.code == code).count();
        if total > 1 {
            format!("{code}#{}", before + 1)
        } else {
            code.clone()
        }
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
        self.cases_vary()
    }
}

#[cfg(test)]
mod tests;
