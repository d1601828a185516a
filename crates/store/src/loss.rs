//! Accepting the loss of events nobody holds, so that no code printed on a receipt is
//! ever issued again.
//!
//! A database can come back older than what the station committed (see `mark`): an old
//! backup restored, a `-wal` lost in a power cut. What the hub still holds is fetched
//! back first (`recover`); the rest is lost for good, and the numbers it may have used
//! are skipped. How many:
//!
//! * **a restore** reads, before it replaces the database, how far the replaced one had
//!   counted each day's codes and each year's ledger ([`UsedNumbers`]); the restored
//!   database then skips past the furthest of those on any day a receipt may be dated,
//!   plus whatever the replaced database itself was missing against the mark;
//! * **otherwise** (a `-wal` lost, a file copied by hand) each event between the
//!   database's head and the mark may have been a receipt: as many numbers as events,
//!   plus the numbers skipped by losses the mark knows of and the database does not; a
//!   database whose journal is not the mark's ([`StoreError::Diverged`]) and a damaged
//!   mark, where how many events were lost is unknown, skip [`UNKNOWN_LOSS_SKIP`].
//!
//! The acceptance is a journal event (`loss_accepted`), pushed to the hub and carried by
//! every later backup, and the mark carries the total skipped, so a later restore of any
//! backup skips them again.

use crate::{Result, Store, StoreError};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use motcua_core::journal::EventKind;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Code numbers skipped on each day of the window when how many events were lost is
/// unknown (a damaged mark, a journal that is not the mark's): far more than a commune
/// counter receives in a day, far fewer than the 9,999 numbers of a day.
pub const UNKNOWN_LOSS_SKIP: u64 = 500;

/// How far a database had counted the numbers it mints, read before a restore replaces
/// it, and what it was itself missing against the mark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsedNumbers {
    pub station_id: String,
    /// Codes used per receipt day.
    pub daily: BTreeMap<NaiveDate, u64>,
    /// Ledger numbers used per year.
    pub ledger: BTreeMap<i32, u64>,
    /// Whether its journal is the mark's (at or behind it, or holding the mark's event).
    pub follows_mark: bool,
    /// Numbers it did not know of against the mark: events it lacked, and numbers
    /// skipped by losses it had not accepted.
    pub unknown: u64,
}

/// Reads what the database at `db` had used, without writing to it. `None` when there is
/// no database or it cannot be read (the mark alone then decides).
pub fn used_numbers(db: &Path) -> Option<UsedNumbers> {
    if !db.is_file() {
        return None;
    }
    let key = crate::cipher::key_for(db).ok()?;
    let conn = crate::backup::open_untouched(db, key.as_ref()).ok()?;
    read_used(&conn, db).ok()
}

fn read_used(conn: &Connection, db: &Path) -> Result<UsedNumbers> {
    let station_id: String =
        conn.query_row("SELECT station_id FROM station LIMIT 1", [], |r| r.get(0))?;
    let mut daily = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT day, used FROM daily_counters")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (day, used) = row?;
        if let Ok(d) = day.parse::<NaiveDate>() {
            daily.insert(d, used.max(0) as u64);
        }
    }
    let mut ledger = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT year, used FROM ledger_counters")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?)))? {
        let (year, used) = row?;
        ledger.insert(year, used.max(0) as u64);
    }
    let (seq, _) = crate::mark::head_of(conn)?;
    let had = crate::mark::skipped_of(conn)?;
    let (follows_mark, unknown) = match crate::mark::read_state(db)? {
        crate::mark::State::Valid(m) if m.station_id == station_id => {
            if seq < m.seq {
                (true, m.seq - seq + m.skipped.saturating_sub(had))
            } else {
                (
                    m.seq == 0 || hash_at(conn, m.seq)?.as_deref() == Some(&m.hash),
                    0,
                )
            }
        }
        crate::mark::State::Absent => (true, 0),
        _ => (false, 0),
    };
    Ok(UsedNumbers {
        station_id,
        daily,
        ledger,
        follows_mark,
        unknown,
    })
}

fn hash_at(conn: &Connection, seq: u64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT hash FROM events WHERE seq = ?1",
            [seq as i64],
            |r| r.get(0),
        )
        .optional()?)
}

/// Moves every day's code counter from `first_day` to `last_day` past `days` numbers and
/// the ledger counters of their years past `ledger`, and adds the larger of the two to
/// the total this journal's accepted losses skipped (the setting
/// `codes_skipped_by_losses`, which the mark carries too), counted from at least `known`.
/// Returns the years touched.
pub(crate) fn skip_numbers(
    tx: &rusqlite::Transaction<'_>,
    first_day: NaiveDate,
    last_day: NaiveDate,
    days: u64,
    ledger: u64,
    known: u64,
) -> Result<BTreeSet<i32>> {
    let mut years = BTreeSet::new();
    for day in first_day.iter_days().take_while(|d| *d <= last_day) {
        tx.execute(
            "INSERT INTO daily_counters(day, used) VALUES (?1, ?2)
             ON CONFLICT(day) DO UPDATE SET used = used + ?2",
            params![day.to_string(), days as i64],
        )?;
        years.insert(day.year());
    }
    for y in &years {
        tx.execute(
            "INSERT INTO ledger_counters(year, used) VALUES (?1, ?2)
             ON CONFLICT(year) DO UPDATE SET used = used + ?2",
            params![y, ledger as i64],
        )?;
    }
    let total = crate::mark::skipped_of(tx)?.max(known) + days.max(ledger);
    tx.execute(
        "INSERT INTO settings(key, value) VALUES ('codes_skipped_by_losses', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [total.to_string()],
    )?;
    Ok(years)
}

/// How far `replaced` had counted past this database, on the days of the window and in
/// their years: (codes, ledger numbers).
fn ahead_of(
    conn: &Connection,
    replaced: &UsedNumbers,
    first_day: NaiveDate,
    last_day: NaiveDate,
) -> Result<(u64, u64)> {
    let mut days = 0;
    let mut years = BTreeSet::new();
    for day in first_day.iter_days().take_while(|d| *d <= last_day) {
        years.insert(day.year());
        let theirs = replaced.daily.get(&day).copied().unwrap_or(0);
        let ours: Option<i64> = conn
            .query_row(
                "SELECT used FROM daily_counters WHERE day = ?1",
                [day.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        days = days.max(theirs.saturating_sub(ours.unwrap_or(0).max(0) as u64));
    }
    let mut ledger = 0;
    for y in years {
        let theirs = replaced.ledger.get(&y).copied().unwrap_or(0);
        let ours: Option<i64> = conn
            .query_row(
                "SELECT used FROM ledger_counters WHERE year = ?1",
                [y],
                |r| r.get(0),
            )
            .optional()?;
        ledger = ledger.max(theirs.saturating_sub(ours.unwrap_or(0).max(0) as u64));
    }
    Ok((days, ledger))
}

impl Store {
    /// Accepts that what this database lacks against its high-water mark is lost for good
    /// (nobody holds it: never pushed, or no hub), as the module says: the code counters
    /// of every day from `first_day` to `last_day` and the ledger counters of their years
    /// skip what the lost events could have used, in one journaled event
    /// (`loss_accepted`), and the mark is set to the new head. `replaced` is what the
    /// database a restore just replaced had used. Returns how many numbers were skipped
    /// (0: nothing was missing).
    pub fn accept_loss(
        &mut self,
        first_day: NaiveDate,
        last_day: NaiveDate,
        now: DateTime<FixedOffset>,
        replaced: Option<&UsedNumbers>,
    ) -> Result<u64> {
        let state = crate::mark::read_state(&self.path)?;
        let (mark, damaged) = match state {
            crate::mark::State::Absent if replaced.is_none() => return Ok(0),
            crate::mark::State::Absent => (None, false),
            crate::mark::State::Valid(m) => (Some(m), false),
            crate::mark::State::Damaged => (None, true),
        };
        let skipped = self.journaled_loss(|w| {
            let (seq, _) = crate::mark::head_of(&w.tx)?;
            let had = crate::mark::skipped_of(&w.tx)?;
            let mut diverged = false;
            let mut lost_to = seq;
            // What the mark says this database lacks.
            let from_mark = match &mark {
                Some(m) => {
                    if m.station_id != w.station.station_id {
                        return Err(StoreError::Setup(format!(
                            "tệp mốc nhật ký thuộc quầy {}, không phải quầy này ({}); hãy báo quản trị viên",
                            m.station_id, w.station.station_id
                        )));
                    }
                    lost_to = lost_to.max(m.seq);
                    diverged = seq >= m.seq
                        && m.seq > 0
                        && hash_at(&w.tx, m.seq)?.as_deref() != Some(&m.hash);
                    let unknown_events = if diverged {
                        UNKNOWN_LOSS_SKIP
                    } else {
                        m.seq.saturating_sub(seq)
                    };
                    unknown_events + m.skipped.saturating_sub(had)
                }
                None if damaged => UNKNOWN_LOSS_SKIP,
                None => 0,
            };
            let replaced = replaced.filter(|r| r.station_id == w.station.station_id);
            let (days, ledger) = match replaced {
                // The replaced database was the mark's: what it had counted, plus what it
                // lacked itself, is exactly what may have been printed.
                Some(r) if r.follows_mark && !damaged => {
                    let (d, l) = ahead_of(&w.tx, r, first_day, last_day)?;
                    (d + r.unknown, l + r.unknown)
                }
                Some(r) => {
                    let (d, l) = ahead_of(&w.tx, r, first_day, last_day)?;
                    (d.max(from_mark), l.max(from_mark))
                }
                None => (from_mark, from_mark),
            };
            let differs = mark.as_ref().is_some_and(|m| m.seq != seq || m.skipped != had);
            if days == 0 && ledger == 0 && !diverged && !damaged && !differs {
                return Ok(0);
            }
            // Once accepted, this journal knows every skip the mark's knew of.
            let known = mark.as_ref().map_or(had, |m| m.skipped.max(had));
            let years = skip_numbers(&w.tx, first_day, last_day, days, ledger, known)?;
            w.append(crate::journal::NewEvent {
                kind: EventKind::LossAccepted,
                clerk: "system",
                dossier_id: None,
                payload: serde_json::json!({
                    "lost_from": seq + 1,
                    "lost_to": lost_to,
                    "lost_events": lost_to.saturating_sub(seq),
                    "skipped": days,
                    "skipped_ledger": ledger,
                    "first_day": first_day.to_string(),
                    "last_day": last_day.to_string(),
                    "years": years,
                    "mark_damaged": damaged,
                    "journal_diverged": diverged,
                    "after_restore": replaced.is_some(),
                })
                .to_string(),
                wall_time: now,
            })?;
            Ok(days.max(ledger))
        })?;
        // The journaled write set the mark to the new head (whatever the file held: a
        // write after a loss is never kept from lowering it).
        Ok(skipped)
    }
}
