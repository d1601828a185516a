//! A station's push: its signed head, then each event in sequence. An event takes its
//! slot (station, seq) only once it is verified — its hash matches its content, it links
//! to the event before it ([`ChainWalker`], the counter's own check) and it lies within
//! the signed head. A genuine event that breaks a register rule keeps its slot as a
//! rejection; anything unverified is refused without state, so the genuine one is
//! accepted when it comes. A storage error fails the whole batch (the counter retries).

use super::{alert, i, ot, t};
use crate::error::{HubError, Result};
use crate::sql::{Conn, V};
use motcua_core::dossier::Dossier;
use motcua_core::journal::{ChainWalker, Event, EventKind, StatusChange};
use motcua_core::wire::{ItemOutcome, ItemResult, PushRequest, PushResponse, SignedHead};

/// Answers a batch: the stored answer when the idempotency key was seen (a retry of a
/// batch whose answer was lost), else the batch applied and its answer kept under the key.
pub(super) fn push(
    c: &mut dyn Conn,
    station_id: &str,
    key: Option<&str>,
    req: &PushRequest,
    now: &str,
) -> Result<PushResponse> {
    if let Some(k) = key {
        let old = c.row(
            "SELECT response FROM idempotency WHERE station_id = ?1 AND key = ?2",
            &[t(station_id), t(k)],
        )?;
        if let Some(old) = old {
            return Ok(serde_json::from_str(&old[0].text())?);
        }
    }
    let resp = apply_batch(c, station_id, req, now)?;
    if let Some(k) = key {
        c.exec(
            "INSERT INTO idempotency(key, station_id, response, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
            &[
                t(k),
                t(station_id),
                t(&serde_json::to_string(&resp)?),
                t(now),
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

/// Checks the batch's head against the station's registered key and keeps it (the
/// journal endpoint serves it back for recovery). A bad signature fails the batch.
fn keep_head(
    c: &mut dyn Conn,
    station_id: &str,
    public_key: &str,
    head: &SignedHead,
    now: &str,
) -> Result<()> {
    let signed = motcua_core::journal::head_is_signed(
        public_key,
        station_id,
        head.seq,
        &head.hash,
        &head.signature,
    );
    if !signed {
        alert(
            c,
            station_id,
            Some(head.seq),
            "chữ ký đầu nhật ký không hợp lệ",
            now,
        )?;
        return Err(HubError::BadRequest(
            "chữ ký đầu nhật ký không hợp lệ (khóa của quầy không khớp khóa đã đăng ký)".into(),
        ));
    }
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

fn apply_batch(
    c: &mut dyn Conn,
    station_id: &str,
    req: &PushRequest,
    now: &str,
) -> Result<PushResponse> {
    let mut st = station(c, station_id)?;
    keep_head(c, station_id, &st.public_key, &req.head, now)?;
    let mut results = Vec::with_capacity(req.events.len());
    // Set once an event fails verification: it takes no slot, so nothing after it in the
    // batch can be chained (each gets a gap and is sent again after the genuine one).
    let mut blocked = false;
    for e in &req.events {
        let next = st.chain.head().0 + 1;
        if e.seq < next {
            results.push(seen_before(c, station_id, e, now)?);
        } else if e.seq > next || blocked {
            results.push(result(
                e.seq,
                ItemOutcome::Gap,
                Some(format!("hub chưa có sự kiện số {next} của quầy")),
            ));
        } else if let Err(why) = verify(&mut st.chain, station_id, e, &req.head) {
            alert(c, station_id, Some(e.seq), &why, now)?;
            results.push(result(e.seq, ItemOutcome::Rejected, Some(why)));
            blocked = true;
        } else {
            let rejected = take_slot(c, station_id, &st.agency_id, e, now)?;
            let outcome = if rejected.is_some() {
                ItemOutcome::Rejected
            } else {
                ItemOutcome::Accepted
            };
            results.push(result(e.seq, outcome, rejected));
        }
    }
    let (last_seq, last_hash) = st.chain.head();
    c.exec(
        "UPDATE stations SET next_seq = ?1, last_hash = ?2 WHERE station_id = ?3",
        &[i(last_seq + 1), t(last_hash), t(station_id)],
    )?;
    Ok(PushResponse {
        results,
        expected_seq: last_seq + 1,
    })
}

/// An event for a slot already taken: a duplicate if it is the same event, the stored
/// rejection if the same event was rejected, else a different event for the same number
/// (the counter's journal was edited), flagged.
fn seen_before(c: &mut dyn Conn, station_id: &str, e: &Event, now: &str) -> Result<ItemResult> {
    let old = c.row(
        "SELECT hash, outcome, reason FROM events WHERE station_id = ?1 AND seq = ?2",
        &[t(station_id), i(e.seq)],
    )?;
    Ok(match old {
        Some(r) if r[0].text() == e.hash && r[1].text() == "accepted" => {
            result(e.seq, ItemOutcome::Duplicate, None)
        }
        Some(r) if r[0].text() == e.hash => result(e.seq, ItemOutcome::Rejected, r[2].opt_text()),
        _ => {
            let why = format!(
                "sự kiện số {} khác với bản hub đã nhận trước đây (nhật ký bị sửa)",
                e.seq
            );
            alert(c, station_id, Some(e.seq), &why, now)?;
            result(e.seq, ItemOutcome::Rejected, Some(why))
        }
    })
}

/// Verifies the next event of the chain; on success the chain moves past it.
fn verify(
    chain: &mut ChainWalker,
    station_id: &str,
    e: &Event,
    head: &SignedHead,
) -> std::result::Result<(), String> {
    if e.station_id != station_id {
        return Err("sự kiện mang mã quầy khác với quầy đang gửi".to_string());
    }
    if e.seq > head.seq {
        return Err(format!(
            "sự kiện số {} nằm sau đầu nhật ký đã ký (số {})",
            e.seq, head.seq
        ));
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
