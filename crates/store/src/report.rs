//! What the periodic reports read of the register: each dossier's field, reception,
//! first appointment and status changes, from the register and its journal. Read in two
//! passes in rowid and journal order, with the status taken out of each event by SQLite
//! (`json_extract`) and times read without a format parser: a year of a big commune is
//! a million dossiers (`benches/report_scale.rs`). Both passes read narrow rows: the
//! dossiers from the index `dossiers_report`, the status changes from `report_steps`
//! (schema version 7, kept by a trigger on the journal); the catalogue's fields are read
//! first and looked up in memory.

use crate::dossier::TIME_FMT;
use crate::{Result, Store};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use motcua_core::journal::Extension;
use motcua_core::report::Facts;
use motcua_core::status::Status;
use std::collections::HashMap;

/// Vietnam's offset: the journal's wall times are read in it.
fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7")
}

/// `YYYY-MM-DDTHH:MM:SS` (the first 19 characters), digit by digit.
fn naive(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let n = |from: usize, len: usize| -> Option<u32> {
        b[from..from + len].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(n(0, 4)? as i32, n(5, 2)?, n(8, 2)?)?.and_hms_opt(
        n(11, 2)?,
        n(14, 2)?,
        n(17, 2)?,
    )
}

/// A text column's value, borrowed (None: NULL or not text).
fn text(v: rusqlite::types::ValueRef<'_>) -> Option<&str> {
    v.as_str_or_null().ok().flatten()
}

/// A journal wall time (RFC 3339) in Vietnam's local time.
fn local(wall: &str) -> Option<NaiveDateTime> {
    if wall.ends_with("+07:00") {
        return naive(wall);
    }
    DateTime::parse_from_rfc3339(wall)
        .ok()
        .map(|t| t.with_timezone(&vietnam()).naive_local())
}

impl Store {
    /// The facts of every dossier received before `end` (local time, exclusive): its
    /// field as the catalogue it was received under names it, its first appointment
    /// (before any extension), and its status changes (at the counter, and upstream when
    /// the counter recorded them), oldest first.
    pub fn report_facts(&self, end: NaiveDateTime) -> Result<Vec<Facts>> {
        let end = end.format(TIME_FMT).to_string();
        // Fields by (catalogue version, procedure code): a few hundred rows, looked up
        // here rather than joined for each dossier.
        let mut fields: HashMap<(String, String), String> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT version, code, field FROM procedures")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            fields.insert((r.get(0)?, r.get(1)?), r.get(2)?);
        }
        // From the index dossiers_report alone.
        let mut stmt = self.conn.prepare(
            "SELECT rowid, code, catalog_version, procedure_code, received_at, due_at,
                    procedure_name, clerk
             FROM dossiers INDEXED BY dossiers_report WHERE received_at < ?1",
        )?;
        let mut rows = stmt.query([&end])?;
        let mut out = Vec::new();
        // Where each dossier's facts are in `out`, by its rowid (dense: the register's
        // order of reception).
        let mut at: Vec<u32> = Vec::new();
        let mut key = (String::new(), String::new());
        while let Some(r) = rows.next()? {
            let Some(received_at) = text(r.get_ref(4)?).and_then(naive) else {
                continue;
            };
            let Ok(slot) = usize::try_from(r.get::<_, i64>(0)?) else {
                continue;
            };
            let due_at = text(r.get_ref(5)?).and_then(naive);
            key.0.clear();
            key.0.push_str(text(r.get_ref(2)?).unwrap_or_default());
            key.1.clear();
            key.1.push_str(text(r.get_ref(3)?).unwrap_or_default());
            if at.len() <= slot {
                at.resize(slot + 1, u32::MAX);
            }
            at[slot] = out.len() as u32;
            out.push(Facts {
                code: r.get(1)?,
                field: fields.get(&key).cloned().unwrap_or_default(),
                procedure: r.get(6)?,
                clerk: r.get(7)?,
                online: false,
                received_at,
                due_at,
                steps: Vec::new(),
            });
        }
        // Status changes and extensions, in journal order (report_steps, kept by a
        // trigger on the journal).
        let mut stmt = self.conn.prepare(
            "SELECT dossier_rowid, wall_time, status, extension FROM report_steps ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut extended = vec![false; out.len()];
        while let Some(r) = rows.next()? {
            let k = usize::try_from(r.get::<_, i64>(0)?)
                .ok()
                .and_then(|i| at.get(i))
                .copied()
                .unwrap_or(u32::MAX) as usize;
            let Some(f) = out.get_mut(k) else {
                continue;
            };
            if let Some(payload) = text(r.get_ref(3)?) {
                // The first extension keeps the appointment first given.
                if !extended[k]
                    && let Ok(x) = serde_json::from_str::<Extension>(payload)
                {
                    extended[k] = true;
                    f.due_at = Some(x.from);
                }
                continue;
            }
            let to = text(r.get_ref(2)?).and_then(|s| s.parse::<Status>().ok());
            if let (Some(to), Some(when)) = (to, text(r.get_ref(1)?).and_then(local)) {
                f.steps.push((when, to));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_as_the_parser_reads_them() {
        for s in [
            "2026-11-05T09:30:00",
            "2024-02-29T23:59:59",
            "2026-01-01T00:00:00",
        ] {
            assert_eq!(
                naive(s),
                NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok()
            );
        }
        for bad in [
            "2026-02-30T09:00:00",
            "2026-11-05 09:30",
            "26-11-05T09:30:00",
            "",
        ] {
            assert_eq!(naive(bad), None, "{bad}");
        }
        assert_eq!(
            local("2026-11-05T09:30:00.123+07:00"),
            naive("2026-11-05T09:30:00")
        );
        assert_eq!(
            local("2026-11-05T02:30:00Z"),
            naive("2026-11-05T09:30:00"),
            "another offset is turned into Vietnam's"
        );
    }
}
