//! Rebuilding the journal from the events the hub holds, and accepting the loss of events
//! nobody holds.
//!
//! The hub keeps every event a station pushed. A counter whose database went back in time
//! (an old backup restored, a deleted `-wal`) or was lost with its PC fetches its own
//! journal tail from the hub and appends it here verbatim, after checking it: the chain
//! must continue from the local head, every event's hash must match its content, and the
//! events are taken only up to a head the station signed (with the key in force at that
//! point of the chain: the one in `station_initialized`, then each `station_rekeyed`). The
//! register, accounts and counters are rebuilt from the events in the same transaction.

use crate::journal::StatusChange;
use crate::station::{StationInfo, station_in};
use crate::user::User;
use crate::{Result, Store, StoreError};
use chrono::{DateTime, FixedOffset};
use motcua_core::dossier::Dossier;
use motcua_core::journal::{ChainWalker, Event, EventKind, GENESIS_HASH, head_is_signed};
use motcua_core::wire::SignedHead;
use rusqlite::{OptionalExtension, params};

/// What one page of recovered events did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovered {
    /// Events appended.
    pub events: u64,
    /// Dossiers received again into the register.
    pub dossiers: u64,
    /// Status changes applied.
    pub status_changes: u64,
    /// Accounts recreated: their passwords are not in the journal, so an admin must set
    /// them again before they can sign in.
    pub accounts: Vec<String>,
    /// Catalogue versions loaded in the recovered events; their content is not in the
    /// journal and comes back with the next sync (or a new import).
    pub catalogs: Vec<String>,
    /// Events offered but not taken: after the last head the station signed (a later
    /// page may cover them), or from the first one that does not check.
    pub left: u64,
    /// The first event that did not check, if any: nothing from it on was taken.
    pub problem: Option<String>,
}

/// The public key a `station_initialized` or `station_rekeyed` event puts in force.
fn key_in(e: &Event) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct K {
        public_key: String,
    }
    match e.kind {
        EventKind::StationInitialized | EventKind::StationRekeyed => {
            serde_json::from_str::<K>(&e.payload)
                .ok()
                .map(|k| k.public_key)
        }
        _ => None,
    }
}

impl Store {
    /// Sequence and hash of the journal head (0 and the genesis hash when empty).
    pub fn journal_head(&self) -> Result<(u64, String)> {
        let (seq, hash) = crate::mark::head_of(&self.conn)?;
        Ok((seq, hash.unwrap_or_else(|| GENESIS_HASH.to_string())))
    }

    /// Checks the database against its high-water mark (what every journaled write checks
    /// first): [`StoreError::RolledBack`] when committed events are missing.
    pub fn check_mark(&self) -> Result<()> {
        let station = self.station()?;
        crate::mark::check(&self.conn, &self.path, &station.station_id)
    }

    /// The station-clock time of the last event the journal holds.
    pub fn last_event_time(&self) -> Result<Option<DateTime<FixedOffset>>> {
        let t: Option<String> = self
            .conn
            .query_row(
                "SELECT wall_time FROM events ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(t.and_then(|t| DateTime::parse_from_rfc3339(&t).ok()))
    }

    /// Appends events of this station fetched from the hub after the local head, checked
    /// as the module says, and rebuilds what they explain. `station_id` is the station the
    /// hub served (for an empty database, the one enrolled).
    pub fn apply_recovered(
        &mut self,
        station_id: &str,
        events: &[Event],
        heads: &[SignedHead],
        now: DateTime<FixedOffset>,
    ) -> Result<Recovered> {
        let tx = self.immediate()?;
        let local = station_in(&tx)?;
        if let Some(s) = &local
            && s.station_id != station_id
        {
            return Err(StoreError::Setup(format!(
                "máy chủ tỉnh gửi nhật ký của quầy {station_id}, không phải của quầy này ({})",
                s.station_id
            )));
        }
        let (seq, hash) = crate::mark::head_of(&tx)?;
        let mut walker = ChainWalker::resume(seq, hash.as_deref().unwrap_or(GENESIS_HASH));
        let mut key = local.as_ref().map(|s| s.public_key.clone());
        // Walk: chain, own hash, station; remember the last signed head that matches.
        let mut taken = 0usize;
        let mut take_head: Option<&SignedHead> = None;
        let mut problem = None;
        for (n, e) in events.iter().enumerate() {
            if let Err(c) = walker.check(e) {
                problem = Some(format!("nhật ký từ máy chủ tỉnh không khớp: {c}"));
                break;
            }
            if e.station_id != station_id {
                problem = Some(format!("sự kiện số {} mang mã quầy khác", e.seq));
                break;
            }
            if let Some(k) = key_in(e) {
                key = Some(k);
            }
            if let Some(h) = heads.iter().find(|h| h.seq == e.seq) {
                let signed = key
                    .as_deref()
                    .is_some_and(|k| head_is_signed(k, station_id, h.seq, &h.hash, &h.signature));
                if h.hash == e.hash && signed {
                    taken = n + 1;
                    take_head = Some(h);
                } else {
                    problem = Some(format!(
                        "đầu nhật ký số {} từ máy chủ tỉnh không có chữ ký hợp lệ của quầy",
                        e.seq
                    ));
                    break;
                }
            }
        }
        let mut out = Recovered {
            left: (events.len() - taken) as u64,
            ..Recovered::default()
        };
        out.problem = problem;
        let Some(head) = take_head else {
            return Ok(out);
        };
        let now_s = now.to_rfc3339();
        for e in &events[..taken] {
            crate::journal::insert_row(&tx, &e.fields(), &e.hash)?;
            // The hub holds it already: acked from the start.
            tx.prepare_cached("INSERT INTO outbox(seq, state, acked_at) VALUES (?1, 'acked', ?2)")?
                .execute(params![e.seq as i64, now_s])?;
            project(&tx, e, &mut out)?;
            out.events += 1;
        }
        tx.execute(
            "INSERT INTO journal_head(id, seq, hash, signature) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,
                                           signature = excluded.signature",
            params![head.seq as i64, head.hash, head.signature],
        )?;
        let skipped = crate::mark::skipped_of(&tx)?;
        tx.commit()?;
        // Never lowered: a mark past the recovered head still says what is missing.
        let _ = self.write_mark_if(
            &crate::mark::Mark {
                station_id: station_id.to_string(),
                seq: head.seq,
                hash: head.hash.clone(),
                skipped,
            },
            |current| current.seq > head.seq,
        );
        Ok(out)
    }

    /// After a rebuild on a replacement PC: the station signs with `new` key from now on,
    /// journaled as `station_rekeyed` and signed with it.
    pub fn rekey(
        &mut self,
        recovered_events: u64,
        now: DateTime<FixedOffset>,
    ) -> Result<StationInfo> {
        let public_key = crate::keys::public_hex(self.signer.as_ref().ok_or(StoreError::NoSigner)?);
        self.journaled_rekey(|w| {
            let previous = w.station.public_key.clone();
            w.tx.execute(
                "UPDATE station SET public_key = ?1 WHERE id = 1",
                [&public_key],
            )?;
            w.append(crate::journal::NewEvent {
                kind: EventKind::StationRekeyed,
                clerk: "system",
                dossier_id: None,
                payload: serde_json::json!({
                    "public_key": public_key,
                    "previous_key": previous,
                    "recovered_events": recovered_events,
                })
                .to_string(),
                wall_time: now,
            })?;
            w.station.public_key.clone_from(&public_key);
            Ok(w.station.clone())
        })
    }
}

/// Rebuilds what one recovered event explains.
fn project(tx: &rusqlite::Transaction<'_>, e: &Event, out: &mut Recovered) -> Result<()> {
    match e.kind {
        EventKind::LossAccepted => {
            #[derive(serde::Deserialize)]
            struct L {
                skipped: u64,
                skipped_ledger: Option<u64>,
                first_day: chrono::NaiveDate,
                last_day: chrono::NaiveDate,
            }
            let l: L = serde_json::from_str(&e.payload)?;
            let ledger = l.skipped_ledger.unwrap_or(l.skipped);
            crate::loss::skip_numbers(tx, l.first_day, l.last_day, l.skipped, ledger, 0)?;
        }
        EventKind::StationInitialized => {
            let s: StationInfo = serde_json::from_str(&e.payload)?;
            let exists: Option<i64> = tx
                .query_row("SELECT 1 FROM station WHERE id = 1", [], |r| r.get(0))
                .optional()?;
            if exists.is_none() {
                tx.execute(
                    "INSERT INTO station(id, agency_id, agency_name, parent_name, station_no,
                                         station_id, public_key, created_at)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        s.agency_id.as_str(),
                        s.agency_name,
                        s.parent_name,
                        s.station_no.get(),
                        s.station_id,
                        s.public_key,
                        e.wall_time,
                    ],
                )?;
            }
        }
        EventKind::StationRekeyed => {
            if let Some(k) = key_in(e) {
                tx.execute("UPDATE station SET public_key = ?1 WHERE id = 1", [k])?;
            }
        }
        EventKind::UserAdded => {
            let u: User = serde_json::from_str(&e.payload)?;
            // The password is not in the journal: a hash of a random secret nobody knows,
            // until an admin sets a new one.
            let hash = crate::user::unusable_hash()?;
            let n = tx.execute(
                "INSERT INTO users(username, full_name, role, password_hash, active, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(username) DO NOTHING",
                params![
                    u.username,
                    u.full_name,
                    u.role.as_str(),
                    hash,
                    i64::from(u.active),
                    e.wall_time
                ],
            )?;
            if n > 0 {
                out.accounts.push(u.username);
            }
        }
        EventKind::UserChanged => {
            #[derive(serde::Deserialize)]
            struct C {
                username: String,
                change: String,
            }
            let c: C = serde_json::from_str(&e.payload)?;
            let active = match c.change.as_str() {
                "deactivated" => Some(0),
                "reactivated" => Some(1),
                _ => None,
            };
            if let Some(a) = active {
                tx.execute(
                    "UPDATE users SET active = ?1 WHERE username = ?2",
                    params![a, c.username],
                )?;
            }
        }
        EventKind::CatalogLoaded => {
            #[derive(serde::Deserialize)]
            struct V {
                version: String,
            }
            if let Ok(v) = serde_json::from_str::<V>(&e.payload) {
                out.catalogs.push(v.version);
            }
        }
        EventKind::DossierReceived => {
            let d: Dossier = serde_json::from_str(&e.payload)?;
            let at = DateTime::parse_from_rfc3339(&e.wall_time)
                .map_err(|x| StoreError::Corrupt(format!("sự kiện số {}: {x}", e.seq)))?;
            crate::dossier::insert_recovered(tx, &d, at)?;
            out.dossiers += 1;
        }
        EventKind::StatusChanged | EventKind::UpstreamStatus => {
            let c: StatusChange = serde_json::from_str(&e.payload)?;
            tx.execute(
                "UPDATE dossiers SET status = ?1, updated_at = ?2 WHERE code = ?3",
                params![c.to.as_str(), e.wall_time, c.code],
            )?;
            out.status_changes += 1;
        }
        EventKind::AppointmentExtended => {
            let x: motcua_core::journal::Extension = serde_json::from_str(&e.payload)?;
            tx.execute(
                "UPDATE dossiers SET due_at = ?1, updated_at = ?2 WHERE code = ?3",
                params![
                    x.to.format(crate::dossier::TIME_FMT).to_string(),
                    e.wall_time,
                    x.code
                ],
            )?;
        }
        EventKind::DataCorrected => {
            let c: motcua_core::correction::Correction = serde_json::from_str(&e.payload)?;
            crate::correction::replay(tx, &c, &e.wall_time)?;
        }
        // Who read what changes nothing the register holds.
        EventKind::DataAccessed => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testutil::*;
    use motcua_core::journal::Event;
    use motcua_core::wire::SignedHead;

    /// A station with three dossiers (one moved on), and what the hub would hold of it:
    /// every event and the head signed over the last one.
    fn pushed() -> (tempfile::TempDir, crate::Store, Vec<Event>, SignedHead) {
        let (d, mut s) = store();
        let a = s.receive(&request("A", "2026-11-25T09:00"), now()).unwrap();
        s.receive(&request("B", "2026-11-25T09:05"), now()).unwrap();
        s.receive(&request("C", "2026-11-25T09:10"), now()).unwrap();
        s.transition(
            &a.code,
            motcua_core::status::Status::Processing,
            "lan",
            None,
            now(),
        )
        .unwrap();
        let events = s.pending_events(1000).unwrap();
        let head = s.signed_head().unwrap();
        (d, s, events, head)
    }

    fn empty() -> (tempfile::TempDir, crate::Store) {
        let d = tempfile::tempdir().unwrap();
        let s = crate::Store::open(&d.path().join("motcua.sqlite")).unwrap();
        (d, s)
    }

    const ID: &str = "000.17.22.H56#1";

    #[test]
    fn a_whole_journal_rebuilds_the_register_and_verifies() {
        let (_d, orig, events, head) = pushed();
        let (_e, mut s) = empty();
        let r = s.apply_recovered(ID, &events, &[head], now()).unwrap();
        assert_eq!(r.events, events.len() as u64);
        assert_eq!(r.dossiers, 3);
        assert_eq!(r.status_changes, 1);
        assert_eq!(r.accounts, ["lan"]);
        assert_eq!(r.problem, None);
        assert_eq!(s.verify().unwrap(), orig.verify().unwrap());
        assert_eq!(
            s.search("", None, 10).unwrap(),
            orig.search("", None, 10).unwrap()
        );
        assert!(!s.check_password("lan", "mật khẩu dài").unwrap());
    }

    #[test]
    fn an_edited_event_or_a_forged_head_is_never_taken() {
        let (_d, _orig, events, head) = pushed();
        // An event edited at the hub (its hash recomputed or not): the chain breaks there.
        for rehash in [false, true] {
            let mut bad = events.clone();
            bad[3].payload = bad[3].payload.replace("\"A\"", "\"Kẻ giả mạo\"");
            if rehash {
                bad[3].hash = bad[3].fields().hash();
            }
            let (_e, mut s) = empty();
            let r = s
                .apply_recovered(ID, &bad, std::slice::from_ref(&head), now())
                .unwrap();
            assert_eq!(r.events, 0, "nothing before a good signed head is taken");
            assert!(r.problem.is_some());
            assert!(s.station().is_err());
        }
        // A head the station never signed.
        let mut forged = head.clone();
        forged.signature = "00".repeat(64);
        let (_e, mut s) = empty();
        let r = s.apply_recovered(ID, &events, &[forged], now()).unwrap();
        assert_eq!(r.events, 0);
        assert!(r.problem.unwrap().contains("chữ ký"));
        // No signed head at all: events are offered but none is taken.
        let (_e, mut s) = empty();
        let r = s.apply_recovered(ID, &events, &[], now()).unwrap();
        assert_eq!((r.events, r.left), (0, events.len() as u64));
        // Another station's journal is refused.
        let (_e, mut s) = empty();
        let r = s
            .apply_recovered("000.17.22.H56#2", &events, &[head], now())
            .unwrap();
        assert_eq!(r.events, 0);
    }

    #[test]
    fn a_tail_continues_the_local_head_and_accepting_a_loss_skips_its_codes() {
        let (d, mut s) = store();
        s.receive(&request("A", "2026-11-25T09:00"), now()).unwrap();
        let bak = d.path().join("bak.sqlite");
        s.backup(&bak).unwrap();
        let lost = s.receive(&request("B", "2026-11-25T09:05"), now()).unwrap();
        let tail: Vec<Event> = s.pending_events(1000).unwrap().split_off(4);
        let head = s.signed_head().unwrap();
        let key = crate::keys::load(&d.path().join("station.key")).unwrap();
        drop(s);
        crate::Store::restore(&bak, &d.path().join("motcua.sqlite"), &key, "t1").unwrap();
        let mut s = crate::Store::open(&d.path().join("motcua.sqlite"))
            .unwrap()
            .with_signer(key.clone());
        assert!(matches!(
            s.receive(&request("C", "2026-11-25T09:10"), now()),
            Err(crate::StoreError::RolledBack { .. })
        ));
        let r = s.apply_recovered(ID, &tail, &[head], now()).unwrap();
        assert_eq!((r.events, r.dossiers), (1, 1));
        let c = s.receive(&request("C", "2026-11-25T09:10"), now()).unwrap();
        assert_ne!(c.code, lost.code);
        assert_eq!(s.dossier(&lost.code).unwrap().code, lost.code);
        s.verify().unwrap();

        // Without the tail: the loss accepted moves the day's codes past the lost one.
        let bak2 = d.path().join("bak2.sqlite");
        s.backup(&bak2).unwrap();
        let gone = s.receive(&request("D", "2026-11-25T09:20"), now()).unwrap();
        drop(s);
        crate::Store::restore(&bak2, &d.path().join("motcua.sqlite"), &key, "t2").unwrap();
        let mut s = crate::Store::open(&d.path().join("motcua.sqlite"))
            .unwrap()
            .with_signer(key);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(s.accept_loss(day, day, now(), None).unwrap(), 1);
        let e = s.receive(&request("E", "2026-11-25T09:30"), now()).unwrap();
        assert_ne!(
            e.code, gone.code,
            "the lost dossier's code is never issued again"
        );
        assert!(e.ledger_entry > gone.ledger_entry);
        s.verify().unwrap();
    }
}
