//! What the periodic reports read of the register: each dossier's field, reception,
//! first appointment and status changes, from the register and its journal. Read in two
//! passes in rowid and journal order, at once on two connections, with the status taken
//! out of each event by SQLite (`json_extract`) and times read without a format parser:
//! a year of a big commune is a million dossiers (`benches/report_scale.rs`). Both passes read narrow rows: the
//! dossiers from the index `dossiers_report`, the status changes from `report_steps`
//! (schema version 7, kept by a trigger on the journal); the catalogue's fields are read
//! first and looked up in memory.

use crate::dossier::TIME_FMT;
use crate::{Result, Store};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use motcua_core::journal::Extension;
use motcua_core::report::Facts;
use motcua_core::status::Status;
use rusqlite::Connection;
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

/// A status change or an extension of a dossier, as the report reads it: where the
/// dossier is in the register (its rowid), then what happened.
enum Step {
    /// The status gone to, when (Vietnam's local time).
    Status(usize, NaiveDateTime, Status),
    /// An appointment extended: the appointment it moved on from.
    Extended(usize, NaiveDateTime),
}

/// The journal's last event number as a read transaction on `conn` sees it: two
/// snapshots with the same number hold the same dossiers and status changes (every
/// write to them is journaled in the same transaction).
fn journal_end(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM events", [], |r| r.get(0))?)
}

/// The status changes and extensions, in journal order (report_steps, kept by a trigger
/// on the journal); and where the journal ends. `conn` is in a read transaction.
fn read_steps(conn: &Connection) -> Result<(i64, Vec<Step>)> {
    let seen = journal_end(conn)?;
    let mut stmt = conn.prepare(
        "SELECT dossier_rowid, wall_time, status, extension FROM report_steps ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let Ok(slot) = usize::try_from(r.get::<_, i64>(0)?) else {
            continue;
        };
        if let Some(payload) = text(r.get_ref(3)?) {
            if let Ok(x) = serde_json::from_str::<Extension>(payload) {
                out.push(Step::Extended(slot, x.from));
            }
            continue;
        }
        let to = text(r.get_ref(2)?).and_then(|s| s.parse::<Status>().ok());
        if let (Some(to), Some(when)) = (to, text(r.get_ref(1)?).and_then(local)) {
            out.push(Step::Status(slot, when, to));
        }
    }
    Ok((seen, out))
}

/// The dossiers received before `end` (formatted as stored): each one's facts without
/// its steps, where each is in them by its rowid, and where the journal ends. `conn` is
/// in a read transaction.
fn read_dossiers(conn: &Connection, end: &str) -> Result<(i64, Vec<Facts>, Vec<u32>)> {
    let seen = journal_end(conn)?;
    // Fields by (catalogue version, procedure code): a few hundred rows, looked up
    // here rather than joined for each dossier.
    let mut fields: HashMap<(String, String), String> = HashMap::new();
    let mut stmt = conn.prepare("SELECT version, code, field FROM procedures")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        fields.insert((r.get(0)?, r.get(1)?), r.get(2)?);
    }
    drop(rows);
    // From the index dossiers_report alone.
    let mut stmt = conn.prepare(
        "SELECT rowid, code, catalog_version, procedure_code, received_at, due_at,
                procedure_name, clerk
         FROM dossiers INDEXED BY dossiers_report WHERE received_at < ?1",
    )?;
    let mut rows = stmt.query([end])?;
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
    Ok((seen, out, at))
}

/// Tries a report's two reads at once before reading them one after the other.
const TRIES_AT_ONCE: usize = 3;

impl Store {
    /// The facts of every dossier received before `end` (local time, exclusive): its
    /// field as the catalogue it was received under names it, its first appointment
    /// (before any extension), and its status changes (at the counter, and upstream when
    /// the counter recorded them), oldest first.
    ///
    /// The dossiers and their status changes are read at once, on this connection and
    /// on a second one (a year of a big commune is a million dossiers and two million
    /// changes: `benches/report_scale.rs`). Both reads must see the same register: each
    /// reads where the journal ends in its snapshot, and when a dossier was received or
    /// changed between the two (the ends differ), they are read again; after
    /// [`TRIES_AT_ONCE`] tries, one after the other in one snapshot.
    pub fn report_facts(&self, end: NaiveDateTime) -> Result<Vec<Facts>> {
        let end = end.format(TIME_FMT).to_string();
        for _ in 0..TRIES_AT_ONCE {
            let Some(other) = self.second_reader() else {
                break;
            };
            let (steps, dossiers) = std::thread::scope(|s| {
                let steps = s.spawn(move || -> Result<(i64, Vec<Step>)> {
                    let tx = other.unchecked_transaction()?;
                    read_steps(&tx)
                });
                let dossiers = (self.conn.unchecked_transaction())
                    .map_err(Into::into)
                    .and_then(|tx| read_dossiers(&tx, &end));
                let steps = steps
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p));
                (steps, dossiers)
            });
            let ((a, steps), (b, facts, at)) = (steps?, dossiers?);
            if a == b {
                return Ok(attach(facts, &at, steps));
            }
        }
        self.report_facts_in_one_snapshot(&end)
    }

    /// [`Store::report_facts`] read one pass after the other in one snapshot (`end` as
    /// stored).
    fn report_facts_in_one_snapshot(&self, end: &str) -> Result<Vec<Facts>> {
        let tx = self.conn.unchecked_transaction()?;
        let (_, facts, at) = read_dossiers(&tx, end)?;
        let (_, steps) = read_steps(&tx)?;
        Ok(attach(facts, &at, steps))
    }

    /// A second, read-only connection to the register (under its key), when it is a
    /// file another connection can open.
    fn second_reader(&self) -> Option<Connection> {
        let flags =
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = crate::cipher::open_with(&self.path, flags, self.key.as_ref()).ok()?;
        conn.busy_timeout(crate::BUSY_TIMEOUT).ok()?;
        Some(conn)
    }
}

/// Puts each step with its dossier (`at`: where each dossier is in `facts` by its
/// rowid), in journal order; the first extension gives the appointment first given.
fn attach(mut facts: Vec<Facts>, at: &[u32], steps: Vec<Step>) -> Vec<Facts> {
    let mut extended = vec![false; facts.len()];
    for step in steps {
        let (Step::Status(slot, ..) | Step::Extended(slot, _)) = step;
        let k = at.get(slot).copied().unwrap_or(u32::MAX) as usize;
        let Some(f) = facts.get_mut(k) else {
            continue;
        };
        match step {
            Step::Extended(_, from) if !extended[k] => {
                extended[k] = true;
                f.due_at = Some(from);
            }
            Step::Extended(..) => {}
            Step::Status(_, when, to) => f.steps.push((when, to)),
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;
    use motcua_core::code::DossierCode;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    /// Three dossiers: one processed, asked for a supplement and ready; one extended
    /// twice; one untouched. The facts read at once on two connections are those read
    /// in one snapshot, and what was journaled.
    fn register_with_steps(s: &mut Store) -> Vec<DossierCode> {
        let mut codes = Vec::new();
        for (k, name) in ["Nguyễn Văn An", "Lê Thị Bình", "Phạm Văn Cường"]
            .iter()
            .enumerate()
        {
            let mut req = request(name, &format!("2026-11-2{}T09:3{k}", 3 + k));
            req.due_at = Some(t("2026-11-30T17:00"));
            codes.push(s.receive(&req, now()).unwrap().code);
        }
        for to in [
            Status::Processing,
            Status::SupplementRequested,
            Status::Processing,
            Status::ResultReady,
        ] {
            s.transition(&codes[0], to, "lan", None, now()).unwrap();
        }
        let first = t("2026-11-30T17:00");
        s.extend(
            &codes[1],
            first,
            t("2026-12-03T17:00"),
            "Chờ xác minh",
            "lan",
            now(),
        )
        .unwrap();
        s.extend(
            &codes[1],
            t("2026-12-03T17:00"),
            t("2026-12-08T17:00"),
            "Chờ xác minh",
            "lan",
            now(),
        )
        .unwrap();
        codes
    }

    #[test]
    fn the_two_reads_at_once_are_the_one_snapshot_read() {
        let (_d, mut s) = store();
        let codes = register_with_steps(&mut s);
        let end = t("2026-12-31T00:00");
        let facts = s.report_facts(end).unwrap();
        assert_eq!(
            facts,
            s.report_facts_in_one_snapshot(&end.format(TIME_FMT).to_string())
                .unwrap()
        );
        assert!(s.second_reader().is_some(), "read on two connections");
        assert_eq!(facts.len(), 3);
        let by_code = |c: &DossierCode| facts.iter().find(|f| f.code == c.to_string()).unwrap();
        let steps: Vec<Status> = by_code(&codes[0]).steps.iter().map(|x| x.1).collect();
        assert_eq!(
            steps,
            [
                Status::Processing,
                Status::SupplementRequested,
                Status::Processing,
                Status::ResultReady
            ]
        );
        assert_eq!(by_code(&codes[0]).field, "Hộ tịch");
        // Extended twice: the appointment first given.
        assert_eq!(by_code(&codes[1]).due_at, Some(t("2026-11-30T17:00")));
        assert!(by_code(&codes[2]).steps.is_empty());
        // Received after the end: not read.
        assert_eq!(s.report_facts(t("2026-11-24T00:00")).unwrap().len(), 1);
    }

    #[test]
    fn an_encrypted_register_is_read_at_once_too() {
        let (d, mut s) = store();
        register_with_steps(&mut s);
        let plain = s.report_facts(t("2026-12-31T00:00")).unwrap();
        let path = d.path().join("motcua.sqlite");
        drop(s);
        crate::cipher::encrypt(&path, "lan", "mật khẩu dài", &[]).unwrap();
        let s = Store::open(&path).unwrap();
        assert!(
            s.second_reader().is_some(),
            "the second connection opens under the key"
        );
        assert_eq!(s.report_facts(t("2026-12-31T00:00")).unwrap(), plain);
    }

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
