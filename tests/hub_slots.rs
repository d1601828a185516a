//! A slot of a station's chain at the hub holds only an event the hub verified: a forged
//! item (edited payload, genuine hash) is refused without taking the slot and the genuine
//! event is accepted when it comes; a storage failure while applying an event fails the
//! batch (retried) instead of quarantining a valid event for ever. On SQLite and
//! PostgreSQL, against a real hub on 127.0.0.1.

mod common;

use common::{
    Backend, Hub, http, motcua, ok, receive, run, seed, station, sync_status, with_postgres,
    with_sqlite,
};
use std::path::Path;

/// The station's last event and signed head, as its counter would push them.
fn last_event(dir: &Path) -> (serde_json::Value, serde_json::Value) {
    let c = rusqlite::Connection::open(dir.join("motcua.sqlite")).unwrap();
    let e = c
        .query_row(
            "SELECT seq, event_id, station_id, wall_time, clerk, kind, dossier_id, payload,
                    prev_hash, hash FROM events ORDER BY seq DESC LIMIT 1",
            [],
            |r| {
                Ok(serde_json::json!({
                    "seq": r.get::<_, i64>(0)?,
                    "event_id": r.get::<_, String>(1)?,
                    "station_id": r.get::<_, String>(2)?,
                    "wall_time": r.get::<_, String>(3)?,
                    "clerk": r.get::<_, String>(4)?,
                    "kind": r.get::<_, String>(5)?,
                    "dossier_id": r.get::<_, Option<String>>(6)?,
                    "payload": r.get::<_, String>(7)?,
                    "prev_hash": r.get::<_, String>(8)?,
                    "hash": r.get::<_, String>(9)?,
                }))
            },
        )
        .unwrap();
    let h = c
        .query_row("SELECT seq, hash, signature FROM journal_head", [], |r| {
            Ok(serde_json::json!({
                "seq": r.get::<_, i64>(0)?,
                "hash": r.get::<_, String>(1)?,
                "signature": r.get::<_, String>(2)?,
            }))
        })
        .unwrap();
    (e, h)
}

#[test]
fn a_forged_item_never_takes_the_genuine_slot_sqlite() {
    with_sqlite(a_forged_item_never_takes_the_genuine_slot);
}

#[test]
fn a_forged_item_never_takes_the_genuine_slot_postgres() {
    with_postgres("forged_slot", a_forged_item_never_takes_the_genuine_slot);
}

fn a_forged_item_never_takes_the_genuine_slot(b: &Backend) {
    let hub = Hub::start(b);
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1);
    seed(d.path(), 5, 1);
    hub.enroll(d.path(), 1);
    ok(motcua(d.path()).args(["sync", "--once"]));
    receive(d.path(), "Người nộp thật");
    // Someone holding the station's credential pushes the next event first, its payload
    // edited and its genuine hash kept, with the genuine signed head.
    let (mut e, head) = last_event(d.path());
    let seq = e["seq"].as_i64().unwrap();
    let forged = e["payload"]
        .as_str()
        .unwrap()
        .replace("Người nộp thật", "Kẻ mạo danh");
    e["payload"] = forged.into();
    let body = serde_json::json!({
        "station_id": "000.17.22.H56#1",
        "head": head,
        "events": [e],
    });
    let cred = std::fs::read_to_string(d.path().join("sync.credential")).unwrap();
    let port: u16 = hub.url().rsplit(':').next().unwrap().parse().unwrap();
    let (status, answer) = http(
        port,
        "POST",
        "/api/v1/push",
        &[
            ("Authorization", &format!("Bearer {}", cred.trim())),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    );
    let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["results"][0]["outcome"], "rejected", "{answer}");
    assert_eq!(answer["expected_seq"], seq, "the slot is still free");
    assert_eq!(
        hub.count(&format!("SELECT count(*) FROM events WHERE seq = {seq}")),
        0,
        "nothing stored for the forged item"
    );
    assert!(hub.count("SELECT count(*) FROM alerts") >= 1, "flagged");
    // The genuine counter syncs: accepted, nothing quarantined.
    ok(motcua(d.path()).args(["sync", "--once"]));
    let s = sync_status(d.path());
    assert_eq!(
        (s["pending"].as_i64(), s["quarantined"].as_i64()),
        (Some(0), Some(0)),
        "{s}"
    );
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 6);
    assert_eq!(
        hub.count(&format!(
            "SELECT count(*) FROM events WHERE seq = {seq} AND outcome = 'accepted'"
        )),
        1
    );
}

#[test]
fn a_storage_failure_fails_the_batch_never_an_item_sqlite() {
    with_sqlite(a_storage_failure_fails_the_batch_never_an_item);
}

#[test]
fn a_storage_failure_fails_the_batch_never_an_item_postgres() {
    with_postgres(
        "storage_fail",
        a_storage_failure_fails_the_batch_never_an_item,
    );
}

fn a_storage_failure_fails_the_batch_never_an_item(b: &Backend) {
    let hub = Hub::start(b);
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1);
    seed(d.path(), 5, 2);
    hub.enroll(d.path(), 1);
    // The register table fails for a while (a disk or server hiccup).
    if b.is_postgres() {
        b.exec(
            "CREATE FUNCTION hiccup() RETURNS trigger AS $$
             BEGIN RAISE EXCEPTION 'could not write block: I/O error'; END $$ LANGUAGE plpgsql;
             CREATE TRIGGER hiccup BEFORE INSERT ON dossiers FOR EACH ROW EXECUTE FUNCTION hiccup();",
        );
    } else {
        b.exec(
            "CREATE TRIGGER hiccup BEFORE INSERT ON dossiers
             BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;",
        );
    }
    let out = run(motcua(d.path()).args(["sync", "--once"]));
    assert!(!out.status.success(), "the batch failed");
    let s = sync_status(d.path());
    assert_eq!(
        s["quarantined"].as_i64(),
        Some(0),
        "no valid event quarantined: {s}"
    );
    assert!(s["pending"].as_i64().unwrap() > 0, "{s}");
    assert_eq!(
        hub.count("SELECT count(*) FROM events"),
        0,
        "nothing half-stored"
    );
    if b.is_postgres() {
        b.exec("DROP TRIGGER hiccup ON dossiers; DROP FUNCTION hiccup();");
    } else {
        b.exec("DROP TRIGGER hiccup;");
    }
    ok(motcua(d.path()).args(["sync", "--once"]));
    let s = sync_status(d.path());
    assert_eq!(
        (s["pending"].as_i64(), s["quarantined"].as_i64()),
        (Some(0), Some(0)),
        "{s}"
    );
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 5);
}
