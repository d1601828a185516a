//! What flows back down to counters: the change feed (upstream status, catalogue and
//! holiday publications) read with a cursor, and a station's own journal for recovery.

use super::{i, t};
use crate::error::{HubError, Result};
use crate::sql::Conn;
use motcua_core::journal::Event;
use motcua_core::status::Status;
use motcua_core::wire::{Change, ChangeItem, ChangesResponse, JournalResponse, SignedHead};

/// On PostgreSQL, serialises writers of the feed: change ids must become visible in
/// order, or a counter reading concurrently could move its cursor past one.
fn lock_feed(c: &mut dyn Conn) -> Result<()> {
    if c.is_postgres() {
        c.exec("LOCK TABLE changes IN EXCLUSIVE MODE", &[])?;
    }
    Ok(())
}

/// Puts a province-wide change in the feed; its id.
pub(super) fn publish(c: &mut dyn Conn, change: &Change, now: &str) -> Result<u64> {
    lock_feed(c)?;
    c.exec(
        "INSERT INTO changes(agency_id, body, created_at) VALUES (NULL, ?1, ?2)",
        &[t(&serde_json::to_string(change)?), t(now)],
    )?;
    Ok(c.row("SELECT max(id) FROM changes", &[])?
        .map_or(0, |r| r[0].int() as u64))
}

/// Records a status set upstream and queues it for the dossier's agency.
pub(super) fn set_status(
    c: &mut dyn Conn,
    code: &str,
    status: Status,
    note: Option<&str>,
    now: &str,
) -> Result<()> {
    lock_feed(c)?;
    let agency = c
        .row("SELECT agency_id FROM dossiers WHERE code = ?1", &[t(code)])?
        .map(|r| r[0].text())
        .ok_or_else(|| HubError::NotFound(format!("hồ sơ {code}")))?;
    c.exec(
        "UPDATE dossiers SET status = ?1, updated_at = ?2, status_note = ?4 WHERE code = ?3",
        &[t(status.as_str()), t(now), t(code), super::ot(note)],
    )?;
    let change = Change::Status {
        code: code.to_string(),
        status,
        note: note.map(str::to_string),
        at: now.to_string(),
    };
    c.exec(
        "INSERT INTO changes(agency_id, body, created_at) VALUES (?1, ?2, ?3)",
        &[t(&agency), t(&serde_json::to_string(&change)?), t(now)],
    )?;
    Ok(())
}

/// Changes for an agency after `since`, at most `limit`.
pub(super) fn changes(
    c: &mut dyn Conn,
    agency_id: &str,
    since: u64,
    limit: u64,
) -> Result<ChangesResponse> {
    let rows = c.rows(
        "SELECT id, body FROM changes
         WHERE id > ?1 AND (agency_id IS NULL OR agency_id = ?2)
         ORDER BY id LIMIT ?3",
        &[i(since), t(agency_id), i(limit)],
    )?;
    let changes = rows
        .into_iter()
        .map(|r| {
            Ok(ChangeItem {
                id: r[0].int() as u64,
                change: serde_json::from_str(&r[1].text())
                    .map_err(|e| HubError::Db(e.to_string()))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let cursor = changes.last().map_or(since, |c| c.id);
    Ok(ChangesResponse {
        changes,
        cursor,
        lookup_url: None,
    })
}

/// The station's events after `since` as stored, with the heads it signed over them.
pub(super) fn journal(
    c: &mut dyn Conn,
    station_id: &str,
    since: u64,
    limit: u64,
) -> Result<JournalResponse> {
    let rows = c.rows(
        "SELECT body FROM events WHERE station_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        &[t(station_id), i(since), i(limit)],
    )?;
    let heads = c.rows(
        "SELECT seq, hash, signature FROM station_heads
         WHERE station_id = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq",
        &[t(station_id), i(since), i(since.saturating_add(limit))],
    )?;
    let next_seq = c
        .row(
            "SELECT next_seq FROM stations WHERE station_id = ?1",
            &[t(station_id)],
        )?
        .map_or(1, |r| r[0].int().max(1) as u64);
    let events = rows
        .iter()
        .map(|r| serde_json::from_str::<Event>(&r[0].text()))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| HubError::Db(format!("sự kiện lưu tại hub không đọc được: {e}")))?;
    let heads = heads
        .into_iter()
        .map(|r| SignedHead {
            seq: r[0].int() as u64,
            hash: r[1].text(),
            signature: r[2].text(),
        })
        .collect();
    Ok(JournalResponse {
        events,
        heads,
        next_seq,
    })
}
