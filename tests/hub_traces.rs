//! What the hub leaves behind and says when things go wrong, against a real hub on
//! 127.0.0.1: a push whose head signature is bad leaves an alert (SQLite and PostgreSQL),
//! and a station's flood of them is cut at [`motcua_hub::db::ALERTS_AN_HOUR`] an hour;
//! the log line of a push that failed with 500 names its station; a lookup secret typed
//! in lower case with spaces finds the dossier; a database that refuses connections gets
//! a prompt 503 that says so (PostgreSQL behind a relay the test stops and starts).

mod common;

use common::{
    Backend, Hub, free_port, head_seq, http, journal_json, motcua, ok, receive, run, seed, station,
    with_postgres, with_sqlite,
};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn credential(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("sync.credential"))
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn a_refused_head_leaves_an_alert_sqlite() {
    with_sqlite(a_refused_head_leaves_an_alert);
}

#[test]
fn a_refused_head_leaves_an_alert_postgres() {
    with_postgres("refused_head", a_refused_head_leaves_an_alert);
}

fn a_refused_head_leaves_an_alert(b: &Backend) {
    let hub = Hub::start(b);
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1);
    seed(d.path(), 3, 1);
    hub.enroll(d.path(), 1);
    // The genuine batch with its head's signature altered (one hex digit changed).
    let (events, mut head) = journal_json(d.path());
    let sig = head["signature"].as_str().unwrap().to_string();
    let flipped = if sig.starts_with('0') { "1" } else { "0" };
    head["signature"] = format!("{flipped}{}", &sig[1..]).into();
    let body = serde_json::json!({
        "station_id": "000.17.22.H56#1",
        "head": head,
        "events": events,
    });
    let (status, answer) = http(
        hub.port,
        "POST",
        "/api/v1/push",
        &[
            ("Authorization", &format!("Bearer {}", credential(d.path()))),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    );
    let answer = String::from_utf8_lossy(&answer).to_string();
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("chữ ký đầu nhật ký"), "{answer}");
    assert_eq!(
        hub.count("SELECT count(*) FROM events"),
        0,
        "nothing stored"
    );
    assert_eq!(
        hub.count(
            "SELECT count(*) FROM alerts WHERE station_id = '000.17.22.H56#1'
             AND detail LIKE '%chữ ký đầu nhật ký không hợp lệ%'"
        ),
        1,
        "the refused head is flagged for provincial IT"
    );
    // The genuine batch is taken afterwards.
    ok(motcua(d.path()).args(["sync", "--once"]));
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE outcome = 'accepted'"),
        head_seq(d.path())
    );
}

#[test]
fn a_flood_of_refused_heads_from_one_station_keeps_a_bounded_number_of_alerts() {
    with_sqlite(|b| {
        let hub = Hub::start(b);
        let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for (d, n) in [(&d1, 1), (&d2, 2)] {
            station(d.path(), n);
            seed(d.path(), 2, 1);
            hub.enroll(d.path(), n);
        }
        // Station 1's genuine batch under a bad signature, sent again and again (as a
        // stolen credential could, as fast as the hub answers).
        let bad_push = |dir: &Path, station_id: &str| {
            let (events, mut head) = journal_json(dir);
            let sig = head["signature"].as_str().unwrap().to_string();
            let flipped = if sig.starts_with('0') { "1" } else { "0" };
            head["signature"] = format!("{flipped}{}", &sig[1..]).into();
            let body = serde_json::json!({
                "station_id": station_id, "head": head, "events": events,
            });
            let (status, _) = http(
                hub.port,
                "POST",
                "/api/v1/push",
                &[
                    ("Authorization", &format!("Bearer {}", credential(dir))),
                    ("Content-Type", "application/json"),
                ],
                body.to_string().as_bytes(),
            );
            assert_eq!(status, 400);
        };
        let limit = motcua_hub::db::ALERTS_AN_HOUR;
        for _ in 0..limit + 20 {
            bad_push(d1.path(), "000.17.22.H56#1");
        }
        let count = |station: &str| {
            hub.count(&format!(
                "SELECT count(*) FROM alerts WHERE station_id = '{station}'"
            ))
        };
        assert_eq!(
            count("000.17.22.H56#1"),
            limit + 1,
            "the limit and one that says so"
        );
        assert_eq!(
            hub.count(
                "SELECT count(*) FROM alerts WHERE station_id = '000.17.22.H56#1'
                 AND detail LIKE '%không ghi thêm cảnh báo của quầy%'
                 AND detail LIKE '%chữ ký đầu nhật ký không hợp lệ%'"
            ),
            1
        );
        // Another station's alerts are its own.
        bad_push(d2.path(), "000.17.22.H56#2");
        assert_eq!(count("000.17.22.H56#2"), 1);
        // And the flooded station's genuine batch is still taken.
        ok(motcua(d1.path()).args(["sync", "--once"]));
        assert_eq!(
            hub.count(
                "SELECT count(*) FROM events WHERE station_id = '000.17.22.H56#1'
                 AND outcome = 'accepted'"
            ),
            head_seq(d1.path())
        );
    });
}

#[test]
fn the_log_line_of_a_failed_push_names_its_station() {
    with_sqlite(|b| {
        let logs = tempfile::tempdir().unwrap();
        let log = logs.path().join("hub.log");
        let hub = Hub::start_logged(b, &log);
        let d = tempfile::tempdir().unwrap();
        station(d.path(), 1);
        seed(d.path(), 3, 2);
        hub.enroll(d.path(), 1);
        // The register table fails (a disk hiccup): the push is answered 500.
        b.exec(
            "CREATE TRIGGER hiccup BEFORE INSERT ON dossiers
             BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;",
        );
        let out = run(motcua(d.path()).args(["sync", "--once"]));
        assert!(!out.status.success(), "the batch failed");
        std::thread::sleep(Duration::from_millis(200));
        let text = std::fs::read_to_string(&log).unwrap();
        let failed: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("route=/api/v1/push") && l.contains("status=500"))
            .collect();
        assert!(!failed.is_empty(), "{text}");
        for l in failed {
            assert!(l.contains("station=000.17.22.H56#1"), "{l}");
        }
    });
}

#[test]
fn a_lookup_secret_typed_in_lower_case_finds_the_dossier() {
    with_sqlite(|b| {
        let hub = Hub::start(b);
        let d = tempfile::tempdir().unwrap();
        station(d.path(), 1);
        hub.enroll(d.path(), 1);
        let code = receive(d.path(), "Nguyễn Văn An");
        ok(motcua(d.path()).args(["sync", "--once"]));
        let c = rusqlite::Connection::open(d.path().join("motcua.sqlite")).unwrap();
        let secret: String = c
            .query_row(
                "SELECT lookup_secret FROM dossiers WHERE code = ?1",
                [&code],
                |r| r.get(0),
            )
            .unwrap();
        let typed = format!("%20{}%20", secret.to_lowercase());
        let (st, page) = http(
            hub.port,
            "GET",
            &format!("/tra-cuu?ma={code}&mk={typed}"),
            &[],
            b"",
        );
        let page = String::from_utf8_lossy(&page).to_string();
        assert_eq!(st, 200, "{page}");
        assert!(page.contains("Tình trạng hồ sơ"), "{page}");
        assert!(page.contains("N. V. An"), "{page}");
    });
}

/// A TCP relay to the PostgreSQL server on a port of its own, which the test stops (the
/// port then refuses connections and the relayed ones are cut) and starts again.
struct Relay {
    port: u16,
    stop: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
    accept: Option<std::thread::JoinHandle<()>>,
}

impl Relay {
    fn start(port: u16) -> Relay {
        let l = TcpListener::bind(("127.0.0.1", port)).expect("relay port");
        l.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let streams = Arc::new(Mutex::new(Vec::new()));
        let (s, st) = (stop.clone(), streams.clone());
        let accept = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                let Ok((client, _)) = l.accept() else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                client.set_nonblocking(false).unwrap();
                let Ok(server) = TcpStream::connect(("127.0.0.1", 5432)) else {
                    continue;
                };
                let mut held = st.lock().unwrap();
                held.push(client.try_clone().unwrap());
                held.push(server.try_clone().unwrap());
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Both);
                    });
                }
            }
        });
        Relay {
            port,
            stop,
            streams,
            accept: Some(accept),
        }
    }

    /// The database "stops": no new connection, every open one cut.
    fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(a) = self.accept.take() {
            a.join().unwrap();
        }
        for s in self.streams.lock().unwrap().drain(..) {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop();
    }
}

#[test]
fn a_database_that_refuses_connections_gets_a_prompt_503_postgres() {
    with_postgres("db_refused", |b| {
        let Backend::Postgres { url, schema } = b else {
            unreachable!()
        };
        let mut relay = Relay::start(free_port());
        let via = Backend::Postgres {
            url: url.replace("port=5432", &format!("port={}", relay.port)),
            schema: schema.clone(),
        };
        let hub = Hub::start(&via);
        let d = tempfile::tempdir().unwrap();
        station(d.path(), 1);
        seed(d.path(), 3, 3);
        hub.enroll(d.path(), 1);
        ok(motcua(d.path()).args(["sync", "--once"]));
        let code: String = rusqlite::Connection::open(d.path().join("motcua.sqlite"))
            .unwrap()
            .query_row("SELECT code FROM dossiers LIMIT 1", [], |r| r.get(0))
            .unwrap();

        relay.stop();
        let words = "không kết nối được cơ sở dữ liệu";
        for path in [
            "/healthz".to_string(),
            format!("/tra-cuu?ma={code}&mk=ABCDEF"),
        ] {
            let t = Instant::now();
            let (st, body) = http(hub.port, "GET", &path, &[], b"");
            let took = t.elapsed();
            let body = String::from_utf8_lossy(&body).to_string();
            assert_eq!(st, 503, "{path} after {took:?}: {body}");
            assert!(body.contains(words), "{path}: {body}");
            assert!(
                took < Duration::from_secs(10),
                "{path} answered only after {took:?}"
            );
        }
        receive(d.path(), "Lê Thị Hoa");
        let t = Instant::now();
        let out = run(motcua(d.path()).args(["sync", "--once"]));
        let took = t.elapsed();
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success());
        assert!(said.contains("503") && said.contains(words), "{said}");
        assert!(
            took < Duration::from_secs(20),
            "the push failed after {took:?}"
        );

        // The database comes back: so does the hub, with nothing lost.
        let _relay = Relay::start(relay.port);
        let t = Instant::now();
        while http(hub.port, "GET", "/healthz", &[], b"").0 != 200 {
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "the hub never recovered"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        ok(motcua(d.path()).args(["sync", "--once"]));
        assert_eq!(b.count("SELECT count(*) FROM dossiers"), 4);
    });
}
