//! Catalogue files read record by record, in either format.

use super::{Catalog, ImportOptions, Procedure, SubmissionMethod, national};
use crate::calendar::{CalendarError, term_text};
use crate::validation::{Field, ValidationError};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

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
    let value: Value = serde_json::from_str(text).map_err(|e| {
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
        procedures: Vec<Value>,
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
            let result = Procedure::deserialize(&raw)
                .map_err(|e| at(bad_term(&raw).unwrap_or_else(|| format!("không hợp lệ: {e}"))))
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

/// Why a procedure as written in motcua's format has a term whose text is no term,
/// naming it as [`Procedure::check_whole`] names what it checks (the procedure, a
/// channel, a case, a case's channel), in that order; `None` when every term given as
/// text reads ([`term_text`]).
pub(super) fn bad_term(raw: &Value) -> Option<String> {
    let code = |v: &Value| {
        v.get("code")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .chars()
            .take(40)
            .collect::<String>()
    };
    let channel = |v: &Value| match v.get("method").map(SubmissionMethod::deserialize) {
        Some(Ok(m)) => m.label().to_string(),
        _ => "?".to_string(),
    };
    let check = |v: &Value, what: &dyn Fn() -> String| -> Option<String> {
        let text = v.get("term")?.as_str()?;
        let reason = match term_text::parse(text).err()? {
            CalendarError::BadTerm { reason, .. } => reason,
            other => other.to_string(),
        };
        let shown: String = text.chars().take(60).collect();
        Some(format!(
            "thời hạn «{shown}» của {} không hợp lệ ({reason})",
            what()
        ))
    };
    fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
        v.get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
    let me = format!("thủ tục {}", code(raw));
    check(raw, &|| me.clone())
        .or_else(|| {
            list(raw, "channels")
                .iter()
                .find_map(|c| check(c, &|| format!("{me}, kênh {}", channel(c))))
        })
        .or_else(|| {
            list(raw, "cases").iter().find_map(|case| {
                let it = format!("trường hợp {}", code(case));
                check(case, &|| it.clone()).or_else(|| {
                    list(case, "channels")
                        .iter()
                        .find_map(|c| check(c, &|| format!("{it}, kênh {}", channel(c))))
                })
            })
        })
}
