//! Appending to the journal inside the caller's transaction, and reading events back.
//! Checking the whole journal is `verify.rs`.

use crate::Result;
use chrono::{DateTime, FixedOffset};
use ed25519_dalek::{Signer, SigningKey};
pub use motcua_core::journal::StatusChange;
use motcua_core::journal::{Event, EventFields, EventKind, GENESIS_HASH, head_message};
use rusqlite::{Connection, OptionalExtension};

/// An event about to be appended.
pub(crate) struct NewEvent<'a> {
    pub kind: EventKind,
    pub clerk: &'a str,
    pub dossier_id: Option<&'a str>,
    pub payload: String,
    pub wall_time: DateTime<FixedOffset>,
}

/// Appends events within one transaction and signs the new head once at the end. It is
/// `Clone` so a caller can try appends inside a savepoint and keep the copy only if the
/// savepoint commits.
#[derive(Clone)]
pub(crate) struct JournalWriter {
    station_id: String,
    next_seq: u64,
    prev_hash: String,
}

impl JournalWriter {
    /// Reads the current head inside `tx` (the IMMEDIATE lock makes it stable).
    pub fn start(tx: &Connection, station_id: &str) -> Result<JournalWriter> {
        let head: Option<(i64, String)> = tx
            .query_row("SELECT seq, hash FROM journal_head WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let (seq, hash) = head.unwrap_or((0, GENESIS_HASH.to_string()));
        Ok(JournalWriter {
            station_id: station_id.to_string(),
            next_seq: seq as u64 + 1,
            prev_hash: hash,
        })
    }

    /// Inserts the event and its outbox row.
    pub fn append(&mut self, tx: &Connection, e: NewEvent<'_>) -> Result<u64> {
        let event_id = uuid::Uuid::now_v7().to_string();
        let wall_time = e.wall_time.to_rfc3339();
        let fields = EventFields {
            seq: self.next_seq,
            event_id: &event_id,
            station_id: &self.station_id,
            wall_time: &wall_time,
            clerk: e.clerk,
            kind: e.kind,
            dossier_id: e.dossier_id,
            payload: &e.payload,
            prev_hash: &self.prev_hash,
        };
        let hash = fields.hash();
        insert_row(tx, &fields, &hash)?;
        tx.prepare_cached("INSERT INTO outbox(seq) VALUES (?1)")?
            .execute([self.next_seq as i64])?;
        let seq = self.next_seq;
        self.next_seq += 1;
        self.prev_hash = hash;
        Ok(seq)
    }

    /// The sequence number the next appended event will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Sequence and hash of the last event appended (or of the head it started from).
    pub fn head(&self) -> (u64, String) {
        (self.next_seq - 1, self.prev_hash.clone())
    }

    /// Writes the signed head.
    pub fn finish(self, tx: &Connection, signer: &SigningKey) -> Result<()> {
        let seq = self.next_seq - 1;
        let sig = signer.sign(&head_message(&self.station_id, seq, &self.prev_hash));
        tx.prepare_cached(
            "INSERT INTO journal_head(id, seq, hash, signature) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,
                                           signature = excluded.signature",
        )?
        .execute(rusqlite::params![
            seq as i64,
            self.prev_hash,
            hex::encode(sig.to_bytes())
        ])?;
        Ok(())
    }
}

/// Inserts one event row (the outbox row is the caller's: pending for a new event, acked
/// for one recovered from the hub).
pub(crate) fn insert_row(tx: &Connection, f: &EventFields<'_>, hash: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO events(seq, event_id, station_id, wall_time, clerk, kind, dossier_id,
                            payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(rusqlite::params![
        f.seq as i64,
        f.event_id,
        f.station_id,
        f.wall_time,
        f.clerk,
        f.kind.as_str(),
        f.dossier_id,
        f.payload,
        f.prev_hash,
        hash,
    ])?;
    Ok(())
}

/// Reads one event row.
/// An event whose stored kind this build does not know is an error naming the event,
/// never silently another kind.
pub(crate) fn row_to_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    let seq = r.get::<_, i64>(0)? as u64;
    let kind: String = r.get(5)?;
    let kind = EventKind::parse(&kind).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            5,
            rusqlite::types::Type::Text,
            Box::new(UnknownKind { seq, kind }),
        )
    })?;
    Ok(Event {
        seq,
        event_id: r.get(1)?,
        station_id: r.get(2)?,
        wall_time: r.get(3)?,
        clerk: r.get(4)?,
        kind,
        dossier_id: r.get(6)?,
        payload: r.get(7)?,
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
    })
}

/// A stored event kind this build does not know.
#[derive(Debug, thiserror::Error)]
#[error("sự kiện số {seq} có loại lạ «{kind}»")]
pub(crate) struct UnknownKind {
    pub seq: u64,
    pub kind: String,
}

/// Selects events in sequence order.
pub(crate) const EVENT_COLUMNS: &str =
    "seq, event_id, station_id, wall_time, clerk, kind, dossier_id, payload, prev_hash, hash";

/// One event about a dossier, with the clock offset it was flagged with (written while
/// the station clock was more than 5 minutes off the hub's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierEvent {
    pub event: Event,
    pub clock_offset_ms: Option<i64>,
}

impl crate::Store {
    /// The status changes pulled from the hub after the event `seq`, in journal order.
    pub fn upstream_changes_since(&self, seq: u64) -> Result<Vec<StatusChange>> {
        let mut st = self.conn.prepare_cached(
            "SELECT payload FROM events WHERE kind = 'upstream_status' AND seq > ?1 ORDER BY seq",
        )?;
        let rows = st
            .query_map([seq as i64], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.iter().map(|p| Ok(serde_json::from_str(p)?)).collect()
    }

    /// Every event about the dossier `dossier_id`, in journal order.
    pub fn events_of(&self, dossier_id: &str) -> Result<Vec<DossierEvent>> {
        let cols = EVENT_COLUMNS
            .split(", ")
            .map(|c| format!("e.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {cols}, f.offset_ms FROM events e
             LEFT JOIN clock_skew_flags f ON f.seq = e.seq
             WHERE e.dossier_id = ?1 ORDER BY e.seq"
        ))?;
        let rows = st
            .query_map([dossier_id], |r| {
                Ok(DossierEvent {
                    event: row_to_event(r)?,
                    clock_offset_ms: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The payloads of the `kind` events about the dossier `dossier_id`, in journal order.
    pub(crate) fn payloads_of<T: serde::de::DeserializeOwned>(
        &self,
        dossier_id: &str,
        kind: EventKind,
    ) -> Result<Vec<T>> {
        let mut st = self.conn.prepare_cached(
            "SELECT payload FROM events WHERE dossier_id = ?1 AND kind = ?2 ORDER BY seq",
        )?;
        let rows = st
            .query_map([dossier_id, kind.as_str()], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.iter().map(|p| Ok(serde_json::from_str(p)?)).collect()
    }
}
