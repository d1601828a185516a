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

mod record;
mod term;

use record::Rec;

pub use term::{MappedTerm, map_term, term_in_text};

use super::{
    Catalog, ChannelTerms, Procedure, ReadFile, ReadRecord, SubmissionMethod, is_procedure_code,
};
use crate::calendar::Term;
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
) -> (Option<Term>, bool, Option<String>, bool) {
    if p.case_required() {
        let list = p
            .cases
            .iter()
            .map(|c| format!("{} {}", c.code, super::term_label(c.term)))
            .collect::<Vec<_>>()
            .join(", ");
        return (
            None,
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
        return (first.term, unconfirmed, note, first.term.is_none());
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
            None,
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
    (None, true, Some(why), false)
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
mod tests;
