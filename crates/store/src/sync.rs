//! What the sync loop needs from the register: the outbox in station-sequence order, acks
//! and quarantines from the hub, upstream changes (statuses, catalogues, holiday
//! schedules) applied in the same transaction as the new cursor, and the sync state the
//! clerk sees. No network here: the `sync` crate talks
//! to the hub and calls these operations.

use crate::journal::{EVENT_COLUMNS, NewEvent, StatusChange, row_to_event};
use crate::write::Journaled;
use crate::{Result, Store, StoreError};
use chrono::{DateTime, FixedOffset};
use motcua_core::journal::{Event, EventKind};
use motcua_core::status::Status;
use motcua_core::wire::{Change, ChangeItem, SignedHead};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

/// A clock offset beyond this (5 minutes) is flagged.
pub const MAX_CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;

/// The sync state, as `motcua sync status --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncState {
    /// The hub this station is enrolled with (None before `motcua sync enroll`).
    pub hub_url: Option<String>,
    pub enrolled_at: Option<String>,
    /// Whether the hub answered at the last exchange (whatever it answered).
    pub online: bool,
    /// What the hub did at the last exchange (None: no exchange yet).
    pub answer: Option<HubAnswer>,
    pub last_attempt_at: Option<String>,
    pub last_success_at: Option<String>,
    /// Plain Vietnamese description of the last failure.
    pub last_error: Option<String>,
    /// Failed exchanges in a row (drives the backoff).
    pub failures: u32,
    /// Hub clock minus station clock at the last exchange, in milliseconds.
    pub clock_offset_ms: Option<i64>,
    /// Whether that offset is more than 5 minutes.
    pub clock_skewed: bool,
    /// Journal events flagged as written while the clock was more than 5 minutes off.
    pub clock_flagged_events: u64,
    /// Last hub change applied.
    pub cursor: u64,
    /// Events not yet acknowledged by the hub.
    pub pending: u64,
    /// Events the hub refused.
    pub quarantined: u64,
    pub quarantine: Vec<QuarantinedItem>,
    pub conflicts: Vec<SyncConflict>,
    /// Events this station committed that the database no longer holds (it is behind its
    /// high-water mark): nothing is written until they are recovered.
    pub missing_events: u64,
    /// The high-water mark cannot be read back: whether events are missing is unknown,
    /// and nothing is written until `motcua recover --accept-loss`.
    pub mark_damaged: bool,
}

impl SyncState {
    /// Whether the last exchange went through.
    pub fn went_through(&self) -> bool {
        self.answer == Some(HubAnswer::Ok)
    }

    /// The connection in a few words, for `motcua sync status` and the window's F4:
    /// offline only when the hub could not be reached.
    pub fn connection_label(&self) -> &'static str {
        match (&self.hub_url, self.answer) {
            (None, _) => "quầy chưa đăng ký với máy chủ tỉnh",
            (Some(_), None) => "chưa đồng bộ lần nào",
            (Some(_), Some(a)) => a.label(),
        }
    }
}

/// An event the hub refused, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarantinedItem {
    pub seq: u64,
    pub kind: String,
    pub dossier_id: Option<String>,
    /// Plain Vietnamese.
    pub reason: String,
}

/// An upstream change that was not applied because it contradicts the counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncConflict {
    pub change_id: u64,
    pub dossier_code: String,
    /// Plain Vietnamese.
    pub detail: String,
    pub at: String,
}

/// What a push achieved, to record in one transaction.
#[derive(Debug, Clone, Default)]
pub struct PushRecord {
    /// Accepted or duplicate at the hub.
    pub acked: Vec<u64>,
    /// Rejected, with the hub's reason.
    pub rejected: Vec<(u64, String)>,
    /// The hub lacks events from this sequence on: send them again.
    pub requeue_from: Option<u64>,
}

/// What the hub did at the last exchange, as the clerk is told it: offline only when it
/// could not be reached; otherwise what it answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HubAnswer {
    /// The exchange went through.
    Ok,
    /// No answer: no network, the hub down, a timeout, a broken connection.
    Unreachable,
    /// The hub refused this station's credential or request (401, 403, another 4xx).
    Refused,
    /// The hub waits for an event it refused: nothing after it can be sent.
    Blocked,
    /// The hub asked to be sent the data again later (503, 429).
    Busy,
    /// The hub failed (5xx, an answer that makes no sense).
    ServerError,
}

impl HubAnswer {
    fn as_str(self) -> &'static str {
        match self {
            HubAnswer::Ok => "ok",
            HubAnswer::Unreachable => "unreachable",
            HubAnswer::Refused => "refused",
            HubAnswer::Blocked => "blocked",
            HubAnswer::Busy => "busy",
            HubAnswer::ServerError => "server_error",
        }
    }

    fn parse(s: &str) -> Option<HubAnswer> {
        [
            HubAnswer::Ok,
            HubAnswer::Unreachable,
            HubAnswer::Refused,
            HubAnswer::Blocked,
            HubAnswer::Busy,
            HubAnswer::ServerError,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }

    /// The state in a few words, for `motcua sync status` and the window's F4.
    pub fn label(self) -> &'static str {
        match self {
            HubAnswer::Ok => "đang kết nối",
            HubAnswer::Unreachable => "mất kết nối (không liên lạc được máy chủ tỉnh)",
            HubAnswer::Refused => "máy chủ tỉnh từ chối quầy",
            HubAnswer::Blocked => "máy chủ tỉnh ngừng nhận dữ liệu của quầy",
            HubAnswer::Busy => "máy chủ tỉnh đang bận, quầy sẽ gửi lại sau",
            HubAnswer::ServerError => "máy chủ tỉnh báo lỗi",
        }
    }
}

/// The end of one sync exchange.
#[derive(Debug, Clone)]
pub struct SyncOutcome {
    /// What the hub did.
    pub answer: HubAnswer,
    /// None when the exchange succeeded.
    pub error: Option<String>,
    /// Hub clock minus station clock, when the hub answered.
    pub clock_offset_ms: Option<i64>,
    /// The error is the hub saying it is busy (come back after a delay): the hub answered,
    /// so the station stays online and the failures in a row are not counted up.
    pub hub_busy: bool,
}

impl Store {
    /// Records the hub this station is enrolled with (the credential is kept by the caller
    /// in its own file). Re-enrolling keeps the cursor.
    pub fn set_hub(&mut self, hub_url: &str, now: DateTime<FixedOffset>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sync_state(id, hub_url, enrolled_at) VALUES (1, ?1, ?2)
             ON CONFLICT(id) DO UPDATE SET hub_url = excluded.hub_url,
                                           enrolled_at = excluded.enrolled_at",
            params![hub_url, now.to_rfc3339()],
        )?;
        Ok(())
    }

    /// The sync state with the outbox counts and every quarantined item.
    pub fn sync_state(&self) -> Result<SyncState> {
        type Row = (
            String,
            String,
            i64,
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            i64,
            Option<i64>,
            i64,
        );
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT hub_url, enrolled_at, cursor, online, last_attempt_at, last_success_at,
                        last_error, failures, clock_offset_ms, clock_skewed
                 FROM sync_state WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        r.get(9)?,
                    ))
                },
            )
            .optional()?;
        let count = |state: &str| -> Result<u64> {
            let n: i64 = self.conn.query_row(
                "SELECT count(*) FROM outbox WHERE state = ?1",
                [state],
                |r| r.get(0),
            )?;
            Ok(n as u64)
        };
        let mut st = self.conn.prepare(
            "SELECT o.seq, e.kind, e.dossier_id, coalesce(o.last_error, '')
             FROM outbox o JOIN events e ON e.seq = o.seq
             WHERE o.state = 'quarantined' ORDER BY o.seq",
        )?;
        let quarantine = st
            .query_map([], |r| {
                Ok(QuarantinedItem {
                    seq: r.get::<_, i64>(0)? as u64,
                    kind: r.get(1)?,
                    dossier_id: r.get(2)?,
                    reason: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut st = self.conn.prepare(
            "SELECT change_id, dossier_code, detail, at FROM sync_conflicts ORDER BY id",
        )?;
        let conflicts = st
            .query_map([], |r| {
                Ok(SyncConflict {
                    change_id: r.get::<_, i64>(0)? as u64,
                    dossier_code: r.get(1)?,
                    detail: r.get(2)?,
                    at: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut s = SyncState {
            hub_url: None,
            enrolled_at: None,
            online: false,
            answer: None,
            last_attempt_at: None,
            last_success_at: None,
            last_error: None,
            failures: 0,
            clock_offset_ms: None,
            clock_skewed: false,
            clock_flagged_events: {
                let n: i64 =
                    self.conn
                        .query_row("SELECT count(*) FROM clock_skew_flags", [], |r| r.get(0))?;
                n as u64
            },
            cursor: 0,
            pending: count("pending")?,
            quarantined: quarantine.len() as u64,
            quarantine,
            conflicts,
            missing_events: {
                let head = crate::mark::head_of(&self.conn)?.0;
                match crate::mark::read_state(&self.path)? {
                    crate::mark::State::Valid(m) => m.seq.saturating_sub(head),
                    _ => 0,
                }
            },
            mark_damaged: crate::mark::read_state(&self.path)? == crate::mark::State::Damaged,
        };
        if let Some((url, at, cursor, online, la, ls, le, f, off, skew)) = row {
            s.hub_url = Some(url);
            s.enrolled_at = Some(at);
            s.cursor = cursor as u64;
            s.online = online != 0;
            s.last_attempt_at = la;
            s.last_success_at = ls;
            s.last_error = le;
            s.failures = f.clamp(0, i64::from(u32::MAX)) as u32;
            s.clock_offset_ms = off;
            s.clock_skewed = skew != 0;
            s.answer = self
                .setting("sync_last_answer")?
                .as_deref()
                .and_then(HubAnswer::parse)
                // Before answers were kept: online or not is all that is known.
                .or(s.last_attempt_at.as_ref().map(|_| {
                    if s.online && s.last_error.is_none() {
                        HubAnswer::Ok
                    } else if s.online {
                        HubAnswer::Busy
                    } else {
                        HubAnswer::Unreachable
                    }
                }));
        }
        Ok(s)
    }

    /// Up to `limit` events waiting for the hub, in station-sequence order.
    pub fn pending_events(&self, limit: usize) -> Result<Vec<Event>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM events
             WHERE seq IN (SELECT seq FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?1)
             ORDER BY seq"
        ))?;
        let events = st
            .query_map([limit as i64], row_to_event)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(events)
    }

    /// The signed head of the journal, sent with every push.
    pub fn signed_head(&self) -> Result<SignedHead> {
        self.conn
            .query_row(
                "SELECT seq, hash, signature FROM journal_head WHERE id = 1",
                [],
                |r| {
                    Ok(SignedHead {
                        seq: r.get::<_, i64>(0)? as u64,
                        hash: r.get(1)?,
                        signature: r.get(2)?,
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::NotInitialized)
    }

    /// Whether the hub refused event `seq` for good (it is quarantined here).
    pub fn is_quarantined(&self, seq: u64) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM outbox WHERE seq = ?1 AND state = 'quarantined'",
                [seq as i64],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .is_some())
    }

    /// Why the hub refused the event `seq`, as it said (None: not refused).
    pub fn quarantine_reason(&self, seq: u64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT last_error FROM outbox WHERE seq = ?1 AND state = 'quarantined'",
                [seq as i64],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }

    /// A signed head for the event `seq` of this journal: the stored head when `seq` is
    /// the head, else signed now with the station key. A push batch ending before the head
    /// carries a head of its own last event: the hub stores only events a verified head
    /// covers, and serves the heads back to a counter rebuilding its journal. Without the
    /// station key only the stored head can be given ([`StoreError::NoSigner`] otherwise).
    pub fn signed_head_at(&self, seq: u64) -> Result<SignedHead> {
        let head = self.signed_head()?;
        if seq >= head.seq {
            return Ok(head);
        }
        let signer = self.signer.as_ref().ok_or(StoreError::NoSigner)?;
        let station = self.station()?;
        let hash: String = self.conn.query_row(
            "SELECT hash FROM events WHERE seq = ?1",
            [seq as i64],
            |r| r.get(0),
        )?;
        use ed25519_dalek::Signer;
        let sig = signer.sign(&motcua_core::journal::head_message(
            &station.station_id,
            seq,
            &hash,
        ));
        Ok(SignedHead {
            seq,
            hash,
            signature: hex::encode(sig.to_bytes()),
        })
    }

    /// Records the hub's answer to a push: acks, quarantines (with the reason) and, when
    /// the hub lacks earlier events, puts acked events from that sequence back in the queue.
    /// Nothing is ever deleted.
    pub fn record_push(&mut self, rec: &PushRecord, now: DateTime<FixedOffset>) -> Result<()> {
        let now = now.to_rfc3339();
        let tx = self.immediate()?;
        {
            let mut ack = tx.prepare_cached(
                "UPDATE outbox SET state = 'acked', acked_at = ?2, attempts = attempts + 1,
                                   last_error = NULL
                 WHERE seq = ?1 AND state = 'pending'",
            )?;
            for seq in &rec.acked {
                ack.execute(params![*seq as i64, now])?;
            }
            let mut q = tx.prepare_cached(
                "UPDATE outbox SET state = 'quarantined', attempts = attempts + 1, last_error = ?2
                 WHERE seq = ?1 AND state = 'pending'",
            )?;
            for (seq, reason) in &rec.rejected {
                q.execute(params![*seq as i64, reason])?;
            }
            if let Some(from) = rec.requeue_from {
                tx.execute(
                    "UPDATE outbox SET state = 'pending', acked_at = NULL
                     WHERE seq >= ?1 AND state = 'acked'",
                    [from as i64],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Applies upstream changes and stores the new cursor in one IMMEDIATE transaction.
    /// Status changes for dossiers of this station are journaled as `upstream_status`
    /// events; one the counter's status machine cannot reach is recorded as a conflict.
    /// Catalogues and yearly holiday schedules are stored in the same transaction.
    /// Returns how many changes were applied.
    pub fn apply_changes(
        &mut self,
        changes: &[ChangeItem],
        cursor: u64,
        now: DateTime<FixedOffset>,
    ) -> Result<u64> {
        self.journaled(|w| {
            let mut applied = 0u64;
            for item in changes {
                applied += match &item.change {
                    Change::Catalog { version, body } => {
                        apply_catalog(w, item.id, version, body, now)?
                    }
                    Change::Holidays { year, body } => {
                        apply_holidays(w, item.id, *year, body, now)?
                    }
                    Change::Status {
                        code, status, note, ..
                    } => apply_status(w, item.id, code, *status, note.as_deref(), now)?,
                };
            }
            w.tx.execute(
                "UPDATE sync_state SET cursor = max(cursor, ?1) WHERE id = 1",
                [cursor as i64],
            )?;
            Ok(applied)
        })
    }

    /// Records an upstream change that could not be applied, for the clerk to see.
    pub fn record_conflict(
        &mut self,
        change_id: u64,
        subject: &str,
        detail: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        insert_conflict(&self.conn, change_id, subject, detail, now)
    }

    /// Records the end of one exchange: online/offline, time, error, clock offset (a busy
    /// hub is online, and not one more failure in a row). While
    /// the clock is skewed, events written since the last exchange are flagged.
    pub fn record_sync_outcome(
        &mut self,
        outcome: &SyncOutcome,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let now = now.to_rfc3339();
        let tx = self.immediate()?;
        // Online means the hub answered, whatever it answered.
        let online = i64::from(outcome.answer != HubAnswer::Unreachable);
        match &outcome.error {
            None => tx.execute(
                "UPDATE sync_state SET online = 1, last_attempt_at = ?1, last_success_at = ?1,
                                       last_error = NULL, failures = 0 WHERE id = 1",
                [&now],
            )?,
            Some(e) if outcome.hub_busy => tx.execute(
                "UPDATE sync_state SET online = 1, last_attempt_at = ?1, last_error = ?2
                 WHERE id = 1",
                [&now, e],
            )?,
            Some(e) => tx.execute(
                "UPDATE sync_state SET online = ?3, last_attempt_at = ?1, last_error = ?2,
                                       failures = failures + 1 WHERE id = 1",
                params![&now, e, online],
            )?,
        };
        tx.execute(
            "INSERT INTO settings(key, value) VALUES ('sync_last_answer', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [outcome.answer.as_str()],
        )?;
        if let Some(off) = outcome.clock_offset_ms {
            let skewed = off.abs() > MAX_CLOCK_SKEW_MS;
            tx.execute(
                "UPDATE sync_state SET clock_offset_ms = ?1, clock_skewed = ?2 WHERE id = 1",
                params![off, i64::from(skewed)],
            )?;
            // Events written since the last check were written under this clock.
            if skewed {
                tx.execute(
                    "INSERT OR IGNORE INTO clock_skew_flags(seq, offset_ms)
                     SELECT seq, ?1 FROM events
                     WHERE seq > (SELECT checked_seq FROM sync_state WHERE id = 1)",
                    [off],
                )?;
            }
            tx.execute(
                "UPDATE sync_state SET checked_seq = (SELECT coalesce(max(seq), 0) FROM events)
                 WHERE id = 1",
                [],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// A pulled catalogue, in a savepoint: a refused one becomes a conflict for the clerk and
/// leaves the rest of the batch, and the cursor, to commit. 1 when a new version loaded.
fn apply_catalog(
    w: &mut Journaled<'_>,
    change_id: u64,
    version: &str,
    body: &str,
    now: DateTime<FixedOffset>,
) -> Result<u64> {
    let sp = w.tx.savepoint()?;
    let mut trial = w.journal.clone();
    let loaded = motcua_core::catalog::Catalog::from_json(body)
        .map_err(StoreError::from)
        .and_then(|cat| crate::catalog::load_catalog_in(&sp, &mut trial, &cat, "upstream", now));
    match loaded {
        Ok(new) => {
            sp.commit()?;
            w.journal = trial;
            Ok(u64::from(new))
        }
        // A storage failure fails the batch (pulled again next time); only a problem with
        // the catalogue itself is the clerk's to see.
        Err(
            e @ (StoreError::DiskFull
            | StoreError::ReadOnly
            | StoreError::Busy
            | StoreError::Sqlite(_)),
        ) => Err(e),
        Err(e) => {
            drop(sp);
            let detail = format!("không nạp được danh mục thủ tục phiên bản {version}: {e}");
            insert_conflict(&w.tx, change_id, "dữ liệu dùng chung", &detail, now)?;
            Ok(0)
        }
    }
}

/// A pulled yearly holiday schedule, stored with the cursor; a schedule that does not
/// parse is a conflict for the clerk. 1 when it is new or replaces another.
fn apply_holidays(
    w: &mut Journaled<'_>,
    change_id: u64,
    year: i32,
    body: &str,
    now: DateTime<FixedOffset>,
) -> Result<u64> {
    match crate::holiday::store_schedule(&w.tx, year, body, change_id, now)? {
        Ok(new) => Ok(u64::from(new)),
        Err(reason) => {
            let detail = format!("lịch nghỉ năm {year} không hợp lệ: {reason}");
            insert_conflict(&w.tx, change_id, "dữ liệu dùng chung", &detail, now)?;
            Ok(0)
        }
    }
}

/// An upstream status change for a dossier of this station, journaled as
/// `upstream_status`; one the counter cannot accept is recorded as a conflict. 1 when
/// applied.
fn apply_status(
    w: &mut Journaled<'_>,
    change_id: u64,
    code: &str,
    status: Status,
    note: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Result<u64> {
    let row: Option<(String, String)> =
        w.tx.query_row(
            "SELECT id, status FROM dossiers WHERE code = ?1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    // A dossier of another station of the agency: nothing to do here.
    let Some((id, from)) = row else { return Ok(0) };
    let from: Status = from
        .parse()
        .map_err(|e: motcua_core::status::UnknownStatus| StoreError::Corrupt(e.to_string()))?;
    if from == status {
        return Ok(0);
    }
    // Upstream owns processing status, but a dossier the counter has closed (returned,
    // refused, withdrawn, ...) is a reception fact: show, do not apply.
    if from.next().is_empty() {
        let detail = format!(
            "Cấp trên đặt trạng thái «{}» nhưng tại quầy hồ sơ đã ở trạng thái kết thúc «{}»; chưa áp dụng, cần đối chiếu",
            status.label(),
            from.label()
        );
        insert_conflict(&w.tx, change_id, code, &detail, now)?;
        return Ok(0);
    }
    w.tx.execute(
        "UPDATE dossiers SET status = ?1, updated_at = ?2 WHERE id = ?3",
        params![status.as_str(), now.to_rfc3339(), id],
    )?;
    let change = StatusChange {
        code: code.to_string(),
        from,
        to: status,
        note: note.map(str::to_string),
    };
    w.append(NewEvent {
        kind: EventKind::UpstreamStatus,
        clerk: "upstream",
        dossier_id: Some(&id),
        payload: serde_json::to_string(&change)?,
        wall_time: now,
    })?;
    Ok(1)
}

/// Records an upstream change that was not applied, on any connection or transaction.
fn insert_conflict(
    conn: &rusqlite::Connection,
    change_id: u64,
    subject: &str,
    detail: &str,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_conflicts(change_id, dossier_code, detail, at) VALUES (?1, ?2, ?3, ?4)",
        params![change_id as i64, subject, detail, now.to_rfc3339()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
