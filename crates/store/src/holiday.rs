//! Yearly holiday schedules pulled from the province hub, kept in the database so they
//! commit with the sync cursor. The built-in schedules ship with the app; an office's own
//! files in `<data dir>/calendar/` override both (the application layer merges them).

use crate::{Result, Store};
use chrono::{DateTime, FixedOffset};
use motcua_core::calendar::YearSchedule;
use rusqlite::OptionalExtension;

/// A schedule as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSchedule {
    pub year: i32,
    /// The schedule file's JSON text, as published by the hub.
    pub body: String,
    /// Position of the change in the hub's feed.
    pub change_id: u64,
    /// RFC 3339, station clock.
    pub loaded_at: String,
}

impl Store {
    /// Every schedule pulled from the hub, by year.
    pub fn holiday_schedules(&self) -> Result<Vec<StoredSchedule>> {
        let mut st = self.conn.prepare_cached(
            "SELECT year, body, change_id, loaded_at FROM holiday_schedules ORDER BY year",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok(StoredSchedule {
                    year: r.get(0)?,
                    body: r.get(1)?,
                    change_id: r.get::<_, i64>(2)?.max(0) as u64,
                    loaded_at: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// Stores a pulled schedule inside the caller's transaction. `Ok(Ok(false))` when the
/// same text is already there; `Ok(Err(reason))` when it is not a usable schedule of
/// `year` (nothing is written then). A database failure is an `Err`: it fails the whole
/// batch, to be pulled again, and is never recorded as a reason about the data.
pub(crate) fn store_schedule(
    tx: &rusqlite::Connection,
    year: i32,
    body: &str,
    change_id: u64,
    now: DateTime<FixedOffset>,
) -> Result<std::result::Result<bool, String>> {
    let schedule = match YearSchedule::from_json(body) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e.to_string())),
    };
    if schedule.year != year {
        return Ok(Err(format!(
            "tệp ghi năm {} thay vì năm {year}",
            schedule.year
        )));
    }
    let old: Option<String> = tx
        .query_row(
            "SELECT body FROM holiday_schedules WHERE year = ?1",
            [year],
            |r| r.get(0),
        )
        .optional()?;
    if old.as_deref() == Some(body) {
        return Ok(Ok(false));
    }
    tx.execute(
        "INSERT INTO holiday_schedules(year, body, change_id, loaded_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(year) DO UPDATE SET body = excluded.body, change_id = excluded.change_id,
                                         loaded_at = excluded.loaded_at",
        rusqlite::params![year, body, change_id as i64, now.to_rfc3339()],
    )?;
    Ok(Ok(true))
}
