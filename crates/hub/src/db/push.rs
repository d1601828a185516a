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
//! An idempotency key is bound to its station and to the SHA-256 of its batch: the same
//! key with the same batch replays the stored answer; with another batch it is refused
//! (409) and nothing is stored. Only a batch whose every event is accounted for by a
//! signature (stored now under its verified head, or identical to an event stored before)
//! binds its key, so a forged body sent first under a genuine batch's key binds nothing
//! and the genuine batch is applied when it comes.

use super::{alert, i, ot, t};
use crate::error::{HubError, Result};
use crate::sql::{Conn, V};
use motcua_core::dossier::Dossier;
use motcua_core::journal::{ChainWalker, Event, EventKind, StatusChange};
use motcua_core::wire::{ItemOutcome, ItemResult, PushRequest, PushResponse, SignedHead};
use sha2::{Digest, Sha256};

/// The hex SHA-256 of a batch as the hub parsed it, written back as canonical JSON: the
/// same batch sent with other spacing, field order, unknown fields or compression is the
/// same batch.
pub(super) fn batch_sha256(req: &PushRequest) -> Result<String> {
    Ok(hex::encode(Sha256::digest(serde_json::to_vec(req)?)))
}

/// Answers a batch: the stored answer when its key is bound to this very batch (a retry
/// whose answer was lost), a refusal when the key is bound to another batch, else the
/// batch applied — and its answer kept under the key when the batch was verified whole.
/// `body_sha256` is [`batch_sha256`] of `req`.
pub(super) fn push(
    c: &mut dyn Conn,
    station_id: &str,
    key: Option<&str>,
    body_sha256: &str,
    req: &PushRequest,
    now: &str,
) -> Result<PushResponse> {
    if let Some(k) = key {
        let old = c.row(
            "SELECT response, body_sha256 FROM idempotency WHERE station_id = ?1 AND key = ?2",
            &[t(station_id), t(k)],
        )?;
        match old.map(|r| (r[0].text(), r[1].opt_text())) {
            Some((response, Some(bound))) if bound == body_sha256 => {
                return Ok(serde_json::from_str(&response)?);
            }
            Some((_, Some(_))) => return Err(HubError::KeyReused),
            // Kept before keys were bound to their batch: nothing says whose answer it
            // is, so the batch is applied again (each event's slot makes a re-sent one a
            // duplicate) and its answer replaces the old one.
            Some((_, None)) | None => {}
        }
    }
    let (resp, whole) = apply_batch(c, station_id, req, now)?;
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
fn walk(mut chain: ChainWalker, station_id: &str, req: &PushRequest) -> Walk {
    let head = &req.head;
    let mut each = Vec::with_capacity(req.events.len());
    let mut covered = false;
    // Set once an event fails verification: it takes no slot, so nothing after it in the
    // batch can be chained (each gets a gap and is sent again after the genuine one).
    let mut blocked = false;
    for e in &req.events {
        let next = chain.head().0 + 1;
        let w = if e.seq < next {
            Walked::Seen
        } else if e.seq > next || blocked {
            Walked::Gap(next)
        } else if e.seq > head.seq {
            Walked::PastHead
        } else if let Err(why) = verify(&mut chain, station_id, e, head) {
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
    now: &str,
) -> Result<(PushResponse, bool)> {
    let st = station(c, station_id)?;
    check_head(station_id, &st.public_key, &req.head)?;
    let start = st.chain.head().0;
    let walk = walk(st.chain.clone(), station_id, req);
    let mut results = Vec::with_capacity(req.events.len());
    let mut whole = true;
    let mut uncovered: Vec<u64> = Vec::new();
    for (e, w) in req.events.iter().zip(&walk.each) {
        // A number taken before this batch, or earlier in it under the verified head.
        let taken = e.seq <= start || (walk.covered && e.seq <= req.head.seq);
        let (r, accounted) = match w {
            Walked::Seen if taken => seen_before(c, station_id, e, now)?,
            Walked::Chained if walk.covered => {
                let rejected = take_slot(c, station_id, &st.agency_id, e, now)?;
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

/// An event for a slot already taken: a duplicate if it is the same event (same hash,
/// content matching it), the stored rejection if the same event was rejected, else a
/// different event for the same number (the counter's journal was edited), flagged.
/// Whether it is the stored event comes with the answer.
fn seen_before(
    c: &mut dyn Conn,
    station_id: &str,
    e: &Event,
    now: &str,
) -> Result<(ItemResult, bool)> {
    let old = c.row(
        "SELECT hash, outcome, reason FROM events WHERE station_id = ?1 AND seq = ?2",
        &[t(station_id), i(e.seq)],
    )?;
    let same = |r: &[V]| r[0].text() == e.hash && e.fields().hash() == e.hash;
    Ok(match old {
        Some(r) if same(&r) && r[1].text() == "accepted" => {
            (result(e.seq, ItemOutcome::Duplicate, None), true)
        }
        Some(r) if same(&r) => (result(e.seq, ItemOutcome::Rejected, r[2].opt_text()), true),
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
    head: &SignedHead,
) -> std::result::Result<(), String> {
    if e.station_id != station_id {
        return Err("sự kiện mang mã quầy khác với quầy đang gửi".to_string());
    }
    if e.seq == head.seq && e.hash != head.hash {
        return Err(format!("sự kiện số {} khác với đầu nhật ký đã ký", e.seq));
    }
    chain.check(e).map_err(|x| x.to_string())
}

/// Stores a verified event in its slot and applies it to the register; the reason if
/// the event breaks a register rule (it is then kept as a rejection, the register
/// untouched).
fn take_slot(
    c: &mut dyn Conn,
    station_id: &str,
    agency_id: &str,
    e: &Event,
    now: &str,
) -> Result<Option<String>> {
    // No savepoint: `apply_event` refuses only before it writes or when its one write
    // changed nothing, so a refused event leaves the register as it was (two round
    // trips per event saved on PostgreSQL).
    let rejected = apply_event(c, agency_id, e, now)?.err();
    c.exec(
        "INSERT INTO events(station_id, seq, event_id, kind, dossier_id, hash, body, outcome,
                            reason, stored_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        &[
            t(station_id),
            i(e.seq),
            t(&e.event_id),
            t(e.kind.as_str()),
            ot(e.dossier_id.as_deref()),
            t(&e.hash),
            t(&serde_json::to_string(e)?),
            t(if rejected.is_some() {
                "rejected"
            } else {
                "accepted"
            }),
            ot(rejected.as_deref()),
            t(now),
        ],
    )?;
    Ok(rejected)
}

/// Applies a verified event to the province register. `Ok(Err(reason))` is a rule the
/// event breaks (a code another station holds, a dossier of another agency), decided
/// before any write or by a write that changed nothing: a refusal never leaves anything
/// behind. A storage error is `Err`: it fails the whole batch, never an item.
fn apply_event(
    c: &mut dyn Conn,
    agency_id: &str,
    e: &Event,
    now: &str,
) -> Result<std::result::Result<(), String>> {
    match e.kind {
        EventKind::DossierReceived => {
            let d: Dossier = match serde_json::from_str(&e.payload) {
                Ok(d) => d,
                Err(x) => return Ok(Err(format!("nội dung hồ sơ không đọc được: {x}"))),
            };
            if e.dossier_id.as_deref() != Some(d.id.as_str()) {
                return Ok(Err("mã hồ sơ của sự kiện không khớp nội dung".into()));
            }
            if d.code.agency.as_str() != agency_id {
                return Ok(Err(format!(
                    "hồ sơ {} không thuộc cơ quan {agency_id} của quầy",
                    d.code
                )));
            }
            let n = c.exec(
                "INSERT INTO dossiers(code, id, agency_id, station_id, applicant_name,
                         lookup_secret, received_at, due_at, status, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                     ON CONFLICT DO NOTHING",
                &[
                    t(&d.code.to_string()),
                    t(&d.id),
                    t(agency_id),
                    t(&e.station_id),
                    t(&d.applicant.full_name),
                    t(&d.lookup_secret),
                    t(&d.received_at.format("%Y-%m-%dT%H:%M:%S").to_string()),
                    V::T(d.due_at.map(|x| x.format("%Y-%m-%dT%H:%M:%S").to_string())),
                    t(d.status.as_str()),
                    t(now),
                ],
            )?;
            if n == 0 {
                return Ok(Err(format!(
                    "mã hồ sơ {} đã được một quầy khác dùng",
                    d.code
                )));
            }
        }
        EventKind::StatusChanged => {
            let sc: StatusChange = match serde_json::from_str(&e.payload) {
                Ok(sc) => sc,
                Err(x) => return Ok(Err(format!("nội dung đổi trạng thái không đọc được: {x}"))),
            };
            let n = c.exec(
                "UPDATE dossiers SET status = ?1, updated_at = ?2
                 WHERE code = ?3 AND station_id = ?4",
                &[t(sc.to.as_str()), t(now), t(&sc.code), t(&e.station_id)],
            )?;
            if n == 0 {
                return Ok(Err(format!("hub không có hồ sơ {} của quầy này", sc.code)));
            }
        }
        // Upstream status echoed back by the counter (the hub set it already), and the
        // station's own bookkeeping (accounts, settings, key changes): journaled, nothing
        // to apply to the province register.
        _ => {}
    }
    Ok(Ok(()))
}
