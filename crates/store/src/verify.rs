//! `verify`: the whole journal against its chain, its signed head and the register.

use crate::journal::{EVENT_COLUMNS, StatusChange, UnknownKind, row_to_event};
use crate::{Result, Store, StoreError};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use motcua_core::correction::Correction;
use motcua_core::dossier::Dossier;
use motcua_core::journal::{ChainWalker, Event, EventKind, Extension, head_message};
use motcua_core::status::Status;
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::HashMap;

/// What `verify` checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifySummary {
    pub events: u64,
    pub dossiers: u64,
    pub head_seq: u64,
    pub head_hash: String,
}

fn problem(msg: String) -> StoreError {
    StoreError::Verify(msg)
}

/// An event of a kind this build does not know is a verify problem naming it.
fn unknown_kind(e: rusqlite::Error) -> StoreError {
    match &e {
        rusqlite::Error::FromSqlConversionFailure(_, _, inner) => {
            match inner.downcast_ref::<UnknownKind>() {
                Some(k) => problem(format!("Nhật ký bị can thiệp: {k}")),
                None => e.into(),
            }
        }
        _ => e.into(),
    }
}

impl Store {
    /// Walks the whole journal and checks: gap-free sequence, hash links, every event's
    /// own hash, the signed head (against the station key), the outbox, and that the
    /// dossier register equals the projection of the journal. The first problem found is
    /// returned, naming the event (or dossier) concerned.
    pub fn verify(&self) -> Result<VerifySummary> {
        let station = self.station()?;
        let key_bytes: [u8; 32] = hex::decode(&station.public_key)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| problem("khóa công khai của quầy trong cơ sở dữ liệu bị hỏng".into()))?;
        let public = VerifyingKey::from_bytes(&key_bytes)
            .map_err(|_| problem("khóa công khai của quầy không hợp lệ".into()))?;
        if let Some(signer) = &self.signer
            && signer.verifying_key() != public
        {
            return Err(problem(
                "khóa công khai trong cơ sở dữ liệu không khớp tệp khóa của quầy (đã bị thay)"
                    .into(),
            ));
        }

        let mut walker = ChainWalker::default();
        let mut received: HashMap<String, Projected> = HashMap::new();
        let mut corrected: HashMap<String, Vec<Correction>> = HashMap::new();
        let mut st = self
            .conn
            .prepare(&format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY seq"))?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let e = row_to_event(r).map_err(unknown_kind)?;
            walker
                .check(&e)
                .map_err(|c| problem(format!("Nhật ký bị can thiệp: {c}")))?;
            if e.station_id != station.station_id {
                return Err(problem(format!("sự kiện số {} mang mã quầy khác", e.seq)));
            }
            apply_to_projection(&e, &mut received)?;
            if e.kind == EventKind::DataCorrected {
                let bad = || problem(format!("sự kiện số {} có nội dung không hợp lệ", e.seq));
                let c: Correction = serde_json::from_str(&e.payload).map_err(|_| bad())?;
                let id = e.dossier_id.clone().filter(|id| received.contains_key(id));
                corrected.entry(id.ok_or_else(bad)?).or_default().push(c);
            }
        }
        let (seq, hash) = walker.head();
        let head: Option<(i64, String, String)> = self
            .conn
            .query_row(
                "SELECT seq, hash, signature FROM journal_head WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((hseq, hhash, hsig)) = head else {
            return Err(problem("thiếu đầu nhật ký đã ký".into()));
        };
        if hseq as u64 != seq || hhash != hash {
            return Err(problem(format!(
                "Nhật ký bị can thiệp: đầu nhật ký đã ký ghi sự kiện số {hseq}, nhưng nhật ký kết thúc ở sự kiện số {seq} (sự kiện số {} bị xóa hoặc sửa)",
                seq.min(hseq as u64) + 1
            )));
        }
        let sig = hex::decode(&hsig)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
            .map(|b| Signature::from_bytes(&b))
            .ok_or_else(|| problem("chữ ký đầu nhật ký bị hỏng".into()))?;
        public
            .verify(&head_message(&station.station_id, seq, hash), &sig)
            .map_err(|_| problem("chữ ký đầu nhật ký không hợp lệ".into()))?;
        // A whole journal that is valid but shorter than what this station committed. A
        // damaged mark is said after everything else was checked.
        let mark_damaged = match crate::mark::check(&self.conn, &self.path, &station.station_id) {
            Err(StoreError::MarkDamaged { path }) => Some(path),
            other => {
                other?;
                None
            }
        };

        let outbox: i64 = self.conn.query_row(
            "SELECT count(*) FROM outbox o JOIN events e ON e.seq = o.seq",
            [],
            |r| r.get(0),
        )?;
        if outbox as u64 != seq {
            let missing: Option<i64> = self
                .conn
                .query_row(
                    "SELECT min(e.seq) FROM events e LEFT JOIN outbox o ON o.seq = e.seq WHERE o.seq IS NULL",
                    [],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            return Err(problem(format!(
                "hàng đợi đồng bộ thiếu sự kiện số {} (sẽ không được gửi lên)",
                missing.unwrap_or(0)
            )));
        }
        let dossiers = self.check_projection(&received, &corrected)?;
        if let Some(path) = mark_damaged {
            return Err(StoreError::MarkDamaged { path });
        }
        Ok(VerifySummary {
            events: seq,
            dossiers,
            head_seq: seq,
            head_hash: hash.to_string(),
        })
    }

    /// Compares every dossier row with the journal's projection of it.
    fn check_projection(
        &self,
        received: &HashMap<String, Projected>,
        corrected: &HashMap<String, Vec<Correction>>,
    ) -> Result<u64> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {}, e.payload FROM dossiers d LEFT JOIN events e
               ON e.dossier_id = d.id AND e.kind = 'dossier_received' ORDER BY d.rowid",
            crate::dossier::DOSSIER_COLUMNS
        ))?;
        let mut rows = st.query([])?;
        let mut seen = 0u64;
        while let Some(r) = rows.next()? {
            let stored = crate::dossier::row_to_dossier(r)?;
            let payload: Option<String> = r.get(crate::dossier::DOSSIER_COLUMN_COUNT)?;
            let Some(payload) = payload else {
                return Err(problem(format!(
                    "Sổ hồ sơ bị can thiệp: hồ sơ {} không có sự kiện tiếp nhận trong nhật ký",
                    stored.code
                )));
            };
            let mut expected: Dossier = serde_json::from_str(&payload)?;
            let p = received.get(&stored.id).copied().unwrap_or(Projected {
                seq: 0,
                status: Status::Received,
                due_at: None,
            });
            let seq = p.seq;
            expected.status = p.status;
            if let Some(due) = p.due_at {
                expected.due_at = Some(due);
            }
            // Dossiers received before numbers were journaled (schema version 1) got theirs
            // when the database was upgraded: only the register holds it.
            if expected.ledger_entry.is_none() {
                expected.ledger_entry = stored.ledger_entry;
            }
            for c in corrected.get(&stored.id).into_iter().flatten() {
                c.apply(&mut expected).map_err(|why| {
                    problem(format!(
                        "Nhật ký có đính chính không áp dụng được cho hồ sơ {}: {why}",
                        stored.code
                    ))
                })?;
            }
            if expected != stored {
                return Err(problem(format!(
                    "Sổ hồ sơ bị can thiệp: hồ sơ {} khác với nhật ký (sự kiện số {seq})",
                    stored.code
                )));
            }
            seen += 1;
        }
        if seen != received.len() as u64 {
            let mut st = self.conn.prepare("SELECT 1 FROM dossiers WHERE id = ?1")?;
            let mut missing: Vec<(u64, &String)> = Vec::new();
            for (id, Projected { seq, .. }) in received {
                if !st.exists([id])? {
                    missing.push((*seq, id));
                }
            }
            missing.sort();
            let seq = missing.first().map_or(0, |m| m.0);
            return Err(problem(format!(
                "Sổ hồ sơ bị can thiệp: {} hồ sơ trong nhật ký không còn trong sổ (đầu tiên: sự kiện số {seq})",
                missing.len()
            )));
        }
        Ok(seen)
    }
}

/// What the journal says of one dossier so far.
#[derive(Debug, Clone, Copy)]
struct Projected {
    /// Its received event.
    seq: u64,
    status: Status,
    /// The appointment of its last extension, if it had one.
    due_at: Option<chrono::NaiveDateTime>,
}

/// Tracks each dossier's received event, current status and appointment while walking the
/// journal.
fn apply_to_projection(e: &Event, received: &mut HashMap<String, Projected>) -> Result<()> {
    let bad = || problem(format!("sự kiện số {} có nội dung không hợp lệ", e.seq));
    match e.kind {
        EventKind::DossierReceived => {
            let id = e.dossier_id.clone().ok_or_else(bad)?;
            let p = Projected {
                seq: e.seq,
                status: Status::Received,
                due_at: None,
            };
            if received.insert(id, p).is_some() {
                return Err(problem(format!(
                    "sự kiện số {} tiếp nhận lại một hồ sơ đã có",
                    e.seq
                )));
            }
        }
        EventKind::StatusChanged => {
            let change: StatusChange = serde_json::from_str(&e.payload).map_err(|_| bad())?;
            let id = e.dossier_id.as_ref().ok_or_else(bad)?;
            let entry = received.get_mut(id).ok_or_else(bad)?;
            if entry.status != change.from || entry.status.transition(change.to).is_err() {
                return Err(bad());
            }
            entry.status = change.to;
        }
        EventKind::UpstreamStatus => {
            // Upstream owns processing status: any target is accepted, but the event must
            // start from the status the counter had (conflicts are never journaled).
            let change: StatusChange = serde_json::from_str(&e.payload).map_err(|_| bad())?;
            let id = e.dossier_id.as_ref().ok_or_else(bad)?;
            let entry = received.get_mut(id).ok_or_else(bad)?;
            if entry.status != change.from {
                return Err(bad());
            }
            entry.status = change.to;
        }
        EventKind::AppointmentExtended => {
            let ext: Extension = serde_json::from_str(&e.payload).map_err(|_| bad())?;
            let id = e.dossier_id.as_ref().ok_or_else(bad)?;
            let entry = received.get_mut(id).ok_or_else(bad)?;
            if entry.status.is_finished() || ext.to <= ext.from {
                return Err(bad());
            }
            entry.due_at = Some(ext.to);
        }
        EventKind::DataAccessed => {
            serde_json::from_str::<motcua_core::access::Access>(&e.payload).map_err(|_| bad())?;
            if e.dossier_id.is_some() {
                return Err(bad());
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testutil::*;

    fn tamper(s: &crate::Store, sql: &str) {
        s.conn
            .execute_batch(&format!(
                "DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete; {sql}"
            ))
            .unwrap();
    }

    fn three() -> (tempfile::TempDir, crate::Store) {
        let (d, mut s) = store();
        for (n, t) in [("A", "09:00"), ("B", "09:10"), ("C", "09:20")] {
            s.receive(&request(n, &format!("2026-11-25T{t}")), now())
                .unwrap();
        }
        (d, s)
    }

    #[test]
    fn triggers_stop_accidental_edits() {
        let (_d, s) = three();
        assert!(
            s.conn
                .execute("UPDATE events SET clerk = 'x' WHERE seq = 4", [])
                .is_err()
        );
        assert!(
            s.conn
                .execute("DELETE FROM events WHERE seq = 4", [])
                .is_err()
        );
    }

    #[test]
    fn edited_event_is_named() {
        let (_d, s) = three();
        tamper(
            &s,
            "UPDATE events SET payload = replace(payload, '\"B\"', '\"X\"') WHERE seq = 5;",
        );
        let e = s.verify().unwrap_err().to_string();
        assert!(e.contains("sự kiện số 5 đã bị sửa"), "{e}");
    }

    #[test]
    fn deleted_middle_event_is_named() {
        let (_d, s) = three();
        tamper(
            &s,
            "DELETE FROM outbox WHERE seq = 5; DELETE FROM events WHERE seq = 5;",
        );
        let e = s.verify().unwrap_err().to_string();
        assert!(e.contains("sự kiện số 5 bị thiếu"), "{e}");
    }

    #[test]
    fn deleted_last_event_is_named() {
        let (_d, s) = three();
        tamper(
            &s,
            "DELETE FROM outbox WHERE seq = 6; DELETE FROM events WHERE seq = 6;",
        );
        let e = s.verify().unwrap_err().to_string();
        assert!(e.contains("sự kiện số 6"), "{e}");
    }

    #[test]
    fn edited_register_row_is_named() {
        let (_d, s) = three();
        s.conn
            .execute(
                "UPDATE dossiers SET applicant_name = 'Z' WHERE applicant_name = 'B'",
                [],
            )
            .unwrap();
        let e = s.verify().unwrap_err().to_string();
        assert!(
            e.contains("000.17.22.H56-261125-0002") && e.contains("sự kiện số 5"),
            "{e}"
        );
    }

    #[test]
    fn deleted_register_row_is_reported() {
        let (_d, s) = three();
        s.conn
            .execute("DELETE FROM dossiers WHERE applicant_name = 'C'", [])
            .unwrap();
        let e = s.verify().unwrap_err().to_string();
        assert!(e.contains("sự kiện số 6"), "{e}");
    }

    #[test]
    fn forged_status_is_reported() {
        let (_d, s) = three();
        s.conn
            .execute(
                "UPDATE dossiers SET status = 'returned' WHERE applicant_name = 'A'",
                [],
            )
            .unwrap();
        assert!(s.verify().is_err());
    }

    #[test]
    fn rechained_journal_fails_the_signature() {
        use motcua_core::journal::Event;
        let (_d, s) = three();
        // Rewrite event 5 and re-hash everything after it, as a careful forger would.
        let mut events: Vec<Event> = {
            let mut st = s
                .conn
                .prepare(&format!(
                    "SELECT {} FROM events ORDER BY seq",
                    crate::journal::EVENT_COLUMNS
                ))
                .unwrap();
            st.query_map([], crate::journal::row_to_event)
                .unwrap()
                .map(|e| e.unwrap())
                .collect()
        };
        events[4].clerk = "mallory".into();
        for i in 4..events.len() {
            events[i].prev_hash = events[i - 1].hash.clone();
            events[i].hash = events[i].fields().hash();
        }
        tamper(&s, "");
        for e in &events[4..] {
            s.conn
                .execute(
                    "UPDATE events SET clerk=?1, prev_hash=?2, hash=?3 WHERE seq=?4",
                    rusqlite::params![e.clerk, e.prev_hash, e.hash, e.seq as i64],
                )
                .unwrap();
        }
        let last = events.last().unwrap();
        s.conn
            .execute("UPDATE journal_head SET hash = ?1", [&last.hash])
            .unwrap();
        let e = s.verify().unwrap_err().to_string();
        assert!(e.contains("chữ ký"), "{e}");
    }

    #[test]
    fn unknown_event_kind_is_an_error_never_another_kind() {
        let (_d, s) = three();
        let last: (i64, String) = s
            .conn
            .query_row(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        s.conn
            .execute(
                "INSERT INTO events(seq, event_id, station_id, wall_time, clerk, kind, payload,
                                    prev_hash, hash)
                 VALUES (?1, 'x', '000.17.22.H56#1', '2026-11-25T09:30:00+07:00', 'lan',
                         'dossier_deleted', '{}', ?2, 'h')",
                rusqlite::params![last.0 + 1, last.1],
            )
            .unwrap();
        s.conn
            .execute("INSERT INTO outbox(seq) VALUES (?1)", [last.0 + 1])
            .unwrap();
        let e = s.verify().unwrap_err().to_string();
        assert!(
            e.contains("sự kiện số 7 có loại lạ «dossier_deleted»"),
            "{e}"
        );
        let e = s.pending_events(100).unwrap_err();
        assert!(
            matches!(&e, crate::StoreError::Corrupt(m) if m.contains("loại lạ")),
            "{e:?}"
        );
    }

    #[test]
    fn outbox_row_removed_is_reported() {
        let (_d, s) = three();
        s.conn
            .execute("DELETE FROM outbox WHERE seq = 4", [])
            .unwrap();
        let e = s.verify().unwrap_err().to_string();
        assert!(e.contains("sự kiện số 4"), "{e}");
    }
}
