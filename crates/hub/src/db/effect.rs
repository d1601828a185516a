//! What each event of a pushed batch asks of the province register, worked out before
//! the transaction that applies it (`push.rs`): the dossier read and its row made, a
//! status or a new appointment to set, or a refusal; and the events' stored bodies,
//! written while the database stores the batch's dossiers ([`bodies`]).

use super::t;
use crate::error::Result;
use crate::sql::V;
use chrono::NaiveDateTime;
use motcua_core::code::DossierCode;
use motcua_core::correction::Correction;
#[cfg(doc)]
use motcua_core::dossier::Dossier;
use motcua_core::journal::{Event, EventKind, Extension, StatusChange};
use motcua_core::status::Status;
use motcua_core::wire::PushRequest;
use serde::Deserialize;
use std::borrow::Cow;

/// What an event asks of the province register, read before the transaction.
pub(super) enum Effect {
    /// Nothing to apply: upstream status echoed back by the counter (the hub set it
    /// already), and the station's own bookkeeping (accounts, settings, key changes).
    None,
    /// Breaks a register rule whatever the register holds (a payload that does not read,
    /// a dossier id that is not the event's): kept as a rejection, the register untouched.
    Refused(String),
    /// A new dossier: its `dossiers` row ([`DOSSIER_COLUMNS`], its code's agency in the
    /// `agency_id` column: it is stored only if that is the station's agency, and only
    /// unless its code or id is taken).
    Receive {
        code: String,
        id: String,
        row: Vec<V>,
    },
    /// A status set at the counter, applied if the station's dossier is at the hub.
    Status { code: String, to: &'static str },
    /// A new appointment given with the apology (Mẫu 04), applied like a status change.
    Extend { code: String, due: String },
    /// The applicant's name corrected at the person's request: the register and the
    /// lookup page carry the new one.
    Rename { code: String, name: String },
}

/// The columns of a slot; its outcome and reason, known last, at the end.
pub(super) const EVENT_COLUMNS: &str =
    "station_id, seq, event_id, kind, dossier_id, hash, body, stored_at, outcome, reason";

/// The register columns a received dossier fills.
pub(super) const DOSSIER_COLUMNS: &str =
    "code, id, agency_id, station_id, applicant_name, lookup_secret,
                               received_at, due_at, status, updated_at";

/// What the hub makes of each event of a batch without the database, done before the
/// transaction (which holds the station's row, and on SQLite the one connection): its
/// effect on the register (the dossier read, its row made) and whether it is what it
/// says it is. Its `events.body` is written later, inside the transaction, on another
/// thread while the database stores the dossiers ([`bodies`]).
pub(super) struct Prepared {
    pub(super) effects: Vec<Effect>,
    /// Whether each event's fields hash to its own `hash` (its link to the event before
    /// is for the walk, which knows where the hub's chain stands).
    pub(super) hashed: Vec<bool>,
}

/// Events below which a batch is prepared on the calling thread alone.
const PARALLEL_FROM: usize = 64;
/// Most threads a batch is prepared on.
const MOST_THREADS: usize = 4;

/// Reads every event of `req` for the register and checks its own hash. Each event's work is its own, so a large batch is split over the machine's cores
/// (at most [`MOST_THREADS`]): with one station pushing, the hub's work on a batch and
/// the database's come one after the other, and this is most of the hub's.
pub(super) fn prepare(req: &PushRequest, now: &str) -> Prepared {
    let n = req.events.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .clamp(1, MOST_THREADS);
    if n < PARALLEL_FROM || threads == 1 {
        return prepare_part(&req.events, now);
    }
    let parts: Vec<Prepared> = std::thread::scope(|s| {
        let spawned: Vec<_> = (req.events.chunks(n.div_ceil(threads)))
            .map(|events| s.spawn(move || prepare_part(events, now)))
            .collect();
        (spawned.into_iter())
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut whole = Prepared {
        effects: Vec::with_capacity(n),
        hashed: Vec::with_capacity(n),
    };
    for part in parts {
        whole.effects.extend(part.effects);
        whole.hashed.extend(part.hashed);
    }
    whole
}

/// The stored body of each of `events`: the event as JSON.
pub(super) fn bodies<'a>(events: impl Iterator<Item = &'a Event>) -> Result<Vec<String>> {
    Ok(events
        .map(serde_json::to_string)
        .collect::<std::result::Result<_, _>>()?)
}

/// [`prepare`] of some events, on this thread.
fn prepare_part(events: &[Event], now: &str) -> Prepared {
    let mut p = Prepared {
        effects: Vec::with_capacity(events.len()),
        hashed: Vec::with_capacity(events.len()),
    };
    for e in events {
        p.effects.push(effect(e, now));
        p.hashed.push(e.fields().hash() == e.hash);
    }
    p
}

/// What the register keeps of a received dossier (a [`Dossier`]'s fields of the same
/// names): the rest of the payload (the applicant's papers, the documents, …) is skipped
/// unread, not copied, and stays in the stored event. Strings without escapes are
/// borrowed from the payload.
#[derive(Deserialize)]
struct Received<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    code: DossierCode,
    #[serde(borrow)]
    lookup_secret: Cow<'a, str>,
    #[serde(borrow)]
    applicant: Applicant<'a>,
    received_at: NaiveDateTime,
    due_at: Option<NaiveDateTime>,
    status: Status,
}

/// The applicant of a [`Received`] dossier: the register keeps the name.
#[derive(Deserialize)]
struct Applicant<'a> {
    #[serde(borrow)]
    full_name: Cow<'a, str>,
}

/// What `e` asks of the register (see [`Effect`]).
fn effect(e: &Event, now: &str) -> Effect {
    match e.kind {
        EventKind::DossierReceived => {
            let d: Received = match serde_json::from_str(&e.payload) {
                Ok(d) => d,
                Err(x) => return Effect::Refused(format!("nội dung hồ sơ không đọc được: {x}")),
            };
            if e.dossier_id.as_deref() != Some(&*d.id) {
                return Effect::Refused("mã hồ sơ của sự kiện không khớp nội dung".into());
            }
            let code = d.code.to_string();
            let row = vec![
                t(&code),
                t(&d.id),
                t(d.code.agency.as_str()),
                t(&e.station_id),
                t(&d.applicant.full_name),
                t(&d.lookup_secret),
                V::T(Some(wall(d.received_at))),
                V::T(d.due_at.map(wall)),
                t(d.status.as_str()),
                t(now),
            ];
            Effect::Receive {
                code,
                id: d.id.into_owned(),
                row,
            }
        }
        EventKind::StatusChanged => match serde_json::from_str::<StatusChange>(&e.payload) {
            Ok(sc) => Effect::Status {
                code: sc.code,
                to: sc.to.as_str(),
            },
            Err(x) => Effect::Refused(format!("nội dung đổi trạng thái không đọc được: {x}")),
        },
        EventKind::AppointmentExtended => match serde_json::from_str::<Extension>(&e.payload) {
            Ok(x) if x.to > x.from => Effect::Extend {
                code: x.code,
                due: wall(x.to),
            },
            Ok(_) => Effect::Refused("ngày hẹn mới không sau ngày hẹn cũ".into()),
            Err(x) => Effect::Refused(format!("nội dung hẹn lại ngày trả không đọc được: {x}")),
        },
        EventKind::DataCorrected => match serde_json::from_str::<Correction>(&e.payload) {
            Ok(c) if c.changes.is_empty() => Effect::Refused("đính chính không có thay đổi".into()),
            Ok(c) => match c.applicant_name() {
                Some(name) => Effect::Rename {
                    name: name.to_string(),
                    code: c.code,
                },
                // Other fields are not in the hub's register; the event keeps them.
                None => Effect::None,
            },
            Err(x) => Effect::Refused(format!("nội dung đính chính không đọc được: {x}")),
        },
        _ => Effect::None,
    }
}

/// A local time as the register keeps it, `YYYY-MM-DDTHH:MM:SS` (chrono's `format`
/// reads its pattern anew each time: a push writes two of these a dossier).
fn wall(at: NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    fn digits(out: &mut String, n: u32, width: u32) {
        for k in (0..width).rev() {
            out.push(char::from(b'0' + (n / 10u32.pow(k) % 10) as u8));
        }
    }
    let mut out = String::with_capacity(19);
    match u32::try_from(at.year()) {
        Ok(y) if y <= 9999 => digits(&mut out, y, 4),
        _ => return at.format("%Y-%m-%dT%H:%M:%S").to_string(),
    }
    for (sep, n) in [('-', at.month()), ('-', at.day()), ('T', at.hour())] {
        out.push(sep);
        digits(&mut out, n, 2);
    }
    for n in [at.minute(), at.second()] {
        out.push(':');
        digits(&mut out, n, 2);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use motcua_core::dossier::{Channel, Dossier, ResultDelivery};

    fn event(payload: String, id: &str) -> Event {
        let mut e = Event {
            seq: 1,
            event_id: "0190a000-0000-7000-8000-000000000001".into(),
            station_id: "000.17.22.H56#1".into(),
            wall_time: "2026-01-05T08:00:00+07:00".into(),
            clerk: "lan".into(),
            kind: EventKind::DossierReceived,
            dossier_id: Some(id.into()),
            payload,
            prev_hash: "0".repeat(64),
            hash: String::new(),
        };
        e.hash = e.fields().hash();
        e
    }

    fn payload(name: &str) -> serde_json::Value {
        serde_json::json!({
            "id": "0190b000-0000-7000-8000-000000000001",
            "code": "000.17.22.H56-260105-0001",
            "lookup_secret": "SECRET0001",
            "applicant": {"full_name": name, "id_number": "001090000145", "phone": null},
            "owner": null,
            "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh",
                          "catalog_version": "2025.07-xa", "term": "same-day"},
            "documents": [{"name": "Tờ khai \"mẫu\"", "kind": "original", "count": 1}],
            "sets": 1,
            "channel": Channel::Direct,
            "result_delivery": ResultDelivery::Counter,
            "fee": null,
            "received_at": "2026-01-05T08:00:00",
            "due_at": "2026-01-08T08:00:00",
            "clerk": "lan",
            "status": "received",
            "note": null,
        })
    }

    #[test]
    fn times_are_written_as_the_register_keeps_them() {
        let at = |s: &str| s.parse::<NaiveDateTime>().expect("time");
        for s in [
            "2026-12-07T08:05:09",
            "0999-01-31T23:59:59",
            "9999-12-31T00:00:00",
        ] {
            assert_eq!(wall(at(s)), s);
            assert_eq!(wall(at(s)), at(s).format("%Y-%m-%dT%H:%M:%S").to_string());
        }
        // Fractions of a second are not kept; years chrono writes otherwise are its own.
        assert_eq!(wall(at("2026-12-07T08:05:09.750")), "2026-12-07T08:05:09");
        let far = chrono::NaiveDate::from_ymd_opt(12026, 1, 2)
            .and_then(|d| d.and_hms_opt(3, 4, 5))
            .expect("time");
        assert_eq!(wall(far), far.format("%Y-%m-%dT%H:%M:%S").to_string());
    }

    #[test]
    fn a_received_dossier_gives_its_register_row() {
        // A name with an escaped quote is read too (not borrowed then).
        for name in ["Nguyễn Văn A", "Lê \"Bé\" Ba"] {
            let v = payload(name);
            // The payload is a whole dossier, as the counter writes it.
            let d: Dossier = serde_json::from_value(v.clone()).expect("a dossier");
            let e = event(serde_json::to_string(&d).unwrap(), &d.id);
            let Effect::Receive { code, id, row } = effect(&e, "now") else {
                panic!("not read as a received dossier");
            };
            assert_eq!(code, "000.17.22.H56-260105-0001");
            assert_eq!(id, d.id);
            let texts: Vec<String> = row.iter().map(V::text).collect();
            assert_eq!(
                texts,
                [
                    "000.17.22.H56-260105-0001",
                    "0190b000-0000-7000-8000-000000000001",
                    "000.17.22.H56",
                    "000.17.22.H56#1",
                    name,
                    "SECRET0001",
                    "2026-01-05T08:00:00",
                    "2026-01-08T08:00:00",
                    "received",
                    "now",
                ]
            );
        }
    }

    #[test]
    fn a_dossier_without_what_the_register_keeps_is_refused() {
        for field in ["code", "received_at", "applicant", "status"] {
            let mut v = payload("Nguyễn Văn A");
            v.as_object_mut().unwrap().remove(field);
            let e = event(v.to_string(), "0190b000-0000-7000-8000-000000000001");
            assert!(
                matches!(effect(&e, "now"), Effect::Refused(why) if why.starts_with("nội dung hồ sơ không đọc được")),
                "{field}"
            );
        }
        let e = event(payload("A").to_string(), "another-id");
        assert!(matches!(effect(&e, "now"), Effect::Refused(_)));
    }
}
