//! The procedure catalogue (danh mục thủ tục hành chính): versioned data, not code.
//! A dossier keeps the catalogue version it was received under.
//!
//! A procedure has a default term and fee, and may refine them per **case** (trường hợp,
//! national code `1.001193.01`) and per **channel** (cách thức thực hiện: trực tiếp,
//! bưu chính, trực tuyến). [`Procedure::applicable`] is the one place that answers "the
//! term and fee for this procedure, case and channel".
//!
//! **Which published term applies** (the precedence rule). A national record publishes
//! terms in two places that it never links: per channel (`executionMethods`, which can
//! list one channel several times, one entry per variant) and per case (`cases`). A
//! statement is *specific* to what it distinguishes: the channels' terms are specific to
//! the channel only when they differ between channels (or between variants of one
//! channel); the cases' terms are specific to the case only when they differ between
//! cases. A statement that does not vary says something about the whole procedure. For a
//! dossier of case C through channel M:
//!
//! 1. the case's own entry for M (motcua's format only) wins;
//! 2. when only one side distinguishes, it wins: different terms per channel with one
//!    case (1.010801: trực tiếp 10 ngày, bưu chính 20 ngày, the case 20 ngày → trực tiếp
//!    10), or different terms per case with one term on every channel (2.000635);
//! 3. when both sides distinguish, the case wins if its term is one of the channel's
//!    (the case selects among the channel's variants, 1.009122), else they disagree;
//! 4. when neither distinguishes, the procedure-wide statements must agree;
//! 5. where statements of equal standing disagree (a channel listed with several terms,
//!    a case against a channel, one case against every channel), **nothing is chosen
//!    silently**: the answer is [`TermAnswer::Choose`], every published term with the
//!    text it was published with, and the clerk picks;
//! 6. motcua's own `term` of the procedure comes last.
//!
//! A term marked unconfirmed stays marked up to the answer; a record whose term text says
//! "không quy định" gives a term of `None` (the law sets none: the clerk gives the
//! appointment); nothing at all is [`TermAnswer::Missing`], never a guess.
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
    /// The published text says the law sets no term ("Không quy định"): a dossier is
    /// received with the appointment the clerk gives. `term` is then empty.
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
    /// The case's term (as [`Procedure::term`]); empty when it has none of its own.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub term: String,
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
    /// As [`Procedure::term`]; empty when this entry gives no usable term.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub term: String,
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

/// One record of a catalogue file and what became of it when read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRecord {
    /// Its number in the file, from 1.
    pub n: usize,
    /// Its procedure code, when it could be read.
    pub code: Option<String>,
    /// The procedure, or why the record is refused (naming its number, code and field).
    pub result: Result<Procedure, ValidationError>,
    /// The record carries the commune's own decisions (motcua's format, or a national
    /// record with `x_counter`): whether it is offered at the counter and who handles it.
    /// A bare national record does not, and an import keeps the station's.
    pub local: bool,
}

/// A catalogue file read record by record (see [`read_file`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFile {
    /// The national portal's format (else motcua's).
    pub national: bool,
    /// The file's own version label (motcua's format, or a national wrapper's).
    pub label: Option<String>,
    /// The file's first day, or the one given at import.
    pub effective_from: Option<NaiveDate>,
    /// The latest `updatedAt` of the national records read.
    pub latest: Option<NaiveDate>,
    /// Where the data comes from, in a sentence.
    pub source: String,
    pub records: Vec<ReadRecord>,
}

impl ReadFile {
    /// The procedures read, in file order.
    pub fn accepted(&self) -> impl Iterator<Item = &Procedure> {
        self.records.iter().filter_map(|r| r.result.as_ref().ok())
    }

    /// The file as one whole catalogue: refused if any record is.
    pub fn into_catalog(self, opts: &ImportOptions) -> Result<Catalog, ValidationError> {
        let mut procedures = Vec::with_capacity(self.records.len());
        for r in self.records {
            procedures.push(r.result?);
        }
        let effective_from = self.effective_from.or(self.latest).ok_or_else(|| {
            ValidationError::new(
                Field::Procedure,
                "không xác định được ngày hiệu lực: các bản ghi không có updatedAt; hãy ghi rõ ngày hiệu lực (--effective-from)",
            )
        })?;
        let version = match (&opts.version, self.label) {
            (Some(v), _) => v.trim().to_string(),
            (None, Some(v)) if opts.offer_hidden && self.national => format!("{v}+offer-all"),
            (None, Some(v)) => v,
            (None, None) => {
                national::derived_version(&procedures, self.latest.unwrap_or(effective_from))
            }
        };
        let cat = Catalog {
            version,
            effective_from,
            source: self.source,
            procedures,
        };
        cat.check()?;
        Ok(cat)
    }
}

/// Reads a catalogue file in either format, record by record: ours (`{version,
/// effective_from, source, procedures}`) or the national portal's (one record
/// `{code:"OK", data:{…}}`, the crawler's `{id, code, name, detail}`, an array of
/// records, or motcua's wrapper of the portal's records; see [`national`]). A record
/// that does not fit is refused on its own; a file that is no catalogue at all is
/// refused whole.
pub fn read_file(text: &str, opts: &ImportOptions) -> Result<ReadFile, ValidationError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ValidationError::new(
            Field::Procedure,
            format!("tệp danh mục không phải JSON hợp lệ: {e}"),
        )
    })?;
    let ours = value
        .as_object()
        .is_some_and(|o| o.contains_key("procedures"));
    if !ours {
        return national::read(&value, opts);
    }
    if opts.offer_hidden || opts.effective_from.is_some() {
        return Err(ValidationError::new(
            Field::Procedure,
            "tệp theo định dạng danh mục của motcua đã tự ghi phiên bản, ngày hiệu lực và thủ tục nào tiếp nhận tại quầy; các tùy chọn này chỉ dùng cho tệp định dạng cổng quốc gia",
        ));
    }
    #[derive(Deserialize)]
    struct Head {
        version: String,
        effective_from: NaiveDate,
        source: String,
        procedures: Vec<serde_json::Value>,
    }
    let head: Head = serde_json::from_value(value).map_err(|e| {
        ValidationError::new(Field::Procedure, format!("tệp danh mục không hợp lệ: {e}"))
    })?;
    let mut seen = std::collections::HashMap::new();
    let records = head
        .procedures
        .into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let n = i + 1;
            let code = raw.get("code").and_then(|c| c.as_str()).map(str::to_string);
            let at = |why: String| {
                ValidationError::new(
                    Field::Procedure,
                    match &code {
                        Some(c) => format!("thủ tục số {n} (mã {c}): {why}"),
                        None => format!("thủ tục số {n}: {why}"),
                    },
                )
            };
            let result = serde_json::from_value::<Procedure>(raw)
                .map_err(|e| at(format!("không hợp lệ: {e}")))
                .and_then(|p| {
                    if let Some(first) = seen.insert(p.code.clone(), n) {
                        return Err(at(format!("trùng mã với thủ tục số {first}")));
                    }
                    p.check_whole().map_err(|e| at(e.reason))?;
                    Ok(p)
                });
            ReadRecord {
                n,
                code,
                result,
                local: true,
            }
        })
        .collect();
    Ok(ReadFile {
        national: false,
        label: Some(head.version),
        effective_from: Some(head.effective_from),
        latest: None,
        source: head.source,
        records,
    })
}

/// Reads a catalogue file in either format as one whole catalogue: any record that does
/// not fit refuses the file (the built-in lists, `motcua init --catalog`).
pub fn parse_file(text: &str, opts: &ImportOptions) -> Result<Catalog, ValidationError> {
    read_file(text, opts)?.into_catalog(opts)
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

/// Checks one term of the catalogue: well-formed, or empty and marked unconfirmed (or
/// marked as having no statutory term, which then must be empty).
fn check_term(
    (term, none): (&str, bool),
    unconfirmed: bool,
    may_be_silent: bool,
    what: &str,
) -> Result<(), String> {
    if none && !term.is_empty() {
        return Err(format!(
            "{what} ghi thời hạn «{term}» nhưng lại đánh dấu không quy định thời hạn (term_none)"
        ));
    }
    if term.is_empty() {
        if unconfirmed || may_be_silent || none {
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
            (&self.term, self.term_none),
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

    /// Whether the cases' terms differ (then each case's term is specific to it).
    fn cases_vary(&self) -> bool {
        let mut answers = self.cases.iter().filter_map(|c| own_answer(c.term_level()));
        match answers.next() {
            None => false,
            Some(first) => answers.any(|a| a != first),
        }
    }

    /// Whether the channels' terms differ between channels or between the variants of one
    /// channel (then a channel's term is specific to it).
    fn channels_vary(&self) -> bool {
        let mut per_method: Vec<Vec<Option<Term>>> = Vec::new();
        for m in SubmissionMethod::ALL {
            let mut answers: Vec<Option<Term>> = self
                .channels
                .iter()
                .filter(|c| c.method == m)
                .filter_map(|c| own_answer(c.term_level()))
                .collect();
            answers.sort_by_key(|a| a.map(|t| t.to_string()));
            answers.dedup();
            if answers.len() > 1 {
                return true;
            }
            if !answers.is_empty() {
                per_method.push(answers);
            }
        }
        per_method.windows(2).any(|w| w[0] != w[1])
    }

    /// The channels a dossier may come through, as the record lists them; empty when the
    /// catalogue does not say (then any).
    pub fn methods(&self) -> Vec<SubmissionMethod> {
        SubmissionMethod::ALL
            .into_iter()
            .filter(|m| self.channels.iter().any(|c| c.method == *m))
            .collect()
    }

    /// Whether a dossier may come through `method`: the record lists it, or lists no
    /// channel at all.
    pub fn offers(&self, method: SubmissionMethod) -> bool {
        self.channels.is_empty() || self.channels.iter().any(|c| c.method == method)
    }

    /// The term and fee for this procedure under `case` (one of [`Procedure::cases`], or
    /// none) submitted through `method`, by the precedence rule of the module
    /// documentation.
    pub fn applicable<'a>(
        &'a self,
        case: Option<&'a ProcedureCase>,
        method: SubmissionMethod,
    ) -> Applicable<'a> {
        let (fee, fee_unconfirmed, fee_from) = self.fee_for(case, method);
        Applicable {
            case,
            method,
            term: self.term_for(case, method),
            fee,
            fee_unconfirmed,
            fee_from,
        }
    }

    fn term_for(&self, case: Option<&ProcedureCase>, method: SubmissionMethod) -> TermAnswer {
        let mut notes: Vec<String> = Vec::new();
        // 1. The case's own entry for the channel.
        if let Some(c) = case {
            let own: Vec<TermOption> = c
                .channels
                .iter()
                .filter(|e| e.method == method)
                .filter_map(|e| e.option(Level::CaseChannel, &mut notes))
                .collect();
            if let Some(answer) = TermAnswer::of(own) {
                return answer;
            }
        }
        let channel: Vec<TermOption> = self
            .channels
            .iter()
            .filter(|e| e.method == method)
            .filter_map(|e| e.option(Level::Channel, &mut notes))
            .collect();
        let channel = dedup_terms(channel);
        let cases_vary = self.cases_vary();
        let channels_vary = self.channels_vary();
        // The case's statement: its own, or the one every case shares.
        let case_option = match case {
            Some(c) => c.option(self, &mut notes),
            None if !cases_vary => self.cases.iter().find_map(|c| c.option(self, &mut notes)),
            None => None,
        };
        let decided = match (case_option, channel.is_empty()) {
            (None, true) => None,
            (None, false) => TermAnswer::of(channel),
            (Some(k), true) => Some(TermAnswer::One(k)),
            (Some(k), false) => Some(match (cases_vary && case.is_some(), channels_vary) {
                // The case selects among the channel's variants, or the channel's one
                // term is the whole procedure's: the case is the more specific.
                (true, true) if channel.iter().any(|o| o.term == k.term) => TermAnswer::One(k),
                (true, false) => TermAnswer::One(k),
                // Only the channels distinguish: the channel wins.
                (false, true) => TermAnswer::of(channel).expect("channel is not empty"),
                // Both distinguish and disagree, or neither does and they disagree.
                _ => {
                    if channel.iter().all(|o| o.term == k.term) {
                        TermAnswer::One(k)
                    } else {
                        let mut all = channel;
                        all.push(k);
                        TermAnswer::of(dedup_terms(all)).expect("two options at least")
                    }
                }
            }),
        };
        if let Some(answer) = decided {
            return answer;
        }
        // 6. motcua's own default of the procedure.
        let mut rest = Vec::new();
        if let Some(o) = option_of(
            &self.term,
            self.term_none,
            self.term_unconfirmed,
            &self.term_note,
            Level::Procedure,
            "Thủ tục".to_string(),
            &mut notes,
        ) {
            rest.push(o);
        }
        match TermAnswer::of(rest) {
            Some(a) => a,
            None => {
                let mut seen = Vec::new();
                for n in notes {
                    if !seen.contains(&n) {
                        seen.push(n);
                    }
                }
                TermAnswer::Missing {
                    note: (!seen.is_empty()).then(|| seen.join("; ")),
                }
            }
        }
    }

    /// The fee: the case's entry for the channel, the case's, the channel's, the
    /// procedure's (fees carry no precedence question: a channel's variants are listed
    /// together with their text).
    fn fee_for(
        &self,
        case: Option<&ProcedureCase>,
        method: SubmissionMethod,
    ) -> (String, bool, Option<Level>) {
        let pick = |entries: Vec<&ChannelTerms>| channel_fee(&entries);
        let mut found = None;
        if let Some(c) = case {
            found = pick(c.channels.iter().filter(|e| e.method == method).collect())
                .map(|f| (f, Level::CaseChannel))
                .or_else(|| own_fee(&c.fee, c.fee_unconfirmed).map(|f| (f, Level::Case)));
        }
        let found = found
            .or_else(|| {
                pick(
                    self.channels
                        .iter()
                        .filter(|e| e.method == method)
                        .collect(),
                )
                .map(|f| (f, Level::Channel))
            })
            .or_else(|| own_fee(&self.fee, self.fee_unconfirmed).map(|f| (f, Level::Procedure)));
        match found {
            Some((FoundFee(text, u), l)) => (text, u, Some(l)),
            None => (String::new(), true, None),
        }
    }
}

/// A level's answer about the term: `Some(Some(t))` a term, `Some(None)` no statutory
/// term, `None` nothing usable.
fn own_answer((term, none): (&str, bool)) -> Option<Option<Term>> {
    if none {
        return Some(None);
    }
    match term.parse::<Term>() {
        Ok(t) if !term.is_empty() => Some(Some(t)),
        _ => None,
    }
}

/// One published statement of a term as an option, or its note when it gives none.
fn option_of(
    term: &str,
    none: bool,
    unconfirmed: bool,
    note: &Option<String>,
    from: Level,
    text: String,
    notes: &mut Vec<String>,
) -> Option<TermOption> {
    match own_answer((term, none)) {
        Some(t) => Some(TermOption {
            term: t,
            unconfirmed,
            note: note.clone(),
            from,
            text: format!("{text}: {}", term_label(t)),
        }),
        None => {
            if let Some(n) = note {
                notes.push(n.clone());
            }
            None
        }
    }
}

/// "3 ngày làm việc", or "không quy định thời hạn" for `None`.
pub fn term_label(t: Option<Term>) -> String {
    t.map_or_else(|| "không quy định thời hạn".to_string(), |t| t.label_vi())
}

/// The options with distinct terms, the first of each kept (a confirmed one preferred).
fn dedup_terms(options: Vec<TermOption>) -> Vec<TermOption> {
    let mut out: Vec<TermOption> = Vec::new();
    for o in options {
        match out.iter_mut().find(|x| x.term == o.term) {
            Some(x) if x.unconfirmed && !o.unconfirmed => *x = o,
            Some(_) => {}
            None => out.push(o),
        }
    }
    out
}

impl ChannelTerms {
    fn term_level(&self) -> (&str, bool) {
        (&self.term, self.term_none)
    }

    fn option(&self, from: Level, notes: &mut Vec<String>) -> Option<TermOption> {
        let text = match &self.variant {
            Some(v) => format!("{} ({v})", self.method.label()),
            None => self.method.label().to_string(),
        };
        option_of(
            &self.term,
            self.term_none,
            self.term_unconfirmed,
            &self.term_note,
            from,
            text,
            notes,
        )
    }
}

impl ProcedureCase {
    fn term_level(&self) -> (&str, bool) {
        (&self.term, self.term_none)
    }

    fn option(&self, p: &Procedure, notes: &mut Vec<String>) -> Option<TermOption> {
        let text = if self.name == p.name || self.name.is_empty() {
            format!("Trường hợp {}", self.code)
        } else {
            format!("Trường hợp {} ({})", self.code, self.name)
        };
        option_of(
            &self.term,
            self.term_none,
            self.term_unconfirmed,
            &self.term_note,
            Level::Case,
            text,
            notes,
        )
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

/// One term a record publishes for a case and channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermOption {
    /// The term; `None` when the text says the law sets none ("không quy định").
    pub term: Option<Term>,
    /// Not confirmed from the official text (read from free text, or marked so).
    pub unconfirmed: bool,
    /// How it was read.
    pub note: Option<String>,
    /// Which statement of the record it is.
    pub from: Level,
    /// Where and how it is published, for the clerk: "Trực tiếp: 10 ngày", "Trực tiếp
    /// (Đối với nhà ở riêng lẻ…): 10 ngày", "Trường hợp 1.002759.09 (Cấp lại thẻ…): 3 ngày
    /// làm việc".
    pub text: String,
}

/// What the catalogue says about the term of a dossier of one case through one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TermAnswer {
    /// One term applies.
    One(TermOption),
    /// The record's statements for this case and channel disagree and none is more
    /// specific: the clerk picks one (two or more, with distinct terms).
    Choose { options: Vec<TermOption> },
    /// The catalogue gives none; the note says why.
    Missing { note: Option<String> },
}

impl TermAnswer {
    /// One option as [`TermAnswer::One`], several as [`TermAnswer::Choose`], none as
    /// `None`.
    fn of(mut options: Vec<TermOption>) -> Option<TermAnswer> {
        match options.len() {
            0 => None,
            1 => options.pop().map(TermAnswer::One),
            _ => Some(TermAnswer::Choose { options }),
        }
    }

    /// The term when exactly one applies (`Some(None)`: the law sets none).
    pub fn single(&self) -> Option<&TermOption> {
        match self {
            TermAnswer::One(o) => Some(o),
            _ => None,
        }
    }

    /// The options the clerk chooses among (one for [`TermAnswer::One`]).
    pub fn options(&self) -> &[TermOption] {
        match self {
            TermAnswer::One(o) => std::slice::from_ref(o),
            TermAnswer::Choose { options } => options,
            TermAnswer::Missing { .. } => &[],
        }
    }
}

/// The term and fee that apply to a dossier of a procedure, case and channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicable<'a> {
    pub case: Option<&'a ProcedureCase>,
    pub method: SubmissionMethod,
    /// What the catalogue says about the term.
    pub term: TermAnswer,
    /// Fee text; empty when the catalogue gives none.
    pub fee: String,
    pub fee_unconfirmed: bool,
    pub fee_from: Option<Level>,
}

/// A fee text and whether it is unconfirmed.
struct FoundFee(String, bool);

fn own_fee(fee: &str, unconfirmed: bool) -> Option<FoundFee> {
    (!fee.trim().is_empty()).then(|| FoundFee(fee.to_string(), unconfirmed))
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
