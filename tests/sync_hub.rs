//! Counter <-> hub end to end on SQLite: two counters of one agency push to one hub, an
//! upstream status reaches the counter after one sync, credentials are checked, a
//! tampered event is refused without a slot (the chain waits for the genuine one), and a
//! poisoned but genuine event is quarantined while the rest flow.

mod common;

use common::{
    Backend, Hub, head_seq, http, motcua, ok, run, seed, station, sync_status, with_postgres,
    with_sqlite,
};
use std::path::Path;

fn codes(dir: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(dir.join("motcua.sqlite")).unwrap();
    let mut st = c
        .prepare("SELECT code FROM dossiers ORDER BY rowid")
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn two_counters_union_and_upstream_status_sqlite() {
    with_sqlite(two_counters_union_and_upstream_status);
}

#[test]
fn two_counters_union_and_upstream_status_postgres() {
    with_postgres(
        "two_counters_union_a",
        two_counters_union_and_upstream_status,
    );
}

fn two_counters_union_and_upstream_status(b: &Backend) {
    let hub = Hub::start(b);
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    station(b.path(), 2);
    seed(a.path(), 40, 1);
    seed(b.path(), 60, 2);
    hub.enroll(a.path(), 1);
    hub.enroll(b.path(), 2);
    ok(motcua(a.path()).args(["sync", "--once"]));
    ok(motcua(b.path()).args(["sync", "--once"]));
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 100);
    assert_eq!(
        hub.count("SELECT count(*) FROM dossiers WHERE agency_id = '000.17.22.H56'"),
        100
    );
    for (dir, id) in [(a.path(), "000.17.22.H56#1"), (b.path(), "000.17.22.H56#2")] {
        assert_eq!(
            hub.count(&format!(
                "SELECT count(*) FROM events WHERE station_id = '{id}' AND outcome = 'accepted'"
            )),
            head_seq(dir)
        );
        let s = sync_status(dir);
        assert_eq!(s["pending"], 0, "{s}");
        assert_eq!(s["online"], true, "{s}");
        assert!(s["clock_offset_ms"].as_i64().unwrap().abs() < 5000, "{s}");
    }
    // A second sync sends nothing new.
    let again = ok(motcua(a.path()).args(["sync", "--once"]));
    assert!(again.contains("\"accepted\": 0"), "{again}");

    // The province's processing system sets a status; counter A sees it after one sync.
    let code = codes(a.path())[3].clone();
    let proc_token = hub.admin(&["processor", "add", "xu-ly-tinh"]);
    let auth = format!("Bearer {proc_token}");
    let (st, body) = http(
        hub.port,
        "POST",
        &format!("/api/v1/dossiers/{code}/status"),
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        r#"{"status":"processing","note":"Chuyển phòng Tư pháp"}"#.as_bytes(),
    );
    assert_eq!(st, 204, "{}", String::from_utf8_lossy(&body));
    // and the CLI can do the same
    let code2 = codes(a.path())[4].clone();
    hub.admin(&["status", "set", &code2, "result_ready"]);
    ok(motcua(a.path()).args(["sync", "--once"]));
    let shown: serde_json::Value =
        serde_json::from_str(&ok(motcua(a.path()).args(["show", &code, "--json"]))).unwrap();
    assert_eq!(shown["status"], "processing", "{shown}");
    let shown: serde_json::Value =
        serde_json::from_str(&ok(motcua(a.path()).args(["show", &code2, "--json"]))).unwrap();
    assert_eq!(shown["status"], "result_ready", "{shown}");
    ok(motcua(a.path()).arg("verify"));
    // Station B pulled the same feed and ignored dossiers that are not its own.
    ok(motcua(b.path()).args(["sync", "--once"]));
    ok(motcua(b.path()).arg("verify"));
    let s = sync_status(a.path());
    assert_eq!(s["cursor"], 2, "{s}");
    // The upstream_status events went up too, and nothing is pending.
    ok(motcua(a.path()).args(["sync", "--once"]));
    assert_eq!(sync_status(a.path())["pending"], 0);
    // Counts per agency and status, for the processor.
    let (st, body) = http(
        hub.port,
        "GET",
        "/api/v1/counts",
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(st, 200);
    let counts: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(
        counts
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["status"] == "processing" && c["count"] == 1),
        "{counts}"
    );
}

#[test]
fn wrong_revoked_and_cross_station_credentials_are_refused_sqlite() {
    with_sqlite(wrong_revoked_and_cross_station_credentials_are_refused);
}

#[test]
fn wrong_revoked_and_cross_station_credentials_are_refused_postgres() {
    with_postgres(
        "wrong_revoked_and_cr",
        wrong_revoked_and_cross_station_credentials_are_refused,
    );
}

fn wrong_revoked_and_cross_station_credentials_are_refused(b: &Backend) {
    let hub = Hub::start(b);
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    station(b.path(), 2);
    seed(a.path(), 5, 1);

    // A wrong enrolment token.
    let out = run(motcua(a.path()).args(["sync", "enroll", "--hub", &hub.url(), "--token", "sai"]));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("mã đăng ký"));
    // A token for station 2 cannot enrol station 1, and a used token cannot be reused.
    let t2 = hub.admin(&[
        "station",
        "add",
        "--agency-id",
        "000.17.22.H56",
        "--station",
        "2",
    ]);
    let out = run(motcua(a.path()).args(["sync", "enroll", "--hub", &hub.url(), "--token", &t2]));
    assert!(!out.status.success());
    ok(motcua(b.path()).args(["sync", "enroll", "--hub", &hub.url(), "--token", &t2]));
    let out = run(motcua(b.path()).args(["sync", "enroll", "--hub", &hub.url(), "--token", &t2]));
    assert!(!out.status.success());
    hub.enroll(a.path(), 1);

    // The credential file is private and never printed.
    let cred_path = a.path().join("sync.credential");
    let cred = std::fs::read_to_string(&cred_path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cred_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let out = ok(motcua(a.path()).args(["sync", "--once"]));
    assert!(!out.contains(cred.trim()));

    // Cross-station: A's credential pushing as station 2 is refused.
    let auth = format!("Bearer {}", cred.trim());
    let body = br#"{"station_id":"000.17.22.H56#2","head":{"seq":0,"hash":"x","signature":"y"},"events":[]}"#;
    let (st, _) = http(
        hub.port,
        "POST",
        "/api/v1/push",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        body,
    );
    assert_eq!(st, 403);
    // A station credential may not set status upstream.
    let (st, _) = http(
        hub.port,
        "POST",
        "/api/v1/dossiers/X/status",
        &[("Authorization", &auth)],
        br#"{"status":"processing"}"#,
    );
    assert_eq!(st, 403);
    // No or wrong credential: 401.
    let (st, _) = http(hub.port, "GET", "/api/v1/changes?since=0", &[], b"");
    assert_eq!(st, 401);
    let (st, _) = http(
        hub.port,
        "GET",
        "/api/v1/changes?since=0",
        &[("Authorization", "Bearer deadbeef")],
        b"",
    );
    assert_eq!(st, 401);

    // Revoked: the counter reports it in plain Vietnamese and keeps its data.
    hub.admin(&["station", "revoke", "000.17.22.H56#1"]);
    seed(a.path(), 3, 9);
    let out = run(motcua(a.path()).args(["sync", "--once"]));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("thu hồi"), "{err}");
    assert!(!err.contains(cred.trim()));
    let s = sync_status(a.path());
    // The hub answered: the station is refused, not offline.
    assert_eq!(s["online"], true, "{s}");
    assert_eq!(s["answer"], "refused", "{s}");
    assert_eq!(s["pending"], 3);
    assert!(s["last_error"].as_str().unwrap().contains("thu hồi"), "{s}");
}

/// Drops the append-only triggers of a counter database (a tamperer would).
fn raw(dir: &Path) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(dir.join("motcua.sqlite")).unwrap();
    c.execute_batch(
        "DROP TRIGGER IF EXISTS events_append_only_update;
         DROP TRIGGER IF EXISTS events_append_only_delete;",
    )
    .unwrap();
    c
}

#[test]
fn tampered_event_takes_no_slot_sqlite() {
    with_sqlite(tampered_event_is_refused_flagged_and_quarantined_and_takes_no_slot);
}

#[test]
fn tampered_event_takes_no_slot_postgres() {
    with_postgres(
        "tampered_event_is_re",
        tampered_event_is_refused_flagged_and_quarantined_and_takes_no_slot,
    );
}

fn tampered_event_is_refused_flagged_and_quarantined_and_takes_no_slot(b: &Backend) {
    let hub = Hub::start(b);
    let a = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    seed(a.path(), 20, 1);
    hub.enroll(a.path(), 1);
    let head = head_seq(a.path());
    // Edit one received dossier's payload without re-hashing.
    let c = raw(a.path());
    let seq: i64 = c
        .query_row(
            "SELECT seq FROM events WHERE kind = 'dossier_received' ORDER BY seq LIMIT 1 OFFSET 5",
            [],
            |r| r.get(0),
        )
        .unwrap();
    c.execute(
        "UPDATE events SET payload = replace(payload, '\"clerk\":\"lan\"', '\"clerk\":\"xx\"') WHERE seq = ?1",
        [seq],
    )
    .unwrap();
    drop(c);
    // The edited event takes no slot at the hub, so nothing after it can be chained: the
    // sync stops there and says why instead of looping.
    let out = run(motcua(a.path()).args(["sync", "--once"]));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("đang chờ sự kiện số {seq}")), "{err}");
    let s = sync_status(a.path());
    assert_eq!(s["pending"], head - seq, "{s}");
    assert_eq!(s["quarantined"], 1, "{s}");
    assert_eq!(s["quarantine"][0]["seq"], seq);
    assert!(
        s["quarantine"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("bị sửa"),
        "{s}"
    );
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE outcome = 'accepted'"),
        seq - 1
    );
    assert_eq!(
        hub.count(&format!("SELECT count(*) FROM events WHERE seq >= {seq}")),
        0,
        "the edited event and those after it take no slot"
    );
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 5);
    let alerts = hub.admin(&["alerts"]);
    assert!(
        alerts.contains("000.17.22.H56#1") && alerts.contains("bị sửa"),
        "{alerts}"
    );
}

#[test]
fn poisoned_event_is_quarantined_while_the_rest_flow_sqlite() {
    with_sqlite(poisoned_event_is_quarantined_while_the_rest_flow);
}

#[test]
fn poisoned_event_is_quarantined_while_the_rest_flow_postgres() {
    with_postgres(
        "poisoned_event_is_qu",
        poisoned_event_is_quarantined_while_the_rest_flow,
    );
}

fn poisoned_event_is_quarantined_while_the_rest_flow(b: &Backend) {
    use ed25519_dalek::Signer;
    use motcua_core::journal::{EventFields, EventKind, head_message};
    let hub = Hub::start(b);
    let a = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    seed(a.path(), 10, 1);
    hub.enroll(a.path(), 1);
    // A well-chained, signed event whose dossier the hub cannot read (a bug, an old
    // version...): re-hash the chain after it and re-sign the head with the station key.
    let c = raw(a.path());
    let target: i64 = c
        .query_row(
            "SELECT seq FROM events WHERE kind = 'dossier_received' ORDER BY seq LIMIT 1 OFFSET 3",
            [],
            |r| r.get(0),
        )
        .unwrap();
    c.execute(
        "UPDATE events SET payload = '{\"poison\":true}' WHERE seq = ?1",
        [target],
    )
    .unwrap();
    let mut st = c
        .prepare(
            "SELECT seq, event_id, station_id, wall_time, clerk, kind, dossier_id, payload, prev_hash
             FROM events WHERE seq >= ?1 ORDER BY seq",
        )
        .unwrap();
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
    );
    let rows: Vec<Row> = st
        .query_map([target], |r| {
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
            ))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    drop(st);
    let mut prev = rows[0].8.clone();
    let mut last = (0i64, String::new());
    for (seq, id, station, wall, clerk, kind, dossier, payload, _) in &rows {
        let hash = EventFields {
            seq: *seq as u64,
            event_id: id,
            station_id: station,
            wall_time: wall,
            clerk,
            kind: EventKind::parse(kind).unwrap(),
            dossier_id: dossier.as_deref(),
            payload,
            prev_hash: &prev,
        }
        .hash();
        c.execute(
            "UPDATE events SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, hash, seq],
        )
        .unwrap();
        prev = hash.clone();
        last = (*seq, hash);
    }
    let key_hex = std::fs::read_to_string(a.path().join("station.key")).unwrap();
    let key: [u8; 32] = hex::decode(key_hex.trim()).unwrap().try_into().unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&key);
    let sig = key.sign(&head_message("000.17.22.H56#1", last.0 as u64, &last.1));
    c.execute(
        "UPDATE journal_head SET seq = ?1, hash = ?2, signature = ?3",
        rusqlite::params![last.0, last.1, hex::encode(sig.to_bytes())],
    )
    .unwrap();
    drop(c);

    ok(motcua(a.path()).args(["sync", "--once"]));
    let s = sync_status(a.path());
    assert_eq!(
        (s["pending"].as_i64(), s["quarantined"].as_i64()),
        (Some(0), Some(1)),
        "{s}"
    );
    assert_eq!(s["quarantine"][0]["seq"], target);
    assert!(
        s["quarantine"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("không đọc được"),
        "{s}"
    );
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 9);
    // The events after the poisoned one were accepted: the chain goes on.
    assert_eq!(
        hub.count("SELECT max(seq) FROM events WHERE outcome = 'accepted'"),
        head_seq(a.path())
    );
    // Re-sending gives the same answer: still quarantined, nothing duplicated.
    ok(motcua(a.path()).args(["sync", "--once"]));
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 9);
}

#[test]
fn catalogue_and_holidays_reach_the_counter_sqlite() {
    with_sqlite(catalogue_and_holidays_reach_the_counter);
}

#[test]
fn catalogue_and_holidays_reach_the_counter_postgres() {
    with_postgres("master_data", catalogue_and_holidays_reach_the_counter);
}

fn catalogue_and_holidays_reach_the_counter(b: &Backend) {
    let hub = Hub::start(b);
    let a = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    hub.enroll(a.path(), 1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cat: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("assets/catalog/commune-procedures.json")).unwrap(),
    )
    .unwrap();
    cat["version"] = "tinh-2027-01".into();
    let files = tempfile::tempdir().unwrap();
    let cat_file = files.path().join("catalog.json");
    std::fs::write(&cat_file, cat.to_string()).unwrap();
    hub.admin(&["catalog", "publish", cat_file.to_str().unwrap()]);
    hub.admin(&[
        "holidays",
        "publish",
        root.join("assets/calendar/2026.json").to_str().unwrap(),
    ]);
    ok(motcua(a.path()).args(["sync", "--once"]));
    let c = rusqlite::Connection::open(a.path().join("motcua.sqlite")).unwrap();
    let version: String = c
        .query_row(
            "SELECT value FROM settings WHERE key = 'catalog_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, "tinh-2027-01");
    // The pulled schedule is stored with the cursor, not as a file of the office's own.
    let schedule: String = c
        .query_row(
            "SELECT body FROM holiday_schedules WHERE year = 2026",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        schedule,
        std::fs::read_to_string(root.join("assets/calendar/2026.json")).unwrap()
    );
    assert!(!a.path().join("calendar").exists());
    let s = sync_status(a.path());
    assert_eq!(s["cursor"], 2, "{s}");
    assert_eq!(s["conflicts"].as_array().unwrap().len(), 0, "{s}");
    // Pulling again changes nothing; the catalogue event goes up; the journal verifies.
    ok(motcua(a.path()).args(["sync", "--once"]));
    assert_eq!(sync_status(a.path())["pending"], 0);
    ok(motcua(a.path()).arg("verify"));
}

#[test]
fn hub_that_lost_events_reports_the_gap_and_gets_them_again() {
    let hd = tempfile::tempdir().unwrap();
    let b = Backend::sqlite(hd.path());
    let mut hub = Hub::start(&b);
    let a = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    seed(a.path(), 10, 1);
    hub.enroll(a.path(), 1);
    ok(motcua(a.path()).args(["sync", "--once"]));
    let head = head_seq(a.path());
    // The hub is restored from an old backup: it lost everything after event 5.
    hub.kill();
    let Backend::Sqlite(db) = &b else {
        unreachable!()
    };
    let c = rusqlite::Connection::open(db).unwrap();
    c.execute_batch(
        "DELETE FROM dossiers WHERE id IN (SELECT dossier_id FROM events WHERE seq > 5);
         DELETE FROM events WHERE seq > 5; DELETE FROM idempotency;
         UPDATE stations SET next_seq = 6, last_hash = (SELECT hash FROM events WHERE seq = 5);",
    )
    .unwrap();
    drop(c);
    let hub = Hub::start_on(&b, hub.port);
    seed(a.path(), 2, 2);
    ok(motcua(a.path()).args(["sync", "--once"]));
    assert_eq!(sync_status(a.path())["pending"], 0);
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 12);
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE outcome = 'accepted'"),
        head + 2
    );
}
