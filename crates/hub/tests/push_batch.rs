//! A batch's events are applied to the register as if one at a time in chain order,
//! whatever the statements that write them: a status change sees a dossier received
//! earlier in the same batch (not one received later), a code or id taken before the
//! batch or earlier in it is a rejection, a re-sent event is a duplicate (or its stored
//! rejection), and a batch larger than one statement's rows is stored whole. On SQLite
//! and on PostgreSQL (127.0.0.1:5432, database `test`; skipped when unreachable unless
//! `CI=true`), through `Storage::push`.

use chrono::{NaiveDate, TimeDelta};
use ed25519_dalek::{Signer, SigningKey};
use motcua_core::code::{AgencyId, DossierCode, StationNo};
use motcua_core::dossier::{Channel, ResultDelivery};
use motcua_core::journal::{Event, EventKind, GENESIS_HASH, head_message};
use motcua_core::status::Status;
use motcua_core::wire::{EnrollRequest, ItemOutcome, PushRequest, SignedHead};
use motcua_hub::db::{HubStore, Storage};
use motcua_hub::schema::migrate;
use motcua_hub::sql::{Conn, Db, PgOptions, Postgres, Sqlite, V};

const NOW: &str = "2026-01-05T09:00:00.000Z";
const AGENCY: &str = "000.17.22.H56";
const OTHER_AGENCY: &str = "000.17.22.H57";

/// A counter's journal: it makes, chains and signs events as the counter does.
struct Counter {
    station_id: String,
    key: SigningKey,
    events: Vec<Event>,
    n: u64,
    /// The wall time of the events added next.
    wall: String,
}

impl Counter {
    fn new(station: u8) -> Counter {
        Counter {
            station_id: format!("{AGENCY}#{station}"),
            key: SigningKey::from_bytes(&[station; 32]),
            events: Vec::new(),
            n: 0,
            wall: "2026-01-05T08:00:00+07:00".into(),
        }
    }

    fn enroll(&self, hub: &dyn Storage, station: u8) {
        let token = hub.add_enrol_token(AGENCY, station, NOW).expect("token");
        hub.enroll(
            &EnrollRequest {
                token,
                station_id: self.station_id.clone(),
                public_key: hex::encode(self.key.verifying_key().to_bytes()),
            },
            NOW,
        )
        .expect("enroll");
    }

    /// Appends an event; its seq.
    fn add(&mut self, kind: EventKind, dossier_id: Option<&str>, payload: String) -> u64 {
        self.n += 1;
        let prev = self
            .events
            .last()
            .map_or(GENESIS_HASH.to_string(), |e| e.hash.clone());
        let mut e = Event {
            seq: self.events.len() as u64 + 1,
            event_id: format!("0190a000-0000-7000-8000-{:012}", self.n),
            station_id: self.station_id.clone(),
            wall_time: self.wall.clone(),
            clerk: "lan".into(),
            kind,
            dossier_id: dossier_id.map(str::to_string),
            payload,
            prev_hash: prev,
            hash: String::new(),
        };
        e.hash = e.fields().hash();
        let seq = e.seq;
        self.events.push(e);
        seq
    }

    /// A dossier received: its code (`agency`, index `index`) and id.
    fn receive(&mut self, agency: &str, index: u32, id: &str) -> (u64, String) {
        let (payload, code) = dossier(agency, index, id);
        (
            self.add(EventKind::DossierReceived, Some(id), payload),
            code,
        )
    }

    /// A dossier received (`index`, `id` in this counter's agency) as `edit` changes it;
    /// its seq and code.
    fn receive_edited(
        &mut self,
        index: u32,
        id: &str,
        edit: impl FnOnce(&mut motcua_core::dossier::Dossier),
    ) -> (u64, String) {
        let (payload, code) = dossier(AGENCY, index, id);
        let mut d: motcua_core::dossier::Dossier = serde_json::from_str(&payload).expect("dossier");
        edit(&mut d);
        let payload = serde_json::to_string(&d).expect("payload");
        (
            self.add(EventKind::DossierReceived, Some(id), payload),
            code,
        )
    }

    fn status(&mut self, code: &str, to: Status) -> u64 {
        let payload = serde_json::json!({"code": code, "from": Status::Received, "to": to,
                                         "note": null});
        self.add(EventKind::StatusChanged, None, payload.to_string())
    }

    /// A batch of events `from..=to` (1-based seqs, in that order), signed at the last.
    fn batch(&self, seqs: &[u64]) -> PushRequest {
        let events: Vec<Event> = seqs
            .iter()
            .map(|&s| self.events[s as usize - 1].clone())
            .collect();
        let last = events.iter().max_by_key(|e| e.seq).expect("an event");
        let signature = self
            .key
            .sign(&head_message(&self.station_id, last.seq, &last.hash));
        PushRequest {
            station_id: self.station_id.clone(),
            head: SignedHead {
                seq: last.seq,
                hash: last.hash.clone(),
                signature: hex::encode(signature.to_bytes()),
            },
            events,
        }
    }
}

/// A dossier's payload and code.
fn dossier(agency: &str, index: u32, id: &str) -> (String, String) {
    let agency: AgencyId = agency.parse().expect("agency");
    let day = NaiveDate::from_ymd_opt(2026, 1, 5).expect("date");
    let code =
        DossierCode::mint(&agency, StationNo::new(1).expect("station"), day, index).expect("code");
    let received_at = day.and_hms_opt(8, 0, 0).expect("time");
    let d = serde_json::json!({
        "id": id,
        "code": code,
        "lookup_secret": format!("SECRET{index:04}"),
        "applicant": {"full_name": format!("Nguyễn Văn {index}")},
        "owner": null,
        "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh",
                      "catalog_version": "2025.07-xa", "term": "same-day"},
        "documents": [{"name": "Tờ khai", "kind": "original", "count": 1}],
        "sets": 1,
        "channel": Channel::Direct,
        "result_delivery": ResultDelivery::Counter,
        "fee": null,
        "received_at": received_at,
        "due_at": received_at + TimeDelta::days(3),
        "clerk": "lan",
        "status": Status::Received,
        "note": null,
    });
    // Through `Dossier`, as the counter writes it.
    let d: motcua_core::dossier::Dossier = serde_json::from_value(d).expect("a dossier");
    (
        serde_json::to_string(&d).expect("payload"),
        d.code.to_string(),
    )
}

fn id(n: u32) -> String {
    format!("0190b000-0000-7000-8000-{n:012}")
}

/// Each item's outcome and reason, in order.
fn outcomes(hub: &dyn Storage, c: &Counter, seqs: &[u64]) -> Vec<(u64, ItemOutcome, String)> {
    let resp = hub
        .push(&c.station_id, None, &c.batch(seqs), NOW)
        .expect("push");
    resp.results
        .into_iter()
        .map(|r| (r.seq, r.outcome, r.reason.unwrap_or_default()))
        .collect()
}

fn texts<D: Db>(db: &D, sql: &str) -> Vec<Vec<String>> {
    db.tx(|c: &mut dyn Conn| c.rows(sql, &[]))
        .expect("query")
        .into_iter()
        .map(|r| r.iter().map(V::text).collect())
        .collect()
}

use ItemOutcome::{Accepted, Duplicate, Rejected};

fn a_batch_is_applied_event_by_event<D: Db>(open: impl Fn() -> D) {
    let (hub, db) = (HubStore::new(open()), open());
    let (mut a, mut b) = (Counter::new(1), Counter::new(2));
    a.enroll(&hub, 1);
    b.enroll(&hub, 2);
    // Station 2 holds code 900 (id 900) and code 901.
    let (_, x) = b.receive(AGENCY, 900, &id(900));
    b.receive(AGENCY, 901, &id(901));
    let r = outcomes(&hub, &b, &[1, 2]);
    assert!(r.iter().all(|x| x.1 == Accepted), "{r:?}");

    let (s1, c1) = a.receive(AGENCY, 1, &id(1));
    let s2 = a.status(&c1, Status::Processing);
    let (_, c2) = dossier(AGENCY, 2, &id(2));
    let s3 = a.status(&c2, Status::Processing); // received later in the batch
    let (s4, _) = a.receive(AGENCY, 2, &id(2));
    let s5 = a.status(&c2, Status::ResultReady);
    let s6 = a.status(&c2, Status::Processing); // the last one stays
    let (s7, _) = a.receive(AGENCY, 900, &id(7)); // station 2's code
    let s8 = a.status(&x, Status::Processing); // station 2's dossier
    let (s9, _) = a.receive(AGENCY, 9, &id(900)); // station 2's id
    let (s10, _) = a.receive(OTHER_AGENCY, 10, &id(10));
    let s11 = a.add(
        EventKind::DossierReceived,
        Some(&id(1)),
        a.events[0].payload.clone(),
    ); // dossier 1 again
    let s12 = {
        let (payload, _) = dossier(AGENCY, 12, &id(12));
        a.add(EventKind::DossierReceived, Some(&id(99)), payload) // id not its own
    };
    let s13 = a.add(EventKind::StatusChanged, None, "not json".into());
    let s14 = a.add(EventKind::UserAdded, None, r#"{"username":"mai"}"#.into());
    let (_, c15) = dossier(AGENCY, 15, &id(15));
    let s15 = a.status(&c15, Status::Processing); // never received
    let (s16, c16) = a.receive(AGENCY, 16, &id(16));
    let (s17, _) = a.receive(AGENCY, 16, &id(17)); // code taken earlier in the batch
    let (s18, _) = a.receive(AGENCY, 18, &id(16)); // id taken earlier in the batch
    let s19 = a.status(&c16, Status::ResultReady);
    let first: Vec<u64> = (1..=s19).collect();
    let r = outcomes(&hub, &a, &first);
    let taken = |c: &str| format!("mã hồ sơ {c} đã được một quầy khác dùng");
    let absent = |c: &str| format!("hub không có hồ sơ {c} của quầy này");
    let rejected: Vec<(u64, String)> = r
        .iter()
        .filter(|x| x.1 == Rejected)
        .map(|x| (x.0, x.2.clone()))
        .collect();
    let code9 = dossier(AGENCY, 9, &id(900)).1;
    let code18 = dossier(AGENCY, 18, &id(16)).1;
    assert_eq!(rejected[0], (s3, absent(&c2)));
    assert_eq!(rejected[1], (s7, taken(&x)));
    assert_eq!(rejected[2], (s8, absent(&x)));
    assert_eq!(rejected[3], (s9, taken(&code9)));
    assert!(rejected[4].0 == s10 && rejected[4].1.contains("không thuộc cơ quan"));
    assert_eq!(rejected[5], (s11, taken(&c1)));
    assert_eq!(
        rejected[6],
        (s12, "mã hồ sơ của sự kiện không khớp nội dung".into())
    );
    assert!(rejected[7].0 == s13 && rejected[7].1.contains("không đọc được"));
    assert_eq!(rejected[8], (s15, absent(&c15)));
    assert_eq!(rejected[9], (s17, taken(&c16)));
    assert_eq!(rejected[10], (s18, taken(&code18)));
    assert_eq!(rejected.len(), 11, "{rejected:?}");
    for s in [s1, s2, s4, s5, s6, s14, s16, s19] {
        assert_eq!(r[s as usize - 1].1, Accepted, "{s}: {r:?}");
    }
    assert_eq!(r.len(), s19 as usize);

    // Re-sent events (one twice, one rejected before, one of this batch again), changes
    // on dossiers stored before the batch, and new ones.
    let s20 = a.status(&c1, Status::ResultReady);
    let s21 = a.status(&x, Status::Returned);
    let (s22, c22) = a.receive(AGENCY, 22, &id(22));
    let r = outcomes(&hub, &a, &[s1, s1, s3, s4, s20, s21, s22, s20]);
    let got: Vec<(u64, ItemOutcome)> = r.iter().map(|x| (x.0, x.1)).collect();
    assert_eq!(
        got,
        vec![
            (s1, Duplicate),
            (s1, Duplicate),
            (s3, Rejected),
            (s4, Duplicate),
            (s20, Accepted),
            (s21, Rejected),
            (s22, Accepted),
            (s20, Duplicate),
        ]
    );
    assert_eq!(r[2].2, absent(&c2), "the stored rejection");
    assert_eq!(r[5].2, absent(&x));

    // The register and the slots as the events left them.
    let dossiers = texts(
        &db,
        "SELECT code, id, station_id, status, updated_at FROM dossiers ORDER BY code",
    );
    let row = |c: &str, i: u32, st: u8, status: &str| {
        vec![
            c.to_string(),
            id(i),
            format!("{AGENCY}#{st}"),
            status.to_string(),
            NOW.to_string(),
        ]
    };
    let mut want = vec![
        row(&c1, 1, 1, "result_ready"),
        row(&c2, 2, 1, "processing"),
        row(&c16, 16, 1, "result_ready"),
        row(&c22, 22, 1, "received"),
        row(&x, 900, 2, "received"),
        row(&dossier(AGENCY, 901, &id(901)).1, 901, 2, "received"),
    ];
    want.sort();
    assert_eq!(dossiers, want);
    let events = texts(
        &db,
        &format!(
            "SELECT seq, outcome, reason FROM events WHERE station_id = '{}' ORDER BY seq",
            a.station_id
        ),
    );
    assert_eq!(events.len(), s22 as usize);
    for (k, e) in events.iter().enumerate() {
        let seq = k as u64 + 1;
        let why = rejected.iter().find(|r| r.0 == seq).map(|r| r.1.clone());
        let why = why.or_else(|| (seq == s21).then(|| absent(&x)));
        let outcome = if why.is_some() {
            "rejected"
        } else {
            "accepted"
        };
        assert_eq!(
            e,
            &vec![seq.to_string(), outcome.into(), why.unwrap_or_default()]
        );
    }
    let bodies = texts(
        &db,
        &format!(
            "SELECT body FROM events WHERE station_id = '{}' ORDER BY seq",
            a.station_id
        ),
    );
    for (e, b) in a.events.iter().zip(&bodies) {
        assert_eq!(b[0], serde_json::to_string(e).expect("body"));
    }
    assert_eq!(texts(&db, "SELECT count(*) FROM alerts"), vec![vec!["0"]]);
}

/// More events than one statement carries: 1,500 dossiers and a status change for each
/// of the first 700, interleaved.
fn a_large_batch_spans_statements<D: Db>(open: impl Fn() -> D) {
    let (hub, db) = (HubStore::new(open()), open());
    let mut a = Counter::new(1);
    a.enroll(&hub, 1);
    for n in 0..1500 {
        let (_, code) = a.receive(AGENCY, n + 1, &id(n + 1));
        if n < 700 {
            a.status(&code, Status::Processing);
        }
    }
    let seqs: Vec<u64> = (1..=a.events.len() as u64).collect();
    let r = outcomes(&hub, &a, &seqs);
    assert!(
        r.iter().all(|x| x.1 == Accepted),
        "{:?}",
        r.iter().find(|x| x.1 != Accepted)
    );
    let counts = texts(
        &db,
        "SELECT status, count(*) FROM dossiers GROUP BY status ORDER BY status",
    );
    assert_eq!(
        counts,
        vec![
            vec!["processing".to_string(), "700".into()],
            vec!["received".into(), "800".into()]
        ]
    );
    assert_eq!(
        texts(&db, "SELECT count(*) FROM events"),
        vec![vec!["2200"]]
    );
}

/// What a push stores is byte for byte what was pushed, whatever its text holds (on
/// PostgreSQL the rows go through COPY's text format, which escapes tab, newline,
/// carriage return and backslash and reads `\N` as NULL); a rejected event's row keeps
/// its outcome and reason beside accepted ones.
fn stored_text_is_what_was_pushed<D: Db>(open: impl Fn() -> D) {
    let (hub, db) = (HubStore::new(open()), open());
    let mut a = Counter::new(1);
    a.enroll(&hub, 1);
    let names = [
        "Nguyễn\tVăn\nAn",
        "Trần \\N Thị\r\nBình",
        "\\N",
        "Lê \"Văn\" \\ Cường\t",
    ];
    let mut codes = Vec::new();
    for (k, name) in names.iter().enumerate() {
        let n = k as u32 + 1;
        let (_, code) = a.receive_edited(n, &id(n), |d| d.applicant.full_name = name.to_string());
        codes.push(code);
    }
    // A status change of a dossier the hub does not have: rejected, with its reason.
    let (_, unknown) = dossier(AGENCY, 99, &id(99));
    let bad = a.status(&unknown, Status::Processing);
    let seqs: Vec<u64> = (1..=a.events.len() as u64).collect();
    let r = outcomes(&hub, &a, &seqs);
    assert_eq!(
        r.iter().filter(|x| x.1 == Accepted).count(),
        names.len(),
        "{r:?}"
    );
    let why = format!("hub không có hồ sơ {unknown} của quầy này");
    assert_eq!(r[bad as usize - 1], (bad, Rejected, why.clone()));

    let stored = texts(
        &db,
        "SELECT seq, body, outcome, reason FROM events ORDER BY seq",
    );
    assert_eq!(stored.len(), a.events.len());
    for (row, e) in stored.iter().zip(&a.events) {
        assert_eq!(row[0], e.seq.to_string());
        assert_eq!(
            row[1],
            serde_json::to_string(e).expect("json"),
            "event {}",
            e.seq
        );
        if e.seq == bad {
            assert_eq!(row[2..], [String::from("rejected"), why.clone()]);
        } else {
            assert_eq!(row[2..], [String::from("accepted"), String::new()]);
        }
    }
    let nulls = texts(&db, "SELECT count(*) FROM events WHERE reason IS NULL");
    assert_eq!(nulls, vec![vec![names.len().to_string()]]);
    let kept = texts(&db, "SELECT applicant_name FROM dossiers ORDER BY code");
    let kept: Vec<&str> = kept.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(kept, names);
    // The lookup reads the register's row as pushed.
    let found = hub.lookup(&codes[0], "SECRET0001").expect("lookup");
    assert!(found.is_some());
}

#[test]
fn stored_text_is_what_was_pushed_sqlite() {
    sqlite(|open| stored_text_is_what_was_pushed(open));
}

#[test]
fn stored_text_is_what_was_pushed_postgres() {
    postgres("push_batch_text", |open| {
        stored_text_is_what_was_pushed(open)
    });
}

/// A push larger than the report's chunk of events (5000), then a few more: each
/// report reads every dossier and its status changes, the second only what was pushed
/// since, and the marks end at the last event.
fn a_report_reads_every_event_pushed<D: Db>(open: impl Fn() -> D) {
    let (hub, db) = (HubStore::new(open()), open());
    let mut a = Counter::new(1);
    a.enroll(&hub, 1);
    let push = |a: &mut Counter, from: u32, to: u32| {
        let first = a.events.len() as u64 + 1;
        for n in from..to {
            let (_, code) = a.receive(AGENCY, n + 1, &id(n + 1));
            if n % 1000 == 0 {
                let payload = serde_json::json!({"code": code, "from": Status::Received,
                                                 "to": Status::ResultReady, "note": null});
                a.add(
                    EventKind::StatusChanged,
                    Some(&id(n + 1)),
                    payload.to_string(),
                );
            }
        }
        let seqs: Vec<u64> = (first..=a.events.len() as u64).collect();
        for chunk in seqs.chunks(1000) {
            assert!(outcomes(&hub, a, chunk).iter().all(|x| x.1 == Accepted));
        }
    };
    let day = |m| {
        NaiveDate::from_ymd_opt(2026, m, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
    };
    let (start, end) = (day(1).unwrap(), day(2).unwrap());
    let report = |hub: &HubStore<D>| {
        let tallies = (hub.report_tallies(&[AGENCY.to_string()], start, end))
            .expect("tallies")
            .remove(0);
        let count = |ended: bool| -> u64 {
            (tallies.iter())
                .filter(|t| t.standing.is_pending() != ended)
                .map(|t| t.count)
                .sum()
        };
        (count(false) + count(true), count(true))
    };
    push(&mut a, 0, 12_000);
    assert_eq!(report(&hub), (12_000, 12));
    push(&mut a, 12_000, 12_005);
    assert_eq!(report(&hub), (12_005, 13));
    assert_eq!(
        texts(
            &db,
            "SELECT count(*), sum(length(steps) - length(replace(steps, ';', '')) + 1)
             FROM report_dossiers WHERE steps <> ''"
        ),
        vec![vec!["13".to_string(), "13".into()]]
    );
    assert_eq!(
        texts(&db, "SELECT count(*) FROM report_dossiers"),
        vec![vec!["12005".to_string()]]
    );
    assert_eq!(
        texts(&db, "SELECT seq FROM report_marks"),
        vec![vec!["12018".to_string()]]
    );
}

#[test]
fn a_report_reads_every_event_pushed_sqlite() {
    sqlite(|open| a_report_reads_every_event_pushed(open));
}

#[test]
fn a_report_reads_every_event_pushed_postgres() {
    postgres("push_batch_report", |open| {
        a_report_reads_every_event_pushed(open)
    });
}

/// Dossiers of many courses (supplements asked once and twice, an extension, ends of
/// every kind, steps out of order, a course of four standings, one that comes back to a
/// standing after a clock was put back): the hub's tallies give
/// the report core gives of the same facts, for periods ending before, during and after
/// their changes, and for one that starts after some ended. Each is counted under the
/// field its reception's event names, or, when it names none (a counter before version 9
/// of its register), under its catalogue's as published at the hub.
fn a_report_counts_every_course<D: Db>(open: impl Fn() -> D) {
    use Status::{
        FinancialObligation, Processing, Refused, ResultReady, Returned, SupplementRequested,
        Withdrawn,
    };
    use motcua_core::report::{Facts, Period, report_as_of, report_from_tallies};
    let hub = HubStore::new(open());
    let mut a = Counter::new(1);
    a.enroll(&hub, 1);
    let t = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    // Received 05/01 08:00, due 08/01 08:00.
    let courses: [&[(&str, Status)]; 9] = [
        &[],
        &[("2026-01-06 10:00", ResultReady)],
        &[("2026-01-09 10:00", Returned)],
        &[
            ("2026-01-06 09:00", SupplementRequested),
            ("2026-01-08 09:00", Processing),
            ("2026-01-10 07:30", ResultReady),
        ],
        &[
            ("2026-01-06 09:00", SupplementRequested),
            ("2026-01-06 12:00", Processing),
            ("2026-01-07 09:00", SupplementRequested),
        ],
        &[
            ("2026-01-07 09:00", Withdrawn),
            ("2026-01-06 09:00", Refused),
        ],
        // Early (refused), then on time (returned), then late (result ready).
        &[
            ("2026-01-06 09:00", Refused),
            ("2026-01-08 07:00", Returned),
            ("2026-01-12 09:00", ResultReady),
        ],
        &[("2026-01-20 09:00", SupplementRequested)],
        // Due 06/01 02:15 (extended from): early (withdrawn 03/01, before the clock was
        // put back), on time (refused the day it was due, as the supplement waited),
        // early again (result ready).
        &[
            ("2026-01-08 14:26", Refused),
            ("2026-01-13 21:03", ResultReady),
            ("2026-01-17 10:53", SupplementRequested),
            ("2026-01-22 13:53", FinancialObligation),
            ("2026-01-03 04:41", Withdrawn),
            ("2026-01-05 20:30", SupplementRequested),
        ],
    ];
    let mut facts = Vec::new();
    for (n, steps) in courses.iter().cycle().take(45).enumerate() {
        let back = steps.len() == 6;
        let n = n as u32 + 1;
        a.wall = "2026-01-05T08:00:00+07:00".into();
        // Two fields named by the events (neither the catalogue's), and none: the
        // catalogue published below lists 1.001193 under "Hộ tịch".
        let named = [Some("Chứng thực"), Some("Tư pháp"), None][n as usize % 3];
        // Counters from version 9 of their register name it; before, they did not.
        let (seq, code) =
            a.receive_edited(n, &id(n), |d| d.procedure.field = named.map(str::to_string));
        let payload = &a.events[seq as usize - 1].payload;
        assert_eq!(payload.contains("\"field\""), named.is_some());
        let mut due = t("2026-01-08 08:00");
        if n.is_multiple_of(5) || back {
            let x = motcua_core::journal::Extension {
                code: code.clone(),
                from: if back { t("2026-01-06 02:15") } else { due },
                to: t("2026-01-15 08:00"),
                reason: "Chờ xác minh".into(),
            };
            let payload = serde_json::to_string(&x).unwrap();
            a.add(EventKind::AppointmentExtended, Some(&id(n)), payload);
            // The report judges against the appointment the first extension moved on
            // from: the first one given.
            due = x.from;
        }
        for (at, to) in steps.iter() {
            a.wall = format!("{}:00+07:00", at.replace(' ', "T"));
            let payload = serde_json::json!({"code": code, "from": Status::Received,
                                             "to": to, "note": null});
            a.add(EventKind::StatusChanged, Some(&id(n)), payload.to_string());
        }
        facts.push(Facts {
            code,
            field: named.unwrap_or("Hộ tịch").to_string(),
            procedure: "Đăng ký khai sinh".into(),
            clerk: "lan".into(),
            online: false,
            received_at: t("2026-01-05 08:00"),
            due_at: Some(due),
            steps: steps.iter().map(|(at, s)| (t(at), *s)).collect(),
        });
    }
    let seqs: Vec<u64> = (1..=a.events.len() as u64).collect();
    assert!(outcomes(&hub, &a, &seqs).iter().all(|x| x.1 == Accepted));
    let catalog = include_str!("../../../assets/catalog/commune-procedures.json");
    let change = motcua_core::wire::Change::Catalog {
        version: "2025.07-xa".into(),
        body: catalog.into(),
    };
    hub.publish(&change, NOW).expect("publish");
    let january = Period::month(2026, 1, 1).unwrap();
    let later = Period::range(t("2026-01-07 00:00").date(), t("2026-01-31 00:00").date());
    let mut seen = std::collections::BTreeSet::new();
    for (period, as_of) in [
        (january, "2026-01-05 08:00"),
        (january, "2026-01-06 09:30"),
        (january, "2026-01-08 08:00"),
        (january, "2026-01-08 08:01"),
        (january, "2026-01-09 00:00"),
        (january, "2026-01-11 00:00"),
        (january, "2026-01-14 00:00"),
        (january, "2026-02-01 00:00"),
        (later.unwrap(), "2026-01-09 09:00"),
        (later.unwrap(), "2026-01-31 23:00"),
    ] {
        let as_of = t(as_of);
        let end = motcua_core::report::cut(&period, as_of);
        let tallies = (hub.report_tallies(&[AGENCY.to_string()], period.start(), end))
            .expect("tallies")
            .remove(0);
        let at_hub = report_from_tallies(period, tallies, as_of);
        let want = report_as_of(period, &facts, as_of);
        assert_eq!(at_hub, want, "{period:?} at {as_of}");
        seen.extend(
            want.total
                .counts()
                .into_iter()
                .enumerate()
                .filter(|x| x.1 > 0)
                .map(|x| x.0),
        );
    }
    // Every column but the online one was counted somewhere, under three fields.
    assert_eq!(seen.len(), 10, "{seen:?}");
    let fields = report_as_of(january, &facts, t("2026-02-01 00:00"));
    let fields: Vec<&str> = fields.rows.iter().map(|r| r.field.as_str()).collect();
    assert_eq!(fields, ["Chứng thực", "Hộ tịch", "Tư pháp"]);
    let db = open();
    assert_eq!(
        texts(
            &db,
            "SELECT count(*) FROM report_dossiers WHERE complex = 1"
        ),
        vec![vec!["5".to_string()]],
        "a course back to a standing is counted from its facts"
    );
}

#[test]
fn a_report_counts_every_course_sqlite() {
    sqlite(|open| a_report_counts_every_course(open));
}

#[test]
fn a_report_counts_every_course_postgres() {
    postgres("push_batch_courses", |open| {
        a_report_counts_every_course(open)
    });
}

/// Runs `f` with connections to a fresh SQLite file.
fn sqlite(f: impl FnOnce(&dyn Fn() -> Sqlite)) {
    let d = tempfile::tempdir().expect("tempdir");
    let path = d.path().join("hub.sqlite");
    let open = || Sqlite::open(&path).expect("open");
    migrate(&open(), NOW).expect("migrate");
    f(&open);
}

/// Runs `f` with connections to a fresh PostgreSQL schema, dropped afterwards; skipped
/// when the server is unreachable (unless `CI=true`).
fn postgres(name: &str, f: impl FnOnce(&dyn Fn() -> Postgres)) {
    let url = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=3";
    let Ok(mut admin) = postgres::Client::connect(url, postgres::NoTls) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("PostgreSQL at 127.0.0.1:5432 is required in CI but is not reachable");
        }
        eprintln!("SKIPPED: PostgreSQL at 127.0.0.1:5432 is not reachable");
        return;
    };
    let schema = format!("t_{name}_{}", std::process::id());
    struct Cleanup(postgres::Client, String);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            let sql = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.1);
            let _ = self.0.batch_execute(&sql);
        }
    }
    admin
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .expect("drop");
    let _cleanup = Cleanup(admin, schema.clone());
    let mut o = PgOptions::new(url);
    o.schema = Some(schema);
    let open = || Postgres::open(&o).expect("open");
    migrate(&open(), NOW).expect("migrate");
    f(&open);
}

#[test]
fn a_batch_is_applied_event_by_event_sqlite() {
    sqlite(|open| a_batch_is_applied_event_by_event(open));
}

#[test]
fn a_batch_is_applied_event_by_event_postgres() {
    postgres("push_batch_rules", |open| {
        a_batch_is_applied_event_by_event(open)
    });
}

#[test]
fn a_large_batch_spans_statements_sqlite() {
    sqlite(|open| a_large_batch_spans_statements(open));
}

#[test]
fn a_large_batch_spans_statements_postgres() {
    postgres("push_batch_large", |open| {
        a_large_batch_spans_statements(open)
    });
}
