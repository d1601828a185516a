//! The hub keeps only what a station signed. Someone holding one station's bearer
//! credential and a genuine batch the hub has not stored yet (read on a plain-HTTP link)
//! tries to get forged events stored: an event altered and the chain recomputed after it,
//! cut before the genuine signed head; another station's events relabelled and re-chained
//! as this station's; a forged body sent first under the genuine batch's idempotency key.
//! Each time nothing forged is stored, the genuine batch is accepted afterwards and the
//! forgery is absent from the lookup page and from the journal the hub serves back. Also:
//! a forged event appended past the signed head is not stored, and a key taken by
//! another body whose events are all signed costs the counter one more push under a
//! fresh key. On SQLite and PostgreSQL, against a real hub on 127.0.0.1.

mod common;

use common::{
    Backend, Hub, http, motcua, ok, receive, station, sync_status, with_postgres, with_sqlite,
};
use motcua_core::journal::Event;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::path::Path;

const STATION_1: &str = "000.17.22.H56#1";
const GENUINE: &str = "Nguyễn Thị Thật";
const FORGED: &str = "Kẻ Mạo Danh";
/// Applicants of a station's five dossiers; the second is the one forgers alter.
const FIVE: [&str; 5] = [
    "Trần Văn An",
    GENUINE,
    "Lê Thị Bình",
    "Phan Văn Cường",
    "Đặng Thị Dung",
];

/// Every event of a counter's journal as its sync client pushes it, in order.
fn journal(dir: &Path) -> Vec<Event> {
    common::journal_json(dir)
        .0
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect()
}

/// The counter's signed journal head (what its first push carries).
fn signed_head(dir: &Path) -> Value {
    let c = rusqlite::Connection::open(dir.join("motcua.sqlite")).unwrap();
    c.query_row("SELECT seq, hash, signature FROM journal_head", [], |r| {
        Ok(json!({
            "seq": r.get::<_, i64>(0)?,
            "hash": r.get::<_, String>(1)?,
            "signature": r.get::<_, String>(2)?,
        }))
    })
    .unwrap()
}

/// What a forger can do without the station key: recompute every hash from `from` on so
/// that the chain is consistent again.
fn rechain(events: &mut [Event], from: usize) {
    let mut prev = if from == 0 {
        motcua_core::journal::GENESIS_HASH.to_string()
    } else {
        events[from - 1].hash.clone()
    };
    for e in &mut events[from..] {
        e.prev_hash = prev;
        e.hash = e.fields().hash();
        prev = e.hash.clone();
    }
}

/// Index of the `nth` dossier reception in a journal.
fn nth_dossier(events: &[Event], nth: usize) -> usize {
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind.as_str() == "dossier_received")
        .nth(nth)
        .expect("enough dossiers")
        .0
}

/// The dossier code and lookup secret a reception event carries.
fn code_and_secret(e: &Event) -> (String, String) {
    let d: Value = serde_json::from_str(&e.payload).unwrap();
    (
        d["code"].as_str().unwrap().to_string(),
        d["lookup_secret"].as_str().unwrap().to_string(),
    )
}

/// The idempotency key the genuine sync client gives a batch (crates/sync).
fn client_key(station_id: &str, events: &[Event], head_hash: &str) -> String {
    format!(
        "{station_id}:{}-{}:{head_hash}",
        events.first().unwrap().seq,
        events.last().unwrap().seq
    )
}

/// Pushes `body` with a station's credential as anyone holding it could; (status, answer).
fn push_as(hub: &Hub, dir: &Path, body: &Value, key: Option<&str>) -> (u16, Value) {
    let cred = std::fs::read_to_string(dir.join("sync.credential")).unwrap();
    let auth = format!("Bearer {}", cred.trim());
    let mut headers = vec![
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    if let Some(k) = key {
        headers.push(("Idempotency-Key", k));
    }
    let (status, answer) = http(
        hub.port,
        "POST",
        "/api/v1/push",
        &headers,
        body.to_string().as_bytes(),
    );
    let answer = serde_json::from_slice(&answer).unwrap_or(Value::Null);
    (status, answer)
}

/// Every event body the hub serves back to a station (its journal endpoint).
fn served_journal(hub: &Hub, dir: &Path) -> String {
    let cred = std::fs::read_to_string(dir.join("sync.credential")).unwrap();
    let (status, body) = http(
        hub.port,
        "GET",
        "/api/v1/journal?since=0&limit=5000",
        &[("Authorization", &format!("Bearer {}", cred.trim()))],
        b"",
    );
    assert_eq!(status, 200);
    String::from_utf8(body).unwrap()
}

/// A station `n` with dossiers received for `names`, enrolled with `hub`, nothing pushed yet:
/// the whole journal is the genuine batch the attacker holds.
fn genuine_station(hub: &Hub, dir: &Path, n: u8, names: &[&str]) {
    station(dir, n);
    for name in names {
        receive(dir, name);
    }
    hub.enroll(dir, n);
}

/// After the genuine counter's sync: nothing pending or quarantined, its journal intact.
fn genuine_sync_accepted(dir: &Path) {
    ok(motcua(dir).args(["sync", "--once"]));
    let s = sync_status(dir);
    assert_eq!(
        (s["pending"].as_i64(), s["quarantined"].as_i64()),
        (Some(0), Some(0)),
        "the genuine batch is accepted whole: {s}"
    );
    ok(motcua(dir).arg("verify"));
}

#[test]
fn a_forgery_cut_before_the_signed_head_stores_nothing_sqlite() {
    with_sqlite(a_forgery_cut_before_the_signed_head_stores_nothing);
}

#[test]
fn a_forgery_cut_before_the_signed_head_stores_nothing_postgres() {
    with_postgres(
        "forged_below_head",
        a_forgery_cut_before_the_signed_head_stores_nothing,
    );
}

fn a_forgery_cut_before_the_signed_head_stores_nothing(b: &Backend) {
    let hub = Hub::start(b);
    let d = tempfile::tempdir().unwrap();
    genuine_station(&hub, d.path(), 1, &FIVE);
    let head = signed_head(d.path());
    let mut events = journal(d.path());
    assert_eq!(events.last().unwrap().seq, head["seq"].as_u64().unwrap());
    // The second dossier's applicant is altered, the chain recomputed after it and the
    // batch cut before the genuine head, which it still carries.
    let k = nth_dossier(&events, 1);
    assert!(k + 2 < events.len(), "events after the altered one");
    let (code, secret) = code_and_secret(&events[k]);
    events[k].payload = events[k].payload.replace(GENUINE, FORGED);
    rechain(&mut events, k);
    events.pop();
    let forged = json!({"station_id": STATION_1, "head": head, "events": events});
    let (status, answer) = push_as(&hub, d.path(), &forged, Some("forged-1"));
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["outcome"] == "gap"),
        "no event of the forged batch is covered by a verified head: {answer}"
    );
    assert_eq!(answer["expected_seq"], 1, "{answer}");
    assert_eq!(
        hub.count("SELECT count(*) FROM events"),
        0,
        "nothing stored"
    );
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 0);
    assert!(!hub.lookup(&code, &secret).contains("Danh"));
    // The genuine counter pushes its batch: accepted whole, the genuine dossier shows.
    genuine_sync_accepted(d.path());
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 5);
    let page = hub.lookup(&code, &secret);
    assert!(
        page.contains("N. T. Thật") && !page.contains("Danh"),
        "{page}"
    );
    let served = served_journal(&hub, d.path());
    assert!(!served.contains("Mạo Danh") && served.contains("Thật"));
}

#[test]
fn relabelled_events_never_take_another_stations_slots_sqlite() {
    with_sqlite(relabelled_events_never_take_another_stations_slots);
}

#[test]
fn relabelled_events_never_take_another_stations_slots_postgres() {
    with_postgres(
        "relabelled",
        relabelled_events_never_take_another_stations_slots,
    );
}

fn relabelled_events_never_take_another_stations_slots(b: &Backend) {
    let hub = Hub::start(b);
    let five = tempfile::tempdir().unwrap();
    let six = tempfile::tempdir().unwrap();
    genuine_station(&hub, five.path(), 5, &["Trần Văn An", GENUINE]);
    genuine_station(
        &hub,
        six.path(),
        6,
        &["Phạm Văn Sáu", "Đỗ Thị Sáu", "Vũ Văn Sáu", "Hồ Thị Sáu"],
    );
    // Station 5's events relabelled as station 6's and re-chained, sent with station 6's
    // credential and station 6's genuine head (its own batch not stored yet).
    let mut events = journal(five.path());
    let head6 = signed_head(six.path());
    assert!(
        (events.len() as u64) < head6["seq"].as_u64().unwrap(),
        "the relabelled events lie below station 6's head"
    );
    let k = nth_dossier(&events, 1);
    let (code, secret) = code_and_secret(&events[k]);
    for e in &mut events {
        e.station_id = "000.17.22.H56#6".into();
        e.payload = e.payload.replace(GENUINE, FORGED);
    }
    rechain(&mut events, 0);
    let forged = json!({"station_id": "000.17.22.H56#6", "head": head6, "events": events});
    let (status, answer) = push_as(&hub, six.path(), &forged, None);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["expected_seq"], 1, "{answer}");
    assert_eq!(hub.count("SELECT count(*) FROM events"), 0, "no slot taken");
    assert_eq!(
        hub.count("SELECT count(*) FROM dossiers"),
        0,
        "no code taken"
    );
    // Both genuine counters push: every event accepted, each dossier under its station.
    genuine_sync_accepted(six.path());
    genuine_sync_accepted(five.path());
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 6);
    assert_eq!(
        hub.count(&format!(
            "SELECT count(*) FROM dossiers WHERE code = '{code}' AND station_id = '000.17.22.H56#5'"
        )),
        1,
        "station 5's code is station 5's"
    );
    let page = hub.lookup(&code, &secret);
    assert!(
        page.contains("N. T. Thật") && !page.contains("Danh"),
        "{page}"
    );
    assert!(!served_journal(&hub, six.path()).contains("Mạo Danh"));
}

#[test]
fn a_forged_body_cannot_poison_the_genuine_batchs_key_sqlite() {
    with_sqlite(a_forged_body_cannot_poison_the_genuine_batchs_key);
}

#[test]
fn a_forged_body_cannot_poison_the_genuine_batchs_key_postgres() {
    with_postgres(
        "key_poison",
        a_forged_body_cannot_poison_the_genuine_batchs_key,
    );
}

fn a_forged_body_cannot_poison_the_genuine_batchs_key(b: &Backend) {
    let hub = Hub::start(b);
    let d = tempfile::tempdir().unwrap();
    genuine_station(&hub, d.path(), 1, &["Trần Văn An", GENUINE, "Lê Thị Bình"]);
    let head = signed_head(d.path());
    let genuine = journal(d.path());
    let key = client_key(STATION_1, &genuine, head["hash"].as_str().unwrap());
    // The forged body goes first under the genuine batch's key: one dossier's applicant
    // altered (its hash kept), the genuine head.
    let mut events = genuine.clone();
    let k = nth_dossier(&events, 1);
    let (code, secret) = code_and_secret(&events[k]);
    events[k].payload = events[k].payload.replace(GENUINE, FORGED);
    let forged = json!({"station_id": STATION_1, "head": head, "events": events});
    let (status, first) = push_as(&hub, d.path(), &forged, Some(&key));
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE body LIKE '%Danh%'"),
        0
    );
    // The genuine counter sends its batch under that key: applied, not the forgery's
    // answer replayed.
    genuine_sync_accepted(d.path());
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 3);
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE outcome = 'accepted'"),
        genuine.len() as i64
    );
    let page = hub.lookup(&code, &secret);
    assert!(
        page.contains("N. T. Thật") && !page.contains("Danh"),
        "{page}"
    );
    // The key is now the genuine body's: the forgery under it again is refused and
    // stores nothing, not even an alert.
    let alerts = hub.count("SELECT count(*) FROM alerts");
    let (status, again) = push_as(&hub, d.path(), &forged, Some(&key));
    assert_eq!(status, 409, "{again}");
    let msg = again["error"].as_str().unwrap_or_default();
    assert!(
        msg.contains("khóa chống gửi trùng") && msg.contains("nội dung khác"),
        "{again}"
    );
    assert_eq!(hub.count("SELECT count(*) FROM alerts"), alerts);
    assert_eq!(
        hub.count("SELECT count(*) FROM events"),
        genuine.len() as i64
    );
    // The genuine body under its key again is the stored answer, replayed.
    let body = json!({"station_id": STATION_1, "head": head, "events": genuine});
    let (status, replay) = push_as(&hub, d.path(), &body, Some(&key));
    assert_eq!(status, 200, "{replay}");
    assert!(
        replay["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["outcome"] == "accepted"),
        "{replay}"
    );
    assert!(!served_journal(&hub, d.path()).contains("Mạo Danh"));
    // A key bound by an earlier hub, to the SHA-256 of the batch written back as JSON:
    // after the upgrade the genuine batch still gets its answer, the forgery still none.
    let req: motcua_core::wire::PushRequest = serde_json::from_value(body.clone()).unwrap();
    let written = hex::encode(Sha256::digest(serde_json::to_vec(&req).unwrap()));
    b.exec(&format!(
        "UPDATE idempotency SET body_sha256 = '{written}' WHERE key = '{key}'"
    ));
    let (status, replay) = push_as(&hub, d.path(), &body, Some(&key));
    assert_eq!(status, 200, "{replay}");
    assert!(
        (replay["results"].as_array().unwrap().iter()).all(|r| r["outcome"] == "accepted"),
        "the stored answer: {replay}"
    );
    let (status, again) = push_as(&hub, d.path(), &forged, Some(&key));
    assert_eq!(status, 409, "{again}");
    // An answer kept before keys were bound to their batch (a hub upgraded from schema
    // version 2) says nothing about whose it is: the batch is applied again, its answer
    // replaces the old one and binds the key.
    b.exec(&format!(
        "UPDATE idempotency SET body_sha256 = NULL, response = '{{\"results\":[],\"expected_seq\":1}}'
         WHERE key = '{key}'"
    ));
    let (status, again) = push_as(&hub, d.path(), &body, Some(&key));
    assert_eq!(status, 200, "{again}");
    assert!(
        again["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["outcome"] == "duplicate"),
        "{again}"
    );
    assert_eq!(
        hub.count(&format!(
            "SELECT count(*) FROM idempotency WHERE key = '{key}' AND body_sha256 IS NOT NULL"
        )),
        1
    );
}

#[test]
fn events_past_the_signed_head_are_not_stored_sqlite() {
    with_sqlite(events_past_the_signed_head_are_not_stored);
}

#[test]
fn events_past_the_signed_head_are_not_stored_postgres() {
    with_postgres("past_head", events_past_the_signed_head_are_not_stored);
}

/// A genuine batch with a forged event appended past its signed head: the covered events
/// are stored, the one past the head is not (answered `gap`, flagged).
fn events_past_the_signed_head_are_not_stored(b: &Backend) {
    let hub = Hub::start(b);
    let d = tempfile::tempdir().unwrap();
    genuine_station(&hub, d.path(), 1, &["Trần Văn An", "Lê Thị Bình"]);
    let head = signed_head(d.path());
    let mut events = journal(d.path());
    let n = events.len();
    let mut tail = events[nth_dossier(&events, 1)].clone();
    tail.seq = n as u64 + 1;
    tail.payload = tail.payload.replace("Lê Thị Bình", FORGED);
    events.push(tail);
    rechain(&mut events, n);
    let body = json!({"station_id": STATION_1, "head": head, "events": events});
    let (status, answer) = push_as(&hub, d.path(), &body, Some("with-a-tail"));
    assert_eq!(status, 200, "{answer}");
    let results = answer["results"].as_array().unwrap();
    assert!(
        results[..n].iter().all(|r| r["outcome"] == "accepted"),
        "{answer}"
    );
    assert_eq!(results[n]["outcome"], "gap", "{answer}");
    assert_eq!(answer["expected_seq"], n + 1, "{answer}");
    assert_eq!(hub.count("SELECT count(*) FROM events"), n as i64);
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE body LIKE '%Danh%'"),
        0
    );
    assert!(
        hub.admin(&["alerts"])
            .contains("không được đầu nhật ký đã ký")
    );
    genuine_sync_accepted(d.path());
    assert_eq!(hub.count("SELECT count(*) FROM events"), n as i64);
}

#[test]
fn a_key_taken_by_another_genuine_body_is_sent_again_under_a_fresh_key_sqlite() {
    with_sqlite(a_key_taken_by_another_genuine_body_is_sent_again_under_a_fresh_key);
}

#[test]
fn a_key_taken_by_another_genuine_body_is_sent_again_under_a_fresh_key_postgres() {
    with_postgres(
        "key_taken",
        a_key_taken_by_another_genuine_body_is_sent_again_under_a_fresh_key,
    );
}

/// Someone sends the genuine events under the genuine batch's key first, in a body of
/// their own (the last event repeated): every event is signed, so it is stored and binds
/// the key. The counter's batch under that key is then refused (409) and its sync client
/// sends it again under a fresh key: duplicates, nothing lost, nothing quarantined.
fn a_key_taken_by_another_genuine_body_is_sent_again_under_a_fresh_key(b: &Backend) {
    let hub = Hub::start(b);
    let d = tempfile::tempdir().unwrap();
    genuine_station(&hub, d.path(), 1, &["Trần Văn An", GENUINE]);
    let head = signed_head(d.path());
    let genuine = journal(d.path());
    let key = client_key(STATION_1, &genuine, head["hash"].as_str().unwrap());
    let mut events = genuine.clone();
    events.push(genuine.last().unwrap().clone());
    let body = json!({"station_id": STATION_1, "head": head, "events": events});
    let (status, answer) = push_as(&hub, d.path(), &body, Some(&key));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["results"][genuine.len()]["outcome"], "duplicate");
    assert_eq!(
        hub.count("SELECT count(*) FROM idempotency WHERE body_sha256 IS NOT NULL"),
        1,
        "a body whose every event is signed binds its key"
    );
    genuine_sync_accepted(d.path());
    assert_eq!(
        hub.count(&format!(
            "SELECT count(*) FROM idempotency WHERE key LIKE '{key}:%'"
        )),
        1,
        "sent again under a fresh key"
    );
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE outcome = 'accepted'"),
        genuine.len() as i64
    );
}
