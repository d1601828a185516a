//! A station's push. Nothing is stored that the station did not sign: the batch's head
//! signature is checked against the station's registered key, then the batch is walked in
//! memory ([`walk`]) — each new event must carry the station's id, link to the event
//! before it and match its own hash ([`ChainWalker`], the counter's own check). A
//! consistent chain proves nothing by itself (anyone can recompute hashes), so only a
//! chain that reaches the head's number with the signed hash is covered: the hash chain
//! commits to everything before that event, so the one signature covers them all. A
//! batch that stops short of its head, or goes past it, stores nothing beyond its last
//! covered event: those events are answered `gap` (the counter sends every batch ending
//! at a head it signs) and flagged for provincial IT. Relabelled or re-chained events
//! therefore never take a slot. The hub's own signed heads are the same rule the counter
//! applies when it rebuilds its journal from the hub (`Store::apply_recovered`).
//!
//! Covered events then take their slots (station, seq) in order. A genuine event that
//! breaks a register rule keeps its slot as a rejection; an event that fails the chain
//! check is refused without state, so the genuine one is accepted when it comes. A
//! storage error fails the whole batch (the counter retries).
//!
//! The rows are written at the database's pace: what needs no database (each event's
//! dossier or status change read, its hash checked, the batch's digest) is done before
//! the transaction ([`prepare`]); then the covered events' rows go in a few multi-row
//! statements per table ([`take_slots`]: one per table on PostgreSQL, chunks of at most
//! 1,024 rows on SQLite; the events' stored bodies written on another thread while the
//! database stores the dossiers), ordered so that each event's outcome and every row are
//! those of applying the events one at a time — a status change sees a dossier
//! received earlier in the same batch, not one received later.
//!
//! An idempotency key is bound to its station and to the SHA-256 of its batch: the same
//! key with the same batch replays the stored answer; with another batch it is refused
//! (409) and nothing is stored. Only a batch whose every event is accounted for by a
//! signature (stored now under its verified head, or identical to an event stored before)
//! binds its key, so a forged body sent first under a genuine batch's key binds nothing
//! and the genuine batch is applied when it comes.

use super::effect::Prepared;
pub(super) use super::effect::prepare;
use super::slots::{many, take_slots};
use super::{alert, i, t};
use crate::error::{HubError, Result};
use crate::sql::{Conn, V};
use motcua_core::journal::{ChainWalker, Event};
use motcua_core::wire::{ItemOutcome, ItemResult, PushRequest, PushResponse, SignedHead};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The hex SHA-256 an idempotency key is bound to: the batch as the hub parsed it, so
/// the same batch sent with other spacing, field order, unknown fields or compression is
/// the same batch. An event whose fields hash to its own `hash` is named by that hash (a
/// SHA-256 over every other field: two such events with the same hash are the same
/// event); any other event by its whole JSON. `prepared` is [`prepare`] of `req`.
pub(super) fn batch_sha256(req: &PushRequest, prepared: &Prepared) -> Result<String> {
    let mut h = Sha256::new();
    h.update(b"motcua-batch-2\n");
    h.update(serde_json::to_vec(&req.station_id)?);
    h.update(b"\n");
    h.update(serde_json::to_vec(&req.head)?);
    for (e, hashed) in req.events.iter().zip(&prepared.hashed) {
        if *hashed {
            h.update(b"\nh");
            h.update(e.hash.as_bytes());
        } else {
            h.update(b"\nb");
            h.update(serde_json::to_vec(e)?);
        }
    }
    Ok(hex::encode(h.finalize()))
}

/// The SHA-256 earlier hubs bound keys to: that of the whole batch written back as JSON.
/// A retry whose key was bound before the hub was upgraded still gets its answer.
fn batch_sha256_written(req: &PushRequest) -> Result<String> {
    Ok(hex::encode(Sha256::digest(serde_json::to_vec(req)?)))
}

/// Answers a batch: the stored answer when its key is bound to this very batch (a retry
/// whose answer was lost), a refusal when the key is bound to another batch, else the
/// batch applied — and its answer kept under the key when the batch was verified whole.
/// `prepared` is [`prepare`] of `req` (its effects are used up), `body_sha256` its
/// [`batch_sha256`].
pub(super) fn push(
    c: &mut dyn Conn,
    station_id: &str,
    key: Option<&str>,
    body_sha256: &str,
    req: &PushRequest,
    prepared: Prepared,
    now: &str,
) -> Result<PushResponse> {
    if let Some(k) = key {
        let old = c.row(
            "SELECT response, body_sha256 FROM idempotency WHERE station_id = ?1 AND key = ?2",
            &[t(station_id), t(k)],
        )?;
        match old.map(|r| (r[0].text(), r[1].opt_text())) {
            Some((response, Some(bound)))
                if bound == body_sha256 || bound == batch_sha256_written(req)? =>
            {
                return Ok(serde_json::from_str(&response)?);
            }
            Some((_, Some(_))) => return Err(HubError::KeyReused),
            // Kept before keys were bound to their batch: nothing says whose answer it
            // is, so the batch is applied again (each event's slot makes a re-sent one a
            // duplicate) and its answer replaces the old one.
            Some((_, None)) | None => {}
        }
    }
    let (resp, whole) = apply_batch(c, station_id, req, prepared, now)?;
    if let (Some(k), true) = (key, whole) {
        c.exec(
            "INSERT INTO idempotency(key, station_id, response, at, body_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(station_id, key) DO UPDATE
                SET response = excluded.response, at = excluded.at,
                    body_sha256 = excluded.body_sha256
                WHERE idempotency.body_sha256 IS NULL",
            &[
                t(k),
                t(station_id),
                t(&serde_json::to_string(&resp)?),
                t(now),
                t(body_sha256),
            ],
        )?;
    }
    Ok(resp)
}

/// The hub's copy of a station: its agency, key and where its chain ends.
struct Station {
    agency_id: String,
    public_key: String,
    chain: ChainWalker,
}

/// Reads the station's chain position, locking its row on PostgreSQL so two hub
/// instances serving the same station take turns.
fn station(c: &mut dyn Conn, station_id: &str) -> Result<Station> {
    let lock = if c.is_postgres() { " FOR UPDATE" } else { "" };
    let row = c
        .row(
            &format!(
                "SELECT agency_id, public_key, next_seq, last_hash FROM stations
                 WHERE station_id = ?1{lock}"
            ),
            &[t(station_id)],
        )?
        .ok_or(HubError::Unauthorized)?;
    let next = row[2].int().max(1) as u64;
    Ok(Station {
        agency_id: row[0].text(),
        public_key: row[1].text(),
        chain: ChainWalker::resume(next - 1, &row[3].text()),
    })
}

/// Checks the batch's head against the station's registered key. A bad signature fails
/// the batch; its alert is written by the caller in a transaction of its own, since this
/// one is rolled back ([`head_refused`]).
fn check_head(station_id: &str, public_key: &str, head: &SignedHead) -> Result<()> {
    let signed = motcua_core::journal::head_is_signed(
        public_key,
        station_id,
        head.seq,
        &head.hash,
        &head.signature,
    );
    if signed {
        return Ok(());
    }
    Err(HubError::BadHeadSignature { seq: head.seq })
}

/// Flags a refused head for provincial IT (the push's own transaction was rolled back).
pub(super) fn head_refused(c: &mut dyn Conn, station_id: &str, seq: u64, now: &str) -> Result<()> {
    alert(
        c,
        station_id,
        Some(seq),
        "chữ ký đầu nhật ký không hợp lệ",
        now,
    )
}

/// Keeps a head that covers the events just stored: the journal endpoint serves it back,
/// so a counter rebuilding its journal can check what it takes.
fn keep_head(c: &mut dyn Conn, station_id: &str, head: &SignedHead) -> Result<()> {
    c.exec(
        "INSERT INTO station_heads(station_id, seq, hash, signature) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
        &[
            t(station_id),
            i(head.seq),
            t(&head.hash),
            t(&head.signature),
        ],
    )?;
    Ok(())
}

fn result(seq: u64, outcome: ItemOutcome, reason: Option<String>) -> ItemResult {
    ItemResult {
        seq,
        outcome,
        reason,
    }
}

/// Where one event of a batch stands after the walk, before anything is written.
enum Walked {
    /// Below the chain's position when reached: compared with the event stored there.
    Seen,
    /// Continues the chain (station, link, own hash), at most up to the head's number.
    Chained,
    /// Fails the chain check or contradicts the signed head: refused and flagged.
    Refused(String),
    /// After a missing or refused event: the hub waits for this number first.
    Gap(u64),
    /// Past the head's number: no signature of this batch covers it.
    PastHead,
}

/// The walk of a batch from the hub's chain position.
struct Walk {
    each: Vec<Walked>,
    /// The chain reached the head's number with the signed hash: every `Chained` event is
    /// covered by the verified signature.
    covered: bool,
}

/// Walks the batch in memory from the hub's chain position (see the module).
/// `hashed` says for each event whether it matches its own hash ([`Prepared::hashed`]).
fn walk(mut chain: ChainWalker, station_id: &str, req: &PushRequest, hashed: &[bool]) -> Walk {
    let head = &req.head;
    let mut each = Vec::with_capacity(req.events.len());
    let mut covered = false;
    // Set once an event fails verification: it takes no slot, so nothing after it in the
    // batch can be chained (each gets a gap and is sent again after the genuine one).
    let mut blocked = false;
    for (e, &hashed) in req.events.iter().zip(hashed) {
        let next = chain.head().0 + 1;
        let w = if e.seq < next {
            Walked::Seen
        } else if e.seq > next || blocked {
            Walked::Gap(next)
        } else if e.seq > head.seq {
            Walked::PastHead
        } else if let Err(why) = verify(&mut chain, station_id, e, hashed, head) {
            blocked = true;
            Walked::Refused(why)
        } else {
            covered |= e.seq == head.seq;
            Walked::Chained
        };
        each.push(w);
    }
    Walk { each, covered }
}

/// Why an event is not stored although its chain is consistent.
fn not_covered(seq: u64, head: &SignedHead) -> String {
    format!(
        "sự kiện số {seq} không được đầu nhật ký đã ký của lô (số {}) phủ nên hub chưa lưu; hãy gửi lại trong một lô kết thúc ở đầu nhật ký đã ký",
        head.seq
    )
}

/// Applies a batch: its answer, and whether every event of it is accounted for by a
/// signature (only then may its idempotency key be bound to it).
fn apply_batch(
    c: &mut dyn Conn,
    station_id: &str,
    req: &PushRequest,
    prepared: Prepared,
    now: &str,
) -> Result<(PushResponse, bool)> {
    let st = station(c, station_id)?;
    check_head(station_id, &st.public_key, &req.head)?;
    let start = st.chain.head().0;
    let walk = walk(st.chain.clone(), station_id, req, &prepared.hashed);
    // A number taken before this batch, or earlier in it under the verified head.
    let taken = |e: &Event| e.seq <= start || (walk.covered && e.seq <= req.head.seq);
    let pairs = || req.events.iter().zip(&walk.each);
    // The covered events are written first, all together; a `Seen` event's number is
    // then taken by a stored event (before this batch, or earlier in it), read in one go.
    let covered: Vec<usize> = (walk.each.iter().enumerate())
        .filter(|(_, w)| walk.covered && matches!(w, Walked::Chained))
        .map(|(k, _)| k)
        .collect();
    let effects = prepared.effects;
    let slots = take_slots(c, station_id, &st.agency_id, req, effects, &covered, now)?;
    let mut slots = slots.into_iter();
    let seen: Vec<u64> = pairs()
        .filter(|(e, w)| matches!(w, Walked::Seen) && taken(e))
        .map(|(e, _)| e.seq)
        .collect();
    let stored = stored_events(c, station_id, &seen)?;
    let mut results = Vec::with_capacity(req.events.len());
    let mut whole = true;
    let mut uncovered: Vec<u64> = Vec::new();
    for (e, w) in pairs() {
        let (r, accounted) = match w {
            Walked::Seen if taken(e) => seen_before(c, station_id, e, stored.get(&e.seq), now)?,
            Walked::Chained if walk.covered => {
                let rejected = slots.next().flatten();
                let outcome = if rejected.is_some() {
                    ItemOutcome::Rejected
                } else {
                    ItemOutcome::Accepted
                };
                (result(e.seq, outcome, rejected), true)
            }
            Walked::Seen | Walked::Chained | Walked::PastHead => {
                uncovered.push(e.seq);
                let why = not_covered(e.seq, &req.head);
                (result(e.seq, ItemOutcome::Gap, Some(why)), false)
            }
            Walked::Refused(why) => {
                alert(c, station_id, Some(e.seq), why, now)?;
                (
                    result(e.seq, ItemOutcome::Rejected, Some(why.clone())),
                    false,
                )
            }
            Walked::Gap(next) => {
                let why = format!("hub chưa có sự kiện số {next} của quầy");
                (result(e.seq, ItemOutcome::Gap, Some(why)), false)
            }
        };
        whole &= accounted;
        results.push(r);
    }
    let refused = walk.each.iter().any(|w| matches!(w, Walked::Refused(_)));
    if let (Some(first), Some(last), false) = (uncovered.first(), uncovered.last(), refused) {
        // The counter ends every batch at a head it signed: events no signature of the
        // batch covers come from someone else (or a broken client), worth a look.
        let why = format!(
            "lô gửi lên có sự kiện số {first}–{last} không được đầu nhật ký đã ký (số {}) phủ; hub không lưu (có thể là lô giả mạo)",
            req.head.seq
        );
        alert(c, station_id, Some(*first), &why, now)?;
    }
    let expected_seq = if walk.covered {
        keep_head(c, station_id, &req.head)?;
        c.exec(
            "UPDATE stations SET next_seq = ?1, last_hash = ?2 WHERE station_id = ?3",
            &[i(req.head.seq + 1), t(&req.head.hash), t(station_id)],
        )?;
        req.head.seq + 1
    } else {
        start + 1
    };
    let resp = PushResponse {
        results,
        expected_seq,
    };
    Ok((resp, whole))
}

/// The stored `hash, outcome, reason` of the station's events numbered `seqs`, by number.
fn stored_events(c: &mut dyn Conn, station_id: &str, seqs: &[u64]) -> Result<HashMap<u64, Vec<V>>> {
    let values: Vec<V> = seqs.iter().map(|&s| i(s)).collect();
    let rows = many(
        c,
        &[t(station_id)],
        1,
        values,
        |list| {
            format!(
                "SELECT seq, hash, outcome, reason FROM events
                 WHERE station_id = ?1 AND seq IN ({list})"
            )
        },
        "SELECT seq, hash, outcome, reason FROM events
         WHERE station_id = ?1 AND seq = ANY(?2::bigint[])",
    )?;
    Ok(rows
        .into_iter()
        .map(|mut r| (r.remove(0).int() as u64, r))
        .collect())
}

/// An event for a slot already taken, given the `hash, outcome, reason` stored there: a
/// duplicate if it is the same event (same hash, content matching it), the stored
/// rejection if the same event was rejected, else a different event for the same number
/// (the counter's journal was edited), flagged. Whether it is the stored event comes with
/// the answer.
fn seen_before(
    c: &mut dyn Conn,
    station_id: &str,
    e: &Event,
    old: Option<&Vec<V>>,
    now: &str,
) -> Result<(ItemResult, bool)> {
    let same = |r: &[V]| r[0].text() == e.hash && e.fields().hash() == e.hash;
    Ok(match old {
        Some(r) if same(r) && r[1].text() == "accepted" => {
            (result(e.seq, ItemOutcome::Duplicate, None), true)
        }
        Some(r) if same(r) => (result(e.seq, ItemOutcome::Rejected, r[2].opt_text()), true),
        _ => {
            let why = format!(
                "sự kiện số {} khác với bản hub đã nhận trước đây (nhật ký bị sửa)",
                e.seq
            );
            alert(c, station_id, Some(e.seq), &why, now)?;
            (result(e.seq, ItemOutcome::Rejected, Some(why)), false)
        }
    })
}

/// Verifies the next event of the chain (at most the head's number); on success the
/// chain moves past it.
fn verify(
    chain: &mut ChainWalker,
    station_id: &str,
    e: &Event,
    hashed: bool,
    head: &SignedHead,
) -> std::result::Result<(), String> {
    if e.station_id != station_id {
        return Err("sự kiện mang mã quầy khác với quầy đang gửi".to_string());
    }
    if e.seq == head.seq && e.hash != head.hash {
        return Err(format!("sự kiện số {} khác với đầu nhật ký đã ký", e.seq));
    }
    chain.check_hashed(e, || hashed).map_err(|x| x.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::effect::{Effect, bodies};
    use super::super::slots::{EVENT_WIDTH, columns, event_rows};
    use super::*;
    use crate::sql::V;
    use motcua_core::journal::EventKind;

    fn event(seq: u64, dossier: Option<&str>) -> Event {
        let mut e = Event {
            seq,
            event_id: format!("0190a000-0000-7000-8000-{seq:012}"),
            station_id: "000.17.22.H56#1".into(),
            wall_time: "2026-01-05T08:00:00+07:00".into(),
            clerk: "lan \"Mai\"".into(),
            kind: EventKind::DossierReceived,
            dossier_id: dossier.map(str::to_string),
            payload: r#"{"tên":"Nguyễn Văn A\n"}"#.into(),
            prev_hash: "0".repeat(64),
            hash: String::new(),
        };
        e.hash = e.fields().hash();
        e
    }

    fn batch(events: Vec<Event>) -> PushRequest {
        PushRequest {
            station_id: "000.17.22.H56#1".into(),
            head: SignedHead {
                seq: 9,
                hash: "b".repeat(64),
                signature: "c".repeat(128),
            },
            events,
        }
    }

    #[test]
    fn the_batch_hash_is_that_of_what_the_batch_says() {
        let digest = |req: &PushRequest| batch_sha256(req, &prepare(req, "now")).unwrap();
        let req = batch((1..=3).map(|s| event(s, Some("id"))).collect());
        let same = digest(&req);
        assert_eq!(same.len(), 64);
        // Sent again (another spacing or field order parses to the same batch).
        let again: PushRequest =
            serde_json::from_value(serde_json::to_value(&req).unwrap()).unwrap();
        assert_eq!(digest(&again), same);
        // Any change to an event, its head, the station or the number of events is
        // another batch: an event rehashed after a change, an event changed but not
        // rehashed (named by its whole JSON then), another signature.
        let mut changed = Vec::new();
        let mut r = req.clone();
        r.events[1].clerk = "mai".into();
        changed.push(r.clone());
        r.events[1].hash = r.events[1].fields().hash();
        changed.push(r);
        let mut r = req.clone();
        r.head.signature = "d".repeat(128);
        changed.push(r);
        let mut r = req.clone();
        r.station_id = "000.17.22.H56#2".into();
        changed.push(r);
        let mut r = req.clone();
        r.events.pop();
        changed.push(r);
        let mut digests: Vec<String> = changed.iter().map(digest).collect();
        digests.push(same.clone());
        let n = digests.len();
        digests.sort();
        digests.dedup();
        assert_eq!(digests.len(), n, "every change makes another digest");
        // The digest earlier hubs bound keys to is that of the batch written as JSON.
        assert_eq!(
            batch_sha256_written(&req).unwrap(),
            hex::encode(Sha256::digest(serde_json::to_vec(&req).unwrap()))
        );
        assert_ne!(batch_sha256_written(&req).unwrap(), same);
    }

    #[test]
    fn the_stored_bodies_are_the_events_written_as_json() {
        let events: Vec<Event> = (1..=3).map(|s| event(s, None)).collect();
        let b = bodies(events.iter()).unwrap();
        for (e, body) in events.iter().zip(&b) {
            assert_eq!(body, &serde_json::to_string(e).unwrap());
            assert_eq!(&serde_json::from_str::<Event>(body).unwrap(), e);
        }
        let rows = event_rows("000.17.22.H56#1", &batch(events.clone()), &[0, 2], "now").unwrap();
        assert_eq!(rows.len(), 2 * EVENT_WIDTH);
        assert_eq!(rows[1].int(), 1);
        assert_eq!(rows[EVENT_WIDTH + 1].int(), 3);
        assert_eq!(rows[EVENT_WIDTH + 6].text(), b[2]);
    }

    #[test]
    fn rows_become_columns_in_their_order() {
        let rows = vec![t("a"), i(1), V::T(None), t("b"), i(2), t("x")];
        let cols = columns(3, rows);
        assert!(
            matches!(&cols[0], V::Ts(a) if a == &[Some("a".to_string()), Some("b".to_string())])
        );
        assert!(matches!(&cols[1], V::Is(a) if a == &[Some(1), Some(2)]));
        assert!(matches!(&cols[2], V::Ts(a) if a == &[None, Some("x".to_string())]));
    }

    #[test]
    fn a_large_batch_is_prepared_on_several_threads_in_its_order() {
        // Past PARALLEL_FROM, one event in the last part tampered with.
        let events: Vec<Event> = (1..=300u64)
            .map(|seq| {
                let mut e = Event {
                    seq,
                    event_id: format!("0190a000-0000-7000-8000-{seq:012}"),
                    station_id: "000.17.22.H56#1".into(),
                    wall_time: "2026-01-05T08:00:00+07:00".into(),
                    clerk: "lan".into(),
                    kind: EventKind::StatusChanged,
                    dossier_id: Some(format!("id-{seq}")),
                    payload: format!(r#"{{"code":"c{seq}","from":"received","to":"processing"}}"#),
                    prev_hash: "0".repeat(64),
                    hash: String::new(),
                };
                e.hash = e.fields().hash();
                if seq == 290 {
                    e.clerk = "mai".into();
                }
                e
            })
            .collect();
        let req = PushRequest {
            station_id: "000.17.22.H56#1".into(),
            head: SignedHead {
                seq: 300,
                hash: events[299].hash.clone(),
                signature: String::new(),
            },
            events,
        };
        let p = prepare(&req, "now");
        assert_eq!(p.hashed.len(), 300);
        for (k, e) in req.events.iter().enumerate() {
            assert_eq!(p.hashed[k], e.seq != 290, "event {}", e.seq);
            match &p.effects[k] {
                Effect::Status { code, .. } => assert_eq!(code, &format!("c{}", e.seq)),
                _ => panic!("event {} read as another effect", e.seq),
            }
        }
    }
}
