//! Catalogue files in the national public-service portal's format (Cổng Dịch vụ công
//! quốc gia, dichvucong.gov.vn), read into our [`Catalog`]. The fields are described in
//! `assets/catalog/national/README.md`.
//!
//! Three shapes are read:
//!
//! * one detail record as the portal's API answers it: `{"code":"OK","data":{…}}`;
//! * an array of such answers, or of bare records (the `data` members);
//! * motcua's wrapper `{"x_format":"motcua-national-catalog/1", "version", "commune",
//!   "records":[…]}` (`assets/catalog/national/*.json`), whose records may also be the
//!   portal's list items or bare names, with motcua's `x_` fields (`x_counter`,
//!   `x_listing`, `x_unconfirmed`).
//!
//! **Terms.** The portal's units map to the deadline engine's: `WORKING_DAY` n → `nwd`
//! (a fraction → working hours at 8 hours a working day: 3.5 → `28wh`, with a note),
//! `DAY` n → `nd`, `HOUR` n → `nwh` (hours are counted as working hours, with a note).
//! `MONTH`, `OTHER` (the number is meaningless, the text is in `description`), a zero or
//! missing number and any other unit give **no term**, marked unconfirmed with a note
//! saying what the record wrote. A case's `processingDay` is read the same way.
//!
//! **Default term** of a procedure: the one term all its cases agree on; else, with no
//! cases (or cases without terms), the one term all its channels agree on; else none
//! (unconfirmed, with a note; cases with different terms mean the clerk picks one). A
//! single case whose term contradicts every channel's keeps its term, marked
//! unconfirmed.
//!
//! **Version.** A wrapper's `version` is used as it is. Records alone carry no version of
//! ours: unless one is given, it is derived from the content, `dvcqg-YYYYMMDD-<8 hex>`:
//! the latest `updatedAt` of the records (Vietnam date) and the start of the SHA-256 of
//! the converted procedures. The same records give the same label however the file is
//! laid out; a changed record gives a new one. `effective_from` is that date (or the
//! latest `x_listing.activeFrom`/`updatedAt` of a wrapper), unless one is given.
//!
//! **Offered.** `x_counter.offerByDefault` when present; otherwise a procedure executed
//! by Công an cấp xã (`departmentsExecuting` code `BCA_CAX`) is not offered at the
//! counter. [`ImportOptions::offer_hidden`] offers everything.
//!
//! A record that does not fit is refused with its number, its code and the field.

use super::{
    Catalog, ChannelTerms, HandledBy, LegalBasis, Procedure, ProcedureCase, ReadFile, ReadRecord,
    RequiredDocument, SubmissionMethod, is_procedure_code,
};
use crate::calendar::Term;
use crate::dossier::DocumentKind;
use crate::text::{clean, fold};
use crate::validation::{Field, ValidationError, forbidden_char};
use chrono::NaiveDate;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The wrapper format this reader knows.
pub const WRAPPER_FORMAT: &str = "motcua-national-catalog/1";

/// Hours in a working day when a fractional number of working days is turned into hours.
pub const HOURS_PER_WORKING_DAY: f64 = 8.0;

/// Choices made at import time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The version label to give the catalogue, instead of the file's or the derived one.
    pub version: Option<String>,
    /// The first day of the version, instead of the one derived from the records.
    pub effective_from: Option<NaiveDate>,
    /// Offer every procedure at the counter, also those the data keeps off it (cư trú).
    pub offer_hidden: bool,
}

/// Reads a national-format file (already parsed as JSON) record by record: a record that
/// does not fit is refused on its own, named with its number, code and field; the others
/// are read. A file that is not one of the shapes at all is refused as a whole.
pub fn read(value: &Value, opts: &ImportOptions) -> Result<ReadFile, ValidationError> {
    let file_err = |why: String| ValidationError::new(Field::Procedure, why);
    let (records, wrapper): (Vec<&Value>, Option<&Map<String, Value>>) = match value {
        Value::Object(o) if o.contains_key("x_format") => {
            let format = o.get("x_format").and_then(Value::as_str).unwrap_or("");
            if format != WRAPPER_FORMAT {
                return Err(file_err(format!(
                    "tệp gộp có x_format «{}», chương trình chỉ đọc «{WRAPPER_FORMAT}»",
                    format.chars().take(60).collect::<String>()
                )));
            }
            match o.get("records") {
                Some(Value::Array(a)) => (a.iter().collect(), Some(o)),
                _ => return Err(file_err("tệp gộp thiếu mảng «records»".into())),
            }
        }
        Value::Array(a) => (a.iter().collect(), None),
        Value::Object(o)
            if o.contains_key("data") || o.contains_key("detail") || looks_like_record(o) =>
        {
            (vec![value], None)
        }
        _ => {
            return Err(file_err(
                "không nhận ra định dạng tệp: cần danh mục của motcua ({version, effective_from, source, procedures}) hoặc bản ghi của Cổng Dịch vụ công quốc gia ({\"code\":\"OK\",\"data\":{…}}, bản ghi của trình thu thập {id, code, name, detail}, một mảng bản ghi, hoặc tệp gộp có x_format)".into(),
            ));
        }
    };
    if records.is_empty() {
        return Err(file_err("tệp không có bản ghi thủ tục nào".into()));
    }
    let mut out = Vec::with_capacity(records.len());
    let mut dates = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, raw) in records.iter().enumerate() {
        let n = i + 1;
        let rec = match Rec::open(n, raw) {
            Ok(r) => r,
            Err(e) => {
                out.push(ReadRecord {
                    n,
                    code: None,
                    result: Err(e),
                    local: false,
                });
                continue;
            }
        };
        let code = Some(rec.code.clone());
        let local = rec.o.contains_key("x_counter");
        let result = match seen.insert(rec.code.clone(), n) {
            Some(first) => Err(rec.err("code", &format!("trùng mã với bản ghi số {first}"))),
            None => rec.convert().map(|(mut p, updated)| {
                dates.extend(updated);
                if opts.offer_hidden {
                    p.offered = true;
                }
                p
            }),
        };
        out.push(ReadRecord {
            n,
            code,
            result,
            local,
        });
    }
    let mut effective_from = opts.effective_from;
    if effective_from.is_none()
        && let Some(w) = wrapper
        && let Some(v) = w.get("effective_from")
    {
        effective_from = Some(
            v.as_str()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .ok_or_else(|| {
                    file_err("trường «effective_from» của tệp gộp phải là ngày YYYY-MM-DD".into())
                })?,
        );
    }
    let latest = dates.iter().max().copied();
    let label = wrapper
        .and_then(|w| w.get("version"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string);
    let accepted = out.iter().filter(|r| r.result.is_ok()).count();
    let source = match wrapper {
        Some(w) => wrapper_source(w, label.as_deref().unwrap_or("")),
        None => format!(
            "Cổng Dịch vụ công quốc gia (dichvucong.gov.vn): {accepted} bản ghi thủ tục{}; phí, lệ phí theo bản ghi, chưa đối chiếu nghị quyết HĐND; thông tin thiếu được đánh dấu chưa xác nhận",
            latest
                .map(|d| format!(", cập nhật đến {}", d.format("%d/%m/%Y")))
                .unwrap_or_default()
        ),
    };
    Ok(ReadFile {
        national: true,
        label,
        effective_from,
        latest,
        source,
        records: out,
    })
}

/// Reads a national-format file (already parsed as JSON) into a catalogue, as a whole:
/// the first record that does not fit refuses the file.
pub fn parse(value: &Value, opts: &ImportOptions) -> Result<Catalog, ValidationError> {
    read(value, opts)?.into_catalog(opts)
}

/// `dvcqg-YYYYMMDD-<8 hex>` from the latest update and the converted content.
pub fn derived_version(procedures: &[Procedure], date: NaiveDate) -> String {
    let body = serde_json::to_string(procedures).expect("catalogue types always serialise");
    let hash = hex::encode(Sha256::digest(body.as_bytes()));
    format!("dvcqg-{}-{}", date.format("%Y%m%d"), &hash[..8])
}

fn wrapper_source(w: &Map<String, Value>, version: &str) -> String {
    let commune = w.get("commune").and_then(Value::as_object);
    let part = |k: &str| {
        commune
            .and_then(|c| c.get(k))
            .and_then(Value::as_str)
            .map(tidy)
            .filter(|s| !s.is_empty())
    };
    let place = match (part("name"), part("province")) {
        (Some(n), Some(p)) => format!("{n}, {p}"),
        (Some(n), None) => n,
        _ => "đơn vị".to_string(),
    };
    let portal = part("portal")
        .map(|u| format!(" ({u})"))
        .unwrap_or_default();
    format!(
        "Danh mục TTHC niêm yết của {place}{portal}, bản {version}; thời hạn, phí, lệ phí theo bản ghi chi tiết của Cổng Dịch vụ công quốc gia, chưa đối chiếu nghị quyết HĐND về phí; thủ tục thiếu thông tin được đánh dấu chưa xác nhận"
    )
}

fn looks_like_record(o: &Map<String, Value>) -> bool {
    o.get("code")
        .and_then(Value::as_str)
        .is_some_and(is_procedure_code)
        && (o.contains_key("name") || o.contains_key("executionMethods"))
}

/// NFC, one space between words, no invisible or bidi characters (the portal's text
/// carries some, e.g. U+200E inside a word).
pub fn tidy(s: &str) -> String {
    let visible: String = s
        .chars()
        .filter(|c| forbidden_char(*c).is_none() || c.is_whitespace())
        .collect();
    clean(&visible)
}

/// "LĨNH VỰC" → "Lĩnh vực".
fn sentence_case(s: &str) -> String {
    if s.chars().any(char::is_lowercase) {
        return s.to_string();
    }
    let lower = s.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A number as Vietnamese writes it: `2.000`, `3,5`.
fn number_vi(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        let digits = format!("{}", x.abs() as u64);
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push('.');
            }
            out.push(c);
        }
        if x < 0.0 {
            out.insert(0, '-');
        }
        out
    } else {
        format!("{x}").replace('.', ",")
    }
}

/// What a national (number, unit) means for the deadline engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappedTerm {
    /// Our term, with a note when it was converted.
    Known(String, Option<String>),
    /// A term read from the record's free text (unconfirmed), with a note quoting it.
    Read(String, String),
    /// Several terms read from one text ("a) … b) …"): (term, the variant's text), and a
    /// note.
    Variants(Vec<(String, String)>, String),
    /// The text says the law sets no term ("Không quy định").
    NoTerm(String),
    /// No usable term; the note says what the record wrote.
    Unknown(String),
    /// The record gives nothing.
    Absent,
}

/// The longest quotation of a record's text kept in a note, in characters.
const QUOTE_MAX: usize = 240;

/// «text», cut at [`QUOTE_MAX`] characters with "…".
fn quote(text: &str) -> String {
    let t = tidy(text);
    if t.chars().count() <= QUOTE_MAX {
        format!("«{t}»")
    } else {
        format!("«{}…»", t.chars().take(QUOTE_MAX - 1).collect::<String>())
    }
}

/// Whether a record's term text says the law sets no term: "Không quy định", "không
/// quy định thời gian/thời hạn …".
fn says_no_term(text: &str) -> bool {
    let f = fold(text);
    let f = f.trim_matches(|c: char| !c.is_alphanumeric());
    f == "khong quy dinh" || f.starts_with("khong quy dinh thoi")
}

/// The first term written in a text: "Không quá 03 ngày làm việc", "trong vòng 12 giờ",
/// "01 tháng", "trong ngày". `None` when it names none.
pub fn term_in_text(text: &str) -> Option<Term> {
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == ',' || c == '.'))
        .map(|w| w.trim_matches(['.', ',']))
        .filter(|w| !w.is_empty())
        .collect();
    if words == ["trong", "ngay"] {
        return Some(Term::SameDay);
    }
    for (i, w) in words.iter().enumerate() {
        let Some(n) = number_in(w) else { continue };
        let next = |k: usize| words.get(i + k).copied().unwrap_or("");
        let whole = |make: fn(u32) -> Term| -> Option<Term> {
            (n.fract() == 0.0 && (1.0..=3660.0).contains(&n)).then(|| make(n as u32))
        };
        let found = match (next(1), next(2), next(3)) {
            ("ngay", "lam", "viec") if n.fract() == 0.0 => whole(Term::WorkingDays),
            ("ngay", "lam", "viec") => {
                let h = n * HOURS_PER_WORKING_DAY;
                (h.fract() == 0.0 && h >= 1.0).then_some(Term::WorkingHours(h as u32))
            }
            ("gio", "lam", "viec") => whole(Term::WorkingHours),
            ("ngay", _, _) => whole(Term::CalendarDays),
            ("gio", _, _) => whole(Term::ClockHours),
            ("thang", _, _) => whole(Term::Months),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// "03", "3,5", "3.5" as a number.
fn number_in(w: &str) -> Option<f64> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    w.replace(',', ".").parse::<f64>().ok()
}

/// The parts of a text listed as "a) … b) … c) …", each with its marker; fewer than two
/// when the text is not such a list.
fn lettered_parts(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut starts = Vec::new();
    let mut expect = 'a';
    for i in 0..chars.len().saturating_sub(1) {
        let boundary = i == 0 || !chars[i - 1].is_alphanumeric();
        if boundary && chars[i] == expect && chars[i + 1] == ')' {
            starts.push(i);
            expect = (expect as u8 + 1) as char;
        }
    }
    if starts.len() < 2 {
        return Vec::new();
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let e = starts.get(k + 1).copied().unwrap_or(chars.len());
            tidy(&chars[s..e].iter().collect::<String>())
                .trim_end_matches([';', ' ', '.'])
                .to_string()
        })
        .collect()
}

/// Reads a term from a record's free text: a list of lettered variants, one term, "không
/// quy định", or nothing.
fn read_text(text: &str, what: &str) -> MappedTerm {
    let shown = quote(text);
    if says_no_term(text) {
        return MappedTerm::NoTerm(format!("{what} ghi {shown}: không quy định thời hạn"));
    }
    let parts: Vec<(String, String)> = lettered_parts(text)
        .into_iter()
        .filter_map(|p| term_in_text(&p).map(|t| (t.to_string(), p)))
        .collect();
    if parts.len() >= 2 {
        return MappedTerm::Variants(
            parts,
            format!("đọc từ văn bản {what}: {shown}; chưa xác nhận"),
        );
    }
    match term_in_text(text) {
        Some(t) => MappedTerm::Read(
            t.to_string(),
            format!("đọc từ văn bản {what}: {shown}; chưa xác nhận"),
        ),
        None => MappedTerm::Unknown(format!("{what} ghi {shown}, không có số ngày")),
    }
}

/// Maps the portal's `processingTime`/`processingTimeUnit` (or a case's
/// `processingDay {qty, type}`) to our term. `text` is a `processingTime` written as text
/// ("Không quá 03 ngày làm việc"); `description` is read for `OTHER` and for hours
/// ("giờ làm việc" are working hours, bare hours are hours of the clock).
pub fn map_term(
    qty: Option<f64>,
    text: Option<&str>,
    unit: Option<&str>,
    description: Option<&str>,
) -> MappedTerm {
    let description = description.map(tidy).filter(|d| !d.is_empty());
    if let Some(d) = description.as_deref()
        && says_no_term(d)
    {
        return MappedTerm::NoTerm(format!(
            "bản ghi quốc gia ghi {}: không quy định thời hạn",
            quote(d)
        ));
    }
    let text = text.map(tidy).filter(|t| !t.is_empty());
    let qty = match (qty, text.as_deref()) {
        (Some(q), _) => Some(q),
        (None, Some(t)) => match number_in(t).filter(|_| {
            t.chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        }) {
            Some(q) => Some(q),
            None => return read_text(t, "thời hạn của bản ghi quốc gia"),
        },
        (None, None) => None,
    };
    let unit = unit.map(str::trim).filter(|u| !u.is_empty());
    let Some(unit) = unit else {
        return match qty {
            Some(q) if q != 0.0 => MappedTerm::Unknown(format!(
                "bản ghi quốc gia ghi thời hạn {} nhưng không ghi đơn vị",
                number_vi(q)
            )),
            _ => MappedTerm::Absent,
        };
    };
    if unit == "OTHER" {
        return match description.as_deref() {
            Some(d) => match read_text(d, "mô tả của bản ghi quốc gia (đơn vị OTHER)")
            {
                MappedTerm::Unknown(_) => MappedTerm::Unknown(format!(
                    "bản ghi quốc gia không ghi số ngày (đơn vị OTHER): {d}"
                )),
                read => read,
            },
            None => {
                MappedTerm::Unknown("bản ghi quốc gia không ghi số ngày (đơn vị OTHER)".to_string())
            }
        };
    }
    let label = match unit {
        "WORKING_DAY" => "ngày làm việc",
        "DAY" => "ngày",
        "HOUR" => "giờ",
        "MONTH" => "tháng",
        other => {
            return MappedTerm::Unknown(format!(
                "đơn vị thời hạn «{}» của bản ghi quốc gia chưa được hỗ trợ khi tính hạn",
                other.chars().take(40).collect::<String>()
            ));
        }
    };
    let Some(q) = qty else {
        return MappedTerm::Unknown(format!(
            "bản ghi quốc gia ghi đơn vị «{label}» nhưng không có số"
        ));
    };
    let wrote = format!("bản ghi quốc gia ghi {} {label}", number_vi(q));
    if !(q > 0.0 && q <= 3660.0) {
        return MappedTerm::Unknown(format!("{wrote}: không phải thời hạn dùng được"));
    }
    let whole = q.fract() == 0.0;
    match unit {
        "WORKING_DAY" if whole => MappedTerm::Known(format!("{}wd", q as u32), None),
        "WORKING_DAY" => {
            let hours = q * HOURS_PER_WORKING_DAY;
            if hours.fract() == 0.0 {
                MappedTerm::Known(
                    format!("{}wh", hours as u32),
                    Some(format!(
                        "{wrote}, tính là {} giờ làm việc (1 ngày làm việc = {} giờ)",
                        hours as u32, HOURS_PER_WORKING_DAY as u32
                    )),
                )
            } else {
                MappedTerm::Unknown(format!("{wrote}: không đổi được ra số giờ làm việc"))
            }
        }
        "DAY" if whole => MappedTerm::Known(format!("{}d", q as u32), None),
        "HOUR" if whole => {
            let working = description
                .as_deref()
                .is_some_and(|d| fold(d).contains("gio lam viec"));
            if working {
                MappedTerm::Known(
                    format!("{}wh", q as u32),
                    Some(format!(
                        "{wrote}; mô tả ghi «giờ làm việc»: tính trong giờ làm việc"
                    )),
                )
            } else {
                MappedTerm::Known(
                    format!("{}h", q as u32),
                    Some(format!(
                        "{wrote}: tính theo giờ đồng hồ kể từ khi nhận, kể cả ngoài giờ làm việc (bản ghi không ghi «giờ làm việc»)"
                    )),
                )
            }
        }
        "MONTH" if whole => MappedTerm::Known(
            format!("{}mo", q as u32),
            Some(format!(
                "{wrote}: hết hạn vào ngày tương ứng của tháng cuối (Bộ luật Dân sự 2015, Điều 148)"
            )),
        ),
        _ => MappedTerm::Unknown(format!("{wrote}: số lẻ chưa được hỗ trợ với đơn vị này")),
    }
}

/// (term, unconfirmed, note, none) of a mapped term that gives at most one term (lettered
/// variants keep the first; [`Rec::channels`] splits them into entries first).
fn term_fields(m: MappedTerm) -> (String, bool, Option<String>, bool) {
    match m {
        MappedTerm::Known(t, note) => (t, false, note, false),
        MappedTerm::Read(t, note) => (t, true, Some(note), false),
        MappedTerm::Variants(mut v, note) => {
            let (t, _) = v.remove(0);
            (t, true, Some(note), false)
        }
        MappedTerm::NoTerm(note) => (String::new(), false, Some(note), true),
        MappedTerm::Unknown(note) => (String::new(), true, Some(note), false),
        MappedTerm::Absent => (String::new(), false, None, false),
    }
}

/// One record being read, for errors that name it.
struct Rec<'a> {
    n: usize,
    code: String,
    o: &'a Map<String, Value>,
}

impl<'a> Rec<'a> {
    /// Unwraps the portal's envelope and reads the code.
    fn open(n: usize, raw: &'a Value) -> Result<Rec<'a>, ValidationError> {
        let at =
            |why: String| ValidationError::new(Field::Procedure, format!("bản ghi số {n}: {why}"));
        let mut o = raw
            .as_object()
            .ok_or_else(|| at("không phải một đối tượng JSON".into()))?;
        // The crawler's wrapper {id, code, name, detail}: the record is `detail`.
        if !o.contains_key("executionMethods")
            && let Some(Value::Object(detail)) = o.get("detail")
        {
            o = detail;
        }
        if let Some(data) = o.get("data") {
            match o.get("code").and_then(Value::as_str) {
                Some("OK") => {}
                other => {
                    return Err(at(format!(
                        "phản hồi của cổng có code «{}», không phải OK",
                        other.unwrap_or("(không có)")
                    )));
                }
            }
            o = data
                .as_object()
                .ok_or_else(|| at("trường «data» không phải một đối tượng".into()))?;
        }
        let code = match o.get("code").or_else(|| o.get("codeNotation")) {
            Some(Value::String(s)) => s.trim().to_string(),
            Some(_) => return Err(at("trường «code» phải là chuỗi".into())),
            None => return Err(at("thiếu trường «code» (mã thủ tục)".into())),
        };
        if !is_procedure_code(&code) {
            return Err(at(format!(
                "trường «code»: mã thủ tục «{}» không đúng dạng 1.001193",
                code.chars().take(40).collect::<String>()
            )));
        }
        Ok(Rec { n, code, o })
    }

    fn err(&self, field: &str, why: &str) -> ValidationError {
        ValidationError::new(
            Field::Procedure,
            format!(
                "bản ghi số {} (mã {}), trường «{field}»: {why}",
                self.n, self.code
            ),
        )
    }

    fn string(
        &self,
        o: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<Option<String>, ValidationError> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.err(path, "phải là chuỗi")),
        }
    }

    fn number(
        &self,
        o: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<Option<f64>, ValidationError> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.err(path, "không phải số dùng được")),
            Some(_) => Err(self.err(path, "phải là số")),
        }
    }

    /// A number, or a number written as text ("15"), or other text ("Không quá 03 ngày
    /// làm việc"), which the record sometimes gives instead.
    fn number_or_text(
        &self,
        o: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<(Option<f64>, Option<String>), ValidationError> {
        match o.get(key) {
            Some(Value::String(s)) => Ok((None, Some(s.clone()))),
            _ => Ok((self.number(o, key, path)?, None)),
        }
    }

    fn array<'b>(
        &self,
        o: &'b Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<&'b [Value], ValidationError> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(self.err(path, "phải là mảng")),
        }
    }

    fn object<'b>(
        &self,
        v: &'b Value,
        path: &str,
    ) -> Result<&'b Map<String, Value>, ValidationError> {
        v.as_object()
            .ok_or_else(|| self.err(path, "phải là đối tượng"))
    }

    fn optional_object(
        &self,
        o: &'a Map<String, Value>,
        key: &str,
    ) -> Result<Option<&'a Map<String, Value>>, ValidationError> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => self.object(v, key).map(Some),
        }
    }

    /// The procedure, and the dates the record was updated / listed from.
    fn convert(&self) -> Result<(Procedure, Vec<NaiveDate>), ValidationError> {
        let o = self.o;
        let name = tidy(&self.string(o, "name", "name")?.unwrap_or_default());
        if name.is_empty() {
            return Err(self.err("name", "thiếu tên thủ tục"));
        }
        let listing = self.optional_object(o, "x_listing")?;
        let counter = self.optional_object(o, "x_counter")?;
        let unconfirmed: Vec<String> = self
            .array(o, "x_unconfirmed", "x_unconfirmed")?
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| self.err(&format!("x_unconfirmed[{i}]"), "phải là chuỗi"))
            })
            .collect::<Result<_, _>>()?;
        let mut dates = Vec::new();
        if let Some(ms) = self.number(o, "updatedAt", "updatedAt")? {
            dates.push(self.date_of_ms(ms, "updatedAt")?);
        }
        if let Some(l) = listing
            && let Some(d) = self.string(l, "activeFrom", "x_listing.activeFrom")?
        {
            dates.push(
                NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                    .map_err(|_| self.err("x_listing.activeFrom", "phải là ngày YYYY-MM-DD"))?,
            );
        }

        let field = self.field(listing)?;
        let channels = self.channels()?;
        let cases = self.cases(&name)?;
        let (fee, fee_unconfirmed) = default_fee(&channels, &unconfirmed);
        let handled_by = self.handled_by(counter)?;
        let offered = match counter.and_then(|c| c.get("offerByDefault")) {
            None | Some(Value::Null) => handled_by != Some(HandledBy::CommunePolice),
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(self.err("x_counter.offerByDefault", "phải là true hoặc false")),
        };
        let mut procedure = Procedure {
            code: self.code.clone(),
            name,
            field,
            term: String::new(),
            term_unconfirmed: true,
            term_note: None,
            term_none: false,
            fee,
            fee_unconfirmed,
            documents: self.documents()?,
            offered,
            handled_by,
            cases,
            channels,
            legal_basis: self.legal_basis()?,
            source: Some(self.source(listing, dates.first().copied())?),
        };
        (
            procedure.term,
            procedure.term_unconfirmed,
            procedure.term_note,
            procedure.term_none,
        ) = default_term(&procedure, &unconfirmed, self.o);
        Ok((procedure, dates))
    }

    fn date_of_ms(&self, ms: f64, path: &str) -> Result<NaiveDate, ValidationError> {
        let secs = (ms / 1000.0).floor();
        chrono::DateTime::from_timestamp(secs as i64, 0)
            .map(|t| t.with_timezone(&crate::vn_offset()).date_naive())
            .filter(|d| (2000..=2100).contains(&chrono::Datelike::year(d)))
            .ok_or_else(|| self.err(path, "không phải thời điểm hợp lệ (mili giây từ 1970)"))
    }

    /// Lĩnh vực: the national categories, else the listing's.
    fn field(&self, listing: Option<&Map<String, Value>>) -> Result<String, ValidationError> {
        let mut names = Vec::new();
        for (i, c) in self
            .array(self.o, "categoriesDetails", "categoriesDetails")?
            .iter()
            .enumerate()
        {
            let path = format!("categoriesDetails[{i}]");
            let c = self.object(c, &path)?;
            if let Some(n) = self.string(c, "name", &format!("{path}.name"))? {
                names.push(tidy(&n));
            }
        }
        if names.is_empty()
            && let Some(c) = self.optional_object(self.o, "category")?
            && let Some(n) = self.string(c, "name", "category.name")?
        {
            names.push(tidy(&n));
        }
        if names.is_empty() {
            for (i, c) in self
                .array(self.o, "categories", "categories")?
                .iter()
                .enumerate()
            {
                match c {
                    Value::String(s) => names.push(tidy(s)),
                    _ => return Err(self.err(&format!("categories[{i}]"), "phải là chuỗi")),
                }
            }
        }
        if names.is_empty()
            && let Some(l) = listing
            && let Some(f) = self.string(l, "localField", "x_listing.localField")?
        {
            names.push(sentence_case(&tidy(&f)));
        }
        names.retain(|n| !n.is_empty());
        names.dedup();
        Ok(names.join(", "))
    }

    fn channels(&self) -> Result<Vec<ChannelTerms>, ValidationError> {
        let methods = self.array(self.o, "executionMethods", "executionMethods")?;
        let mut out = Vec::with_capacity(methods.len());
        let mut raw_variants = Vec::with_capacity(methods.len());
        for (j, m) in methods.iter().enumerate() {
            let path = format!("executionMethods[{j}]");
            let m = self.object(m, &path)?;
            let method = match self
                .string(m, "submissionMethod", &format!("{path}.submissionMethod"))?
                .as_deref()
            {
                Some("DIRECT") => SubmissionMethod::Direct,
                Some("POSTAL") => SubmissionMethod::Postal,
                Some("ONLINE") => SubmissionMethod::Online,
                Some(other) => {
                    return Err(self.err(
                        &format!("{path}.submissionMethod"),
                        &format!(
                            "«{}» không phải DIRECT, POSTAL hoặc ONLINE",
                            other.chars().take(30).collect::<String>()
                        ),
                    ));
                }
                None => {
                    return Err(
                        self.err(&format!("{path}.submissionMethod"), "thiếu cách thức nộp")
                    );
                }
            };
            let (qty, text) =
                self.number_or_text(m, "processingTime", &format!("{path}.processingTime"))?;
            let unit = self.string(
                m,
                "processingTimeUnit",
                &format!("{path}.processingTimeUnit"),
            )?;
            let description = self.string(m, "description", &format!("{path}.description"))?;
            let mapped = map_term(
                qty,
                text.as_deref(),
                unit.as_deref(),
                description.as_deref(),
            );
            let mut fees = Vec::new();
            for (k, f) in self
                .array(m, "fees", &format!("{path}.fees"))?
                .iter()
                .enumerate()
            {
                let fpath = format!("{path}.fees[{k}]");
                fees.push(self.fee(self.object(f, &fpath)?, &fpath)?);
            }
            let fee = fees.join("; ");
            let described = description
                .map(|d| {
                    tidy(&d)
                        .trim_start_matches(['+', '-', '*', ' '])
                        .to_string()
                })
                .filter(|d| !d.is_empty());
            // A text listing lettered variants ("a) Không quá 05 ngày … b) …") gives one
            // entry per variant, named by its own text.
            if let MappedTerm::Variants(parts, note) = mapped {
                for (term, part) in parts {
                    let entry = ChannelTerms {
                        method,
                        term,
                        term_unconfirmed: true,
                        term_note: Some(note.clone()),
                        term_none: false,
                        fee: fee.clone(),
                        fee_unconfirmed: false,
                        variant: Some(part),
                    };
                    if !out.contains(&entry) {
                        out.push(entry);
                        raw_variants.push(None);
                    }
                }
                continue;
            }
            let (term, term_unconfirmed, term_note, term_none) = term_fields(mapped);
            let entry = ChannelTerms {
                method,
                term,
                term_unconfirmed,
                term_note,
                term_none,
                fee,
                fee_unconfirmed: false,
                variant: None,
            };
            // The same entry listed twice (1.013896 lists DIRECT twice) is one entry.
            if let Some(i) = out.iter().position(|e| e == &entry) {
                if raw_variants[i] != described {
                    raw_variants[i] = None;
                }
                continue;
            }
            out.push(entry);
            raw_variants.push(described);
        }
        // The description names the variant only where one channel has several entries.
        for (i, variant) in raw_variants.into_iter().enumerate() {
            let method = out[i].method;
            if out[i].variant.is_none() && out.iter().filter(|c| c.method == method).count() > 1 {
                out[i].variant = variant;
            }
        }
        Ok(out)
    }

    /// One fee as text: "Lệ phí: 2.000 đồng/trang".
    fn fee(&self, f: &Map<String, Value>, path: &str) -> Result<String, ValidationError> {
        let kind = match self.string(f, "type", &format!("{path}.type"))?.as_deref() {
            Some("FEE") => "Lệ phí".to_string(),
            Some("SERVICE_FEE") => "Phí".to_string(),
            Some("PRICE_LEVEL") => "Mức giá".to_string(),
            None | Some("") => "Phí, lệ phí".to_string(),
            Some(other) => tidy(other),
        };
        let value = self.number(f, "value", &format!("{path}.value"))?;
        let currency = match self
            .string(f, "currencyName", &format!("{path}.currencyName"))?
            .map(|c| tidy(&c))
        {
            None => "đồng".to_string(),
            Some(c) if c.is_empty() || fold(&c).contains("dong") || c == "VND" => {
                "đồng".to_string()
            }
            Some(c) => c,
        };
        let description = tidy(
            &self
                .string(f, "description", &format!("{path}.description"))?
                .unwrap_or_default(),
        );
        let mut s = match value {
            Some(v) if v < 0.0 => return Err(self.err(&format!("{path}.value"), "mức thu âm")),
            Some(v) => format!("{kind}: {} {currency}", number_vi(v)),
            None => format!("{kind}:"),
        };
        if description.starts_with('/') {
            s.push_str(&description);
        } else if !description.is_empty() {
            s.push_str(if value.is_some() { " — " } else { " " });
            s.push_str(&description);
        } else if value.is_none() {
            s.push_str(" không ghi mức thu");
        }
        Ok(s)
    }

    fn cases(&self, procedure_name: &str) -> Result<Vec<ProcedureCase>, ValidationError> {
        let mut out: Vec<ProcedureCase> = Vec::new();
        for (k, c) in self.array(self.o, "cases", "cases")?.iter().enumerate() {
            let path = format!("cases[{k}]");
            let c = self.object(c, &path)?;
            let code = self
                .string(c, "code", &format!("{path}.code"))?
                .map(|s| tidy(&s))
                .filter(|s| !s.is_empty())
                .ok_or_else(|| self.err(&format!("{path}.code"), "thiếu mã trường hợp"))?;
            // Kept as published: real records give the procedure's own code, another
            // procedure's case, `1.014.036.01`, ` 1.014489.01` (trimmed here).
            if !super::is_case_code(&code) {
                return Err(self.err(
                    &format!("{path}.code"),
                    &format!(
                        "mã trường hợp «{}» không dùng được (khoảng trắng, «#» hoặc dài quá {} ký tự)",
                        code.chars().take(40).collect::<String>(),
                        super::CASE_CODE_MAX
                    ),
                ));
            }
            let name = tidy(
                &self
                    .string(c, "name", &format!("{path}.name"))?
                    .unwrap_or_default(),
            );
            let mapped = match self.optional_object(c, "processingDay")? {
                None => MappedTerm::Absent,
                Some(d) => {
                    let (qty, text) =
                        self.number_or_text(d, "qty", &format!("{path}.processingDay.qty"))?;
                    let unit = self.string(d, "type", &format!("{path}.processingDay.type"))?;
                    map_term(qty, text.as_deref(), unit.as_deref(), None)
                }
            };
            let (term, term_unconfirmed, term_note, term_none) = term_fields(mapped);
            let case = ProcedureCase {
                code,
                name: if name.is_empty() {
                    procedure_name.to_string()
                } else {
                    name
                },
                term,
                term_unconfirmed,
                term_note,
                term_none,
                fee: String::new(),
                fee_unconfirmed: false,
                channels: Vec::new(),
            };
            // A case listed twice word for word is one case; two different cases under
            // one code (1.002759.02) are both kept and told apart by their position.
            if !out.contains(&case) {
                out.push(case);
            }
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(out)
    }

    fn documents(&self) -> Result<Vec<RequiredDocument>, ValidationError> {
        let mut out = Vec::new();
        let groups = self.array(self.o, "executionCases", "executionCases")?;
        for (g, group) in groups.iter().enumerate() {
            let path = format!("executionCases[{g}]");
            let group = self.object(group, &path)?;
            let label = tidy(
                &self
                    .string(group, "name", &format!("{path}.name"))?
                    .unwrap_or_default(),
            );
            let label = label
                .trim_start_matches(['*', '-', ' '])
                .trim_end_matches([':', ' '])
                .to_string();
            for (k, item) in self
                .array(
                    group,
                    "profileComponents",
                    &format!("{path}.profileComponents"),
                )?
                .iter()
                .enumerate()
            {
                let ipath = format!("{path}.profileComponents[{k}]");
                let item = self.object(item, &ipath)?;
                let name = self
                    .string(item, "name", &format!("{ipath}.name"))?
                    .ok_or_else(|| self.err(&format!("{ipath}.name"), "thiếu tên giấy tờ"))?;
                let original = self
                    .number(item, "originalQty", &format!("{ipath}.originalQty"))?
                    .unwrap_or(0.0);
                let copy = self
                    .number(item, "copyQty", &format!("{ipath}.copyQty"))?
                    .unwrap_or(0.0);
                // Notes are written as components with no copies at all.
                if original <= 0.0 && copy <= 0.0 {
                    continue;
                }
                let name = document_name(&name);
                if name.is_empty() {
                    continue;
                }
                let kind = if original > 0.0 {
                    DocumentKind::Original
                } else if fold(&name).contains("chung thuc") {
                    DocumentKind::CertifiedCopy
                } else {
                    DocumentKind::Copy
                };
                let (conditional, channel) = document_flags(&name);
                let doc = RequiredDocument {
                    name,
                    kind,
                    group: (!label.is_empty()).then(|| label.clone()),
                    conditional,
                    presented: fold(&label).contains("xuat trinh"),
                    channel,
                };
                if !out.contains(&doc) {
                    out.push(doc);
                }
            }
        }
        Ok(out)
    }

    fn legal_basis(&self) -> Result<Vec<LegalBasis>, ValidationError> {
        let mut out: Vec<LegalBasis> = Vec::new();
        for (i, l) in self
            .array(self.o, "legalBasisesDetails", "legalBasisesDetails")?
            .iter()
            .enumerate()
        {
            let path = format!("legalBasisesDetails[{i}]");
            let l = self.object(l, &path)?;
            let code = tidy(
                &self
                    .string(l, "code", &format!("{path}.code"))?
                    .unwrap_or_default(),
            );
            let name = tidy(
                &self
                    .string(l, "name", &format!("{path}.name"))?
                    .unwrap_or_default(),
            );
            if (code.is_empty() && name.is_empty())
                || out.iter().any(|o| o.code == code && o.name == name)
            {
                continue;
            }
            out.push(LegalBasis { code, name });
        }
        Ok(out)
    }

    fn handled_by(
        &self,
        counter: Option<&Map<String, Value>>,
    ) -> Result<Option<HandledBy>, ValidationError> {
        if let Some(c) = counter
            && let Some(h) = self.string(c, "handledBy", "x_counter.handledBy")?
        {
            return HandledBy::parse(h.trim()).map(Some).ok_or_else(|| {
                self.err(
                    "x_counter.handledBy",
                    &format!(
                        "«{}» không phải commune, shared, commune_or_shared, province hoặc commune_police",
                        h.chars().take(40).collect::<String>()
                    ),
                )
            });
        }
        let mut police = false;
        for (i, d) in self
            .array(self.o, "departmentsExecuting", "departmentsExecuting")?
            .iter()
            .enumerate()
        {
            let path = format!("departmentsExecuting[{i}]");
            let d = self.object(d, &path)?;
            let code = self
                .string(d, "code", &format!("{path}.code"))?
                .unwrap_or_default();
            let name = fold(
                &self
                    .string(d, "name", &format!("{path}.name"))?
                    .unwrap_or_default(),
            );
            if code == "BCA_CAX" || name.contains("cong an cap xa") {
                police = true;
            }
        }
        // Công an cấp xã among the executing bodies makes it a police procedure only when
        // the record names no commune People's Committee as executing it too (1.004946,
        // child protection, lists the police and "Ủy ban nhân dân cấp xã", whose Chủ tịch
        // decides).
        let commune_named = self
            .array(self.o, "unitGroupsExecuting", "unitGroupsExecuting")?
            .iter()
            .filter_map(|g| g.as_object())
            .filter_map(|g| g.get("name").and_then(Value::as_str))
            .map(fold)
            .any(|n| n.contains("uy ban nhan dan cap xa") || n.contains("ubnd cap xa"));
        if police && !commune_named {
            return Ok(Some(HandledBy::CommunePolice));
        }
        let flag = |k: &str| self.o.get(k).and_then(Value::as_bool).unwrap_or(false);
        Ok(match (flag("isWard"), flag("isProvince")) {
            (true, false) => Some(HandledBy::Commune),
            (true, true) => Some(HandledBy::CommuneOrShared),
            (false, true) => Some(HandledBy::Province),
            (false, false) => None,
        })
    }

    /// Where the procedure's data comes from, in a line.
    fn source(
        &self,
        listing: Option<&Map<String, Value>>,
        updated: Option<NaiveDate>,
    ) -> Result<String, ValidationError> {
        let detail = self.string(self.o, "x_detail", "x_detail")?;
        let has_detail = self.o.contains_key("executionMethods") || self.o.contains_key("cases");
        let mut parts = Vec::new();
        match detail.as_deref() {
            Some("none") => parts.push("không có trong CSDL quốc gia về TTHC; tên theo danh mục niêm yết".to_string()),
            Some("list_item") => parts.push("Cổng DVCQG: chỉ có tên trong danh mục quốc gia (không có thời hạn, phí, thành phần hồ sơ)".to_string()),
            _ if has_detail => {
                let mut s = "Cổng DVCQG: bản ghi chi tiết".to_string();
                if let Some(d) = updated {
                    s += &format!(" cập nhật {}", d.format("%d/%m/%Y"));
                }
                if let Some(p) = self.optional_object(self.o, "procedureProposal")?
                    && let Some(n) = self.string(p, "proposalNumber", "procedureProposal.proposalNumber")?
                    && !n.trim().is_empty()
                {
                    s += &format!(" (công bố: {})", tidy(&n));
                }
                parts.push(s);
            }
            _ => parts.push("Cổng DVCQG".to_string()),
        }
        if let Some(l) = listing {
            let decisions: Vec<String> = self
                .array(l, "decisions", "x_listing.decisions")?
                .iter()
                .filter_map(|d| d.as_str().map(tidy))
                .filter(|d| !d.is_empty())
                .collect();
            let mut s = "danh mục niêm yết".to_string();
            if !decisions.is_empty() {
                s += &format!(": {}", decisions.join(", "));
            }
            if let Some(u) = self
                .string(l, "articleUrl", "x_listing.articleUrl")?
                .filter(|u| !u.trim().is_empty())
            {
                s += &format!(" ({})", u.trim());
            }
            parts.push(s);
        }
        Ok(parts.join("; "))
    }
}

/// A component's name as a checklist line: tidy, no leading bullet, whole (a receipt
/// lists what was handed in by its full published name; nothing is cut).
fn document_name(raw: &str) -> String {
    tidy(raw)
        .trim_start_matches(['-', '+', '*', '•', ' '])
        .trim()
        .to_string()
}

/// Whether a document is needed only in some situations ("Trường hợp…", "Nếu…", "…
/// trong trường hợp …") and whether it belongs to one channel only (the interactive
/// e-form of an online filing; papers sent by post).
fn document_flags(name: &str) -> (bool, Option<SubmissionMethod>) {
    let f = fold(&document_name(name));
    let conditional = ["truong hop", "neu ", "doi voi truong hop", "moi truong hop"]
        .iter()
        .any(|p| f.starts_with(p))
        || f.contains(" trong truong hop ")
        || f.contains(" (neu co)")
        || f.contains("(neu co)");
    // A name that speaks of more than one channel ("… không phải xuất trình (theo hình
    // thức trực tiếp) hoặc tải lên (theo hình thức trực tuyến)") belongs to none.
    let direct = f.contains("truc tiep");
    let online = f.contains("tuong tac") || (f.contains("truc tuyen") && !direct);
    let postal = f.contains("buu chinh") && !direct;
    let channel = match (online, postal) {
        (true, false) => Some(SubmissionMethod::Online),
        (false, true) => Some(SubmissionMethod::Postal),
        _ => None,
    };
    (conditional, channel)
}

/// The procedure's default term: the one [`Procedure::applicable`] gives without a case
/// through every channel the record offers, when they all agree; else none, marked, with
/// why (cases with different terms: the clerk picks the case; statements that disagree:
/// the clerk picks among them).
fn default_term(
    p: &Procedure,
    unconfirmed: &[String],
    o: &Map<String, Value>,
) -> (String, bool, Option<String>, bool) {
    if p.case_required() {
        let list = p
            .cases
            .iter()
            .map(|c| {
                let t = c
                    .term
                    .parse::<Term>()
                    .map(|t| t.label_vi())
                    .unwrap_or_else(|_| super::term_label(None));
                format!("{} {t}", c.code)
            })
            .collect::<Vec<_>>()
            .join(", ");
        return (
            String::new(),
            true,
            Some(format!(
                "có {} trường hợp với thời hạn khác nhau ({list}): chọn trường hợp khi tiếp nhận",
                p.cases.len()
            )),
            false,
        );
    }
    let methods = match p.methods() {
        m if m.is_empty() => SubmissionMethod::ALL.to_vec(),
        m => m,
    };
    let answers: Vec<super::TermAnswer> = methods
        .iter()
        .map(|m| p.applicable(p.default_case(), *m).term)
        .collect();
    let singles: Vec<&super::TermOption> = answers.iter().filter_map(|a| a.single()).collect();
    if singles.len() == answers.len()
        && let Some(first) = singles.first()
        && singles.iter().all(|o| o.term == first.term)
    {
        let note = singles.iter().find_map(|o| o.note.clone());
        let unconfirmed = singles.iter().any(|o| o.unconfirmed);
        return match first.term {
            Some(t) => (t.to_string(), unconfirmed, note, false),
            None => (String::new(), unconfirmed, note, true),
        };
    }
    let mut options: Vec<String> = Vec::new();
    for a in &answers {
        for o in a.options() {
            if !options.contains(&o.text) {
                options.push(o.text.clone());
            }
        }
    }
    if !options.is_empty() {
        return (
            String::new(),
            true,
            Some(format!(
                "bản ghi công bố thời hạn khác nhau ({}): chọn khi tiếp nhận",
                options.join("; ")
            )),
            false,
        );
    }
    let mut notes: Vec<String> = Vec::new();
    for a in &answers {
        if let super::TermAnswer::Missing { note: Some(n) } = a
            && !notes.contains(n)
        {
            notes.push(n.clone());
        }
    }
    let why = if !notes.is_empty() {
        notes.join("; ")
    } else if o.get("x_detail").and_then(Value::as_str) == Some("none") {
        "thủ tục không có trong CSDL quốc gia về TTHC: chưa có thời hạn giải quyết".to_string()
    } else if unconfirmed.iter().any(|u| u == "processing_time")
        || !o.contains_key("executionMethods")
    {
        "bản ghi quốc gia không có thời hạn giải quyết".to_string()
    } else {
        "bản ghi quốc gia không ghi thời hạn giải quyết".to_string()
    };
    (String::new(), true, Some(why), false)
}

/// The procedure's default fee: the one text every channel gives, else each channel's.
fn default_fee(channels: &[ChannelTerms], unconfirmed: &[String]) -> (String, bool) {
    let flagged = unconfirmed.iter().any(|u| u == "fee");
    let mut per_method: Vec<(SubmissionMethod, String)> = Vec::new();
    for m in SubmissionMethod::ALL {
        let entries: Vec<&ChannelTerms> = channels
            .iter()
            .filter(|c| c.method == m && !c.fee.is_empty())
            .collect();
        if entries.is_empty() {
            continue;
        }
        let first = &entries[0].fee;
        let text = if entries.iter().all(|e| &e.fee == first) {
            first.clone()
        } else {
            entries
                .iter()
                .map(|e| match &e.variant {
                    Some(v) => format!("{} ({v})", e.fee),
                    None => e.fee.clone(),
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        per_method.push((m, text));
    }
    match per_method.as_slice() {
        [] => ("chưa có thông tin phí, lệ phí".to_string(), true),
        [(_, only)] => (only.clone(), flagged),
        [(_, first), rest @ ..] if rest.iter().all(|(_, t)| t == first) => (first.clone(), flagged),
        all => (
            all.iter()
                .map(|(m, t)| format!("{}: {t}", m.label()))
                .collect::<Vec<_>>()
                .join(". "),
            flagged,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_map_or_are_marked() {
        use MappedTerm::*;
        let m = |q: Option<f64>, u: Option<&str>, d: Option<&str>| map_term(q, None, u, d);
        assert_eq!(
            m(Some(3.0), Some("WORKING_DAY"), None),
            Known("3wd".into(), None)
        );
        assert_eq!(m(Some(15.0), Some("DAY"), None), Known("15d".into(), None));
        let Known(t, Some(note)) = m(Some(3.5), Some("WORKING_DAY"), None) else {
            panic!()
        };
        assert_eq!(t, "28wh");
        assert!(
            note.contains("3,5 ngày làm việc, tính là 28 giờ làm việc"),
            "{note}"
        );
        // Bare hours are hours of the clock; "giờ làm việc" in the text makes them
        // working hours.
        let Known(t, Some(note)) = m(
            Some(12.0),
            Some("HOUR"),
            Some("Trong vòng 12 giờ từ khi nhận thông tin trẻ em được xác định có nguy cơ"),
        ) else {
            panic!()
        };
        assert_eq!(t, "12h");
        assert!(note.contains("giờ đồng hồ"), "{note}");
        let Known(t, _) = m(
            Some(8.0),
            Some("HOUR"),
            Some("+) Trong thời hạn 6 giờ làm việc kể từ khi nhận được hồ sơ"),
        ) else {
            panic!()
        };
        assert_eq!(t, "8wh");
        let Known(t, Some(note)) = m(Some(2.0), Some("MONTH"), None) else {
            panic!()
        };
        assert_eq!(t, "2mo");
        assert!(note.contains("Điều 148"), "{note}");
        for (q, u, d) in [
            (Some(1.0), Some("OTHER"), Some("Theo quy định")),
            (Some(0.0), Some("WORKING_DAY"), None),
            (None, Some("DAY"), None),
            (Some(1.5), Some("DAY"), None),
            (Some(2.0), Some("WEEK"), None),
            (Some(3.0), None, None),
            (Some(3.0), Some("YEAR"), None),
        ] {
            assert!(matches!(m(q, u, d), Unknown(_)), "{q:?} {u:?}");
        }
        let Unknown(note) = m(Some(1.0), Some("OTHER"), Some(" Tại\u{200E} UBND xã ")) else {
            panic!()
        };
        assert_eq!(
            note,
            "bản ghi quốc gia không ghi số ngày (đơn vị OTHER): Tại UBND xã"
        );
        // OTHER with a term in its text: read, unconfirmed.
        let Read(t, note) = m(Some(1.0), Some("OTHER"), Some(" Trong\u{200E} ngày ")) else {
            panic!()
        };
        assert_eq!(t, "same-day");
        assert!(note.contains("«Trong ngày»") && note.contains("chưa xác nhận"));
        assert_eq!(m(None, None, None), Absent);
        assert_eq!(m(Some(0.0), None, None), Absent);
        // "Không quy định": no statutory term.
        assert!(matches!(
            m(Some(1.0), Some("HOUR"), Some("Không quy định")),
            NoTerm(_)
        ));
    }

    #[test]
    fn terms_written_as_text_are_read() {
        use MappedTerm::*;
        let t = |text: &str| map_term(None, Some(text), Some("OTHER"), None);
        let Read(term, note) = t("Không quá 03 ngày làm việc") else {
            panic!()
        };
        assert_eq!(term, "3wd");
        assert!(note.contains("«Không quá 03 ngày làm việc»"), "{note}");
        // A mountain-commune extension later in the text does not change the term.
        let Read(term, _) = t(
            "Không quá 05 ngày làm việc, tại các xã miền núi … thì thời gian thực hiện được tăng thêm không quá 10 ngày làm việc",
        ) else {
            panic!()
        };
        assert_eq!(term, "5wd");
        assert_eq!(
            map_term(None, Some("15"), Some("DAY"), None),
            Known("15d".into(), None)
        );
        let Variants(parts, _) = t(
            "a) Không quá 05 ngày làm việc đối với thủ tục đổi tên; b) Không quá 07 ngày làm việc đối với thủ tục thay đổi hạn chế; c) Không quá 10 ngày làm việc đối với thủ tục giảm diện tích thửa đất do sạt lở tự nhiên.",
        ) else {
            panic!()
        };
        let terms: Vec<&str> = parts.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(terms, ["5wd", "7wd", "10wd"]);
        assert!(
            parts[1].1.starts_with("b) Không quá 07 ngày làm việc"),
            "{}",
            parts[1].1
        );
        assert!(matches!(t("không quy định"), NoTerm(_)));
        assert!(matches!(t("Theo kế hoạch"), Unknown(_)));
        assert_eq!(
            term_in_text("trong vòng 12 giờ"),
            Some(Term::ClockHours(12))
        );
        assert_eq!(term_in_text("01 tháng"), Some(Term::Months(1)));
        assert_eq!(
            term_in_text("3,5 ngày làm việc"),
            Some(Term::WorkingHours(28))
        );
    }

    #[test]
    fn numbers_and_names_are_written_the_vietnamese_way() {
        assert_eq!(number_vi(2000.0), "2.000");
        assert_eq!(number_vi(1_000_000.0), "1.000.000");
        assert_eq!(number_vi(10.0), "10");
        assert_eq!(number_vi(3.5), "3,5");
        assert_eq!(sentence_case("ĐẤT ĐAI"), "Đất đai");
        assert_eq!(sentence_case("Hộ tịch"), "Hộ tịch");
        assert_eq!(
            document_name("- Tờ khai\u{200B} theo mẫu"),
            "Tờ khai theo mẫu"
        );
        // Never cut.
        let long = document_name(&"giấy tờ ".repeat(100));
        assert_eq!(
            long.chars().count(),
            "giấy tờ ".repeat(100).trim().chars().count()
        );
        assert_eq!(
            document_flags("- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản"),
            (true, None)
        );
        assert_eq!(
            document_flags("Mẫu hộ tịch điện tử tương tác"),
            (false, Some(SubmissionMethod::Online))
        );
        assert_eq!(
            document_flags("Giấy chứng sinh; trường hợp không có"),
            (false, None)
        );
    }
}
