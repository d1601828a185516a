//! The counter meets the hub's push limits. A batch the hub refuses as too large (413) is
//! halved and sent again, and the smaller size kept for the run; one event too large on
//! its own stops the run with a message naming it, nothing quarantined or lost. A busy hub
//! (503 with Retry-After) is waited for as it asks, in the run and in the loop, and is not
//! an outage.
//!
//! A real hub on 127.0.0.1 answers the 413 (dossiers with 100 long documents: 8 MiB of JSON
//! in about 170 events) and the 503 (an upload of the station's own that has not finished
//! holds the station's one push place).
//! A single event over the hub's 8 MiB cannot be made with valid input (a dossier is at
//! most about 100 KB), and a hub that stays busy would need many slot holders for minutes:
//! those two cases run against a small fake hub in this file, which answers 413 above a
//! JSON size it is given and 503 to as many pushes as it is told.

mod common;

use common::{Backend, Hub, head_seq, motcua, ok, run, seed, station, sync_status};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Receives `count` dossiers of 100 documents of up to 300 characters and a 2000-character
/// note (the most the forms take), in this process: about 48 KB of payload each.
fn receive_large(dir: &Path, count: usize) -> Vec<String> {
    let mut c = motcua_app::Counter::open(
        motcua_app::Paths::in_dir(dir),
        motcua_app::counter::Env::system(),
    )
    .expect("open the counter");
    let note: String = "Hồ sơ đất đai nộp kèm bản đồ địa chính, biên bản xác minh ranh giới. "
        .repeat(40)
        .chars()
        .take(2000)
        .collect();
    (0..count)
        .map(|n| {
            let documents = (1..=100)
                .map(|i| {
                    let name = format!(
                        "Bản sao chứng thực giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất của hộ ông Nguyễn Văn Đức, thửa đất số {i}, tờ bản đồ số {n}, xã Tân Lập, huyện Triệu Sơn, tỉnh Thanh Hóa; kèm trích lục bản đồ địa chính và sơ đồ thửa đất"
                    );
                    motcua_core::dossier::DocumentInput::new(
                        name.chars().take(300).collect::<String>(),
                        motcua_core::dossier::DocumentKind::CertifiedCopy,
                        1,
                    )
                })
                .collect();
            let form = motcua_app::ReceiveForm {
                clerk: "lan".into(),
                procedure: "1.001193".into(),
                input: motcua_core::dossier::DossierInput {
                    applicant_name: format!("Nguyễn Văn Đức {n}"),
                    address: Some(
                        "Thôn Đông Hưng, xã Tân Lập, huyện Triệu Sơn, tỉnh Thanh Hóa".into(),
                    ),
                    documents,
                    sets: 1,
                    note: Some(note.clone()),
                    ..Default::default()
                },
                received_at: None,
                request_id: None,
            };
            c.receive(&form)
                .expect("a large but valid dossier")
                .dossier
                .code
                .to_string()
        })
        .collect()
}

/// The JSON report `motcua sync --once` prints after its summary line.
fn report_of(stdout: &str) -> serde_json::Value {
    let json = &stdout[stdout.find('{').expect("a JSON report")..];
    serde_json::from_str(json).expect("report json")
}

/// The hub's request log lines for pushes: (time, status, the whole line).
fn push_lines(log: &Path) -> Vec<(chrono::DateTime<chrono::FixedOffset>, u16, String)> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("route=/api/v1/push "))
        .map(|l| {
            let field = |k: &str| {
                l.split_whitespace()
                    .find_map(|f| f.strip_prefix(k))
                    .unwrap_or_default()
                    .to_string()
            };
            (
                chrono::DateTime::parse_from_rfc3339(&field("ts=")).expect("ts"),
                field("status=").parse().expect("status"),
                l.to_string(),
            )
        })
        .collect()
}

/// The codes of the dossiers the hub holds.
fn hub_codes(b: &Backend) -> HashSet<String> {
    let Backend::Sqlite(p) = b else {
        unreachable!("these tests run the hub on SQLite")
    };
    let c = rusqlite::Connection::open(p).unwrap();
    let mut st = c.prepare("SELECT code FROM dossiers").unwrap();
    st.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_batch_too_large_for_the_hub_is_halved_and_everything_arrives_once() {
    let hd = tempfile::tempdir().unwrap();
    let backend = Backend::sqlite(hd.path());
    let log = hd.path().join("hub.log");
    let hub = Hub::start_logged(&backend, &log);
    let s = tempfile::tempdir().unwrap();
    station(s.path(), 1);
    let codes = receive_large(s.path(), 230);
    hub.enroll(s.path(), 1);
    let head = head_seq(s.path());
    let out = ok(motcua(s.path()).args(["sync", "--once"]));
    let r = report_of(&out);

    // The whole outbox (233 events, 10.4 MB of JSON) was refused once, then went in
    // halves (about 5 MB): the smaller size was kept for the run.
    let half = head / 2;
    let batches = (head + half - 1) / half;
    let pushes = push_lines(&log);
    let refused: Vec<_> = pushes.iter().filter(|p| p.1 == 413).collect();
    assert_eq!(refused.len(), 1, "{pushes:#?}");
    assert!(refused[0].2.contains("error=too_large"), "{}", refused[0].2);
    assert_eq!(r["batch_halvings"], 1, "{r}");
    assert_eq!(r["batch_limit"].as_i64(), Some(half), "{r}");
    assert_eq!(r["batches"].as_i64(), Some(batches), "{r}");
    assert_eq!(r["accepted"].as_i64(), Some(head), "{r}");
    let taken: Vec<_> = pushes.iter().filter(|p| p.1 == 200).collect();
    assert_eq!(taken.len() as i64, batches, "{pushes:#?}");
    for (i, p) in taken.iter().enumerate() {
        let events = (head - i as i64 * half).min(half);
        assert!(p.2.contains(&format!(" events={events} ")), "{}", p.2);
    }

    // Every dossier arrived exactly once; every event accepted; one idempotency key per
    // batch stored; nothing left, nothing quarantined.
    assert_eq!(hub_codes(&backend), codes.iter().cloned().collect());
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 230);
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE outcome = 'accepted'"),
        head
    );
    assert_eq!(
        hub.count("SELECT count(DISTINCT key) FROM idempotency"),
        batches
    );
    let st = sync_status(s.path());
    assert_eq!(st["pending"], 0, "{st}");
    assert_eq!(st["quarantined"], 0, "{st}");
    assert_eq!(st["online"], true, "{st}");
    ok(motcua(s.path()).arg("verify"));

    // The next run starts at the full size again and has nothing to send.
    let r = report_of(&ok(motcua(s.path()).args(["sync", "--once"])));
    assert_eq!(
        (r["batches"].as_i64(), r["batch_halvings"].as_i64()),
        (Some(0), Some(0))
    );
}

#[test]
fn a_busy_hub_is_waited_for_as_it_asks_and_is_not_an_outage() {
    let hd = tempfile::tempdir().unwrap();
    let backend = Backend::sqlite(hd.path());
    let log = hd.path().join("hub.log");
    let hub = Hub::start_logged(&backend, &log);
    let s = tempfile::tempdir().unwrap();
    station(s.path(), 1);
    seed(s.path(), 20, 1);
    hub.enroll(s.path(), 1);
    let cred = std::fs::read_to_string(s.path().join("sync.credential")).unwrap();
    // An upload of the station's own that has not finished (a stale connection of the
    // counter's, or someone with its credential) holds the station's one push place: it
    // announces a body and sends it slowly, just fast enough not to be cut.
    let stop = Arc::new(AtomicBool::new(false));
    let holder = {
        let (stop, port, cred) = (stop.clone(), hub.port, cred.trim().to_string());
        std::thread::spawn(move || {
            let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
            write!(
                c,
                "POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {cred}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{{"
            )
            .unwrap();
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(500));
                if c.write_all(&[b' '; 1024]).is_err() {
                    return;
                }
            }
        })
    };
    wait_for("the holder to be admitted", || {
        let (_, m) = common::http(hub.port, "GET", "/metrics", &[], b"");
        String::from_utf8_lossy(&m).contains("\nmotcua_hub_pushes_in_flight 1\n")
    });

    // The counter's push is answered 503 with Retry-After: 5 at once, and waits.
    let child = motcua(s.path())
        .args(["sync", "--once"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the hub to answer the counter's push 503", || {
        push_lines(&log).iter().any(|p| p.1 == 503)
    });
    stop.store(true, Ordering::Relaxed);
    holder.join().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report_of(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(r["busy_waits"], 1, "{r}");
    assert_eq!(r["busy_wait_secs"], 5, "{r}");

    // The hub saw the same batch again no sooner than it asked.
    let pushes = push_lines(&log);
    let busy = pushes.iter().find(|p| p.1 == 503).unwrap();
    assert!(busy.2.contains("error=station_busy"), "{}", busy.2);
    assert!(busy.2.contains("station=000.17.22.H56#1"), "{}", busy.2);
    let taken: Vec<_> = pushes.iter().filter(|p| p.1 == 200).collect();
    assert_eq!(taken.len(), 1, "{pushes:#?}");
    let waited = taken[0].0 - busy.0;
    assert!(
        waited >= chrono::Duration::seconds(5),
        "sent again after {waited} (the hub asked for 5 s)\n{pushes:#?}"
    );

    let head = head_seq(s.path());
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 20);
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE outcome = 'accepted'"),
        head
    );
    let st = sync_status(s.path());
    assert_eq!(st["pending"], 0, "{st}");
    assert_eq!(st["online"], true, "{st}");
    assert_eq!(st["failures"], 0, "{st}");
    assert!(st["last_error"].is_null(), "{st}");
}

/// Polls `cond` every 50 ms, for at most 60 s.
fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let t = Instant::now();
    while !cond() {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "waited 60 s for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---- A fake hub with limits it is told. ----

/// One push the fake hub answered.
#[derive(Debug, Clone)]
struct Seen {
    at: Instant,
    status: u16,
    key: String,
    seqs: Vec<u64>,
}

/// What the fake hub does and saw.
#[derive(Default)]
struct Fake {
    /// Pushes whose JSON (after inflating) is larger get 413.
    json_limit: AtomicUsize,
    /// This many coming pushes get 503 with `Retry-After: 1`.
    busy: AtomicUsize,
    /// The next sequence number it expects (gap-free, like the hub).
    expected: AtomicU64,
    pushes: Mutex<Vec<Seen>>,
    /// Sequence numbers accepted, in order (once each, if the counter is right).
    accepted: Mutex<Vec<u64>>,
    /// The JSON each idempotency key came with.
    keys: Mutex<HashMap<String, Vec<u8>>>,
    /// What went wrong in the counter's requests (a key reused for another content, a
    /// signed head that is not the batch's last event, a body that does not inflate).
    problems: Mutex<Vec<String>>,
}

/// One HTTP request: first line, headers in lower case, body (by Content-Length).
fn read_http(s: &mut TcpStream) -> Option<(String, HashMap<String, String>, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut b = [0u8; 64 * 1024];
    let split = loop {
        let n = s.read(&mut b).ok().filter(|n| *n > 0)?;
        buf.extend_from_slice(&b[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
    };
    let head = String::from_utf8_lossy(&buf[..split]).to_string();
    let mut lines = head.lines();
    let first = lines.next()?.to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[split + 4..].to_vec();
    while body.len() < len {
        let n = s.read(&mut b).ok().filter(|n| *n > 0)?;
        body.extend_from_slice(&b[..n]);
    }
    Some((first, headers, body))
}

fn answer(status: &str, extra: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

impl Fake {
    fn push(&self, headers: &HashMap<String, String>, body: &[u8]) -> String {
        let key = headers.get("idempotency-key").cloned().unwrap_or_default();
        let mut json = Vec::new();
        if flate2::read::GzDecoder::new(body)
            .read_to_end(&mut json)
            .is_err()
        {
            self.problems
                .lock()
                .unwrap()
                .push("a body that is not gzip".into());
            return answer("400 Bad Request", "", r#"{"error":"nội dung nén hỏng"}"#);
        }
        let req: serde_json::Value = serde_json::from_slice(&json).expect("push JSON");
        let events = req["events"].as_array().cloned().unwrap_or_default();
        let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
        let seen = |status| Seen {
            at: Instant::now(),
            status,
            key: key.clone(),
            seqs: seqs.clone(),
        };
        if let Some(prev) = self.keys.lock().unwrap().insert(key.clone(), json.clone())
            && prev != json
        {
            self.problems
                .lock()
                .unwrap()
                .push(format!("key {key} sent with two different contents"));
        }
        let last = events.last().expect("a push has events");
        if req["head"]["seq"] != last["seq"] || req["head"]["hash"] != last["hash"] {
            self.problems.lock().unwrap().push(format!(
                "head {} is not the batch's last event",
                req["head"]
            ));
        }
        if self
            .busy
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok()
        {
            self.pushes.lock().unwrap().push(seen(503));
            return answer(
                "503 Service Unavailable",
                "Retry-After: 1\r\n",
                r#"{"error":"máy chủ tỉnh đang bận"}"#,
            );
        }
        if json.len() > self.json_limit.load(Ordering::Relaxed) {
            self.pushes.lock().unwrap().push(seen(413));
            return answer(
                "413 Payload Too Large",
                "",
                r#"{"error":"nội dung gửi lên quá lớn: một lần gửi tối đa 40 KB JSON"}"#,
            );
        }
        self.pushes.lock().unwrap().push(seen(200));
        let mut results = Vec::new();
        for seq in &seqs {
            let expected = self.expected.load(Ordering::Relaxed);
            let outcome = if *seq == expected {
                self.expected.store(expected + 1, Ordering::Relaxed);
                self.accepted.lock().unwrap().push(*seq);
                "accepted"
            } else if *seq < expected {
                "duplicate"
            } else {
                "gap"
            };
            results.push(serde_json::json!({"seq": seq, "outcome": outcome}));
        }
        let body = serde_json::json!({
            "results": results,
            "expected_seq": self.expected.load(Ordering::Relaxed),
        });
        answer("200 OK", "", &body.to_string())
    }
}

/// Starts the fake hub; it serves until `stop` is set.
fn fake_hub(fake: Arc<Fake>, stop: Arc<AtomicBool>) -> u16 {
    fake.expected.store(1, Ordering::Relaxed);
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    l.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            let Ok((mut s, _)) = l.accept() else {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            };
            s.set_nonblocking(false).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let Some((line, headers, body)) = read_http(&mut s) else {
                continue;
            };
            let reply = if line.contains("/api/v1/enroll") {
                answer(
                    "200 OK",
                    "",
                    r#"{"station_id":"000.17.22.H56#1","credential":"fake-credential"}"#,
                )
            } else if line.starts_with("POST /api/v1/push") {
                fake.push(&headers, &body)
            } else if line.starts_with("GET /api/v1/changes") {
                answer("200 OK", "", r#"{"changes":[],"cursor":0}"#)
            } else {
                answer("404 Not Found", "", r#"{"error":"không tìm thấy"}"#)
            };
            let _ = s.write_all(reply.as_bytes());
        }
    });
    port
}

/// A station enrolled with a fake hub; its directory.
fn station_with_fake(fake: &Arc<Fake>, stop: &Arc<AtomicBool>) -> tempfile::TempDir {
    let port = fake_hub(fake.clone(), stop.clone());
    let s = tempfile::tempdir().unwrap();
    station(s.path(), 1);
    let url = format!("http://127.0.0.1:{port}");
    ok(motcua(s.path()).args(["sync", "enroll", "--hub", &url, "--token", "t"]));
    s
}

#[test]
fn one_event_too_large_alone_stops_the_run_naming_it_and_nothing_is_lost() {
    let fake = Arc::new(Fake::default());
    fake.json_limit.store(40_000, Ordering::Relaxed);
    fake.busy.store(1, Ordering::Relaxed);
    let stop = Arc::new(AtomicBool::new(false));
    let s = station_with_fake(&fake, &stop);
    seed(s.path(), 30, 1);
    receive_large(s.path(), 1);
    let big = head_seq(s.path()) as u64;
    seed(s.path(), 5, 2);
    let head = head_seq(s.path()) as u64;

    let out = run(motcua(s.path()).args(["sync", "--once"]));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("sự kiện số {big} lớn hơn mức máy chủ tỉnh nhận")),
        "{err}"
    );
    assert!(err.contains("vẫn an toàn tại quầy"), "{err}");
    // Everything before the large event went, once each; it and the rest wait in the
    // outbox; nothing is quarantined.
    assert_eq!(*fake.accepted.lock().unwrap(), (1..big).collect::<Vec<_>>());
    let st = sync_status(s.path());
    assert_eq!(st["pending"].as_u64(), Some(head - big + 1), "{st}");
    assert_eq!(st["quarantined"], 0, "{st}");
    let pushes = fake.pushes.lock().unwrap().clone();
    // The first push was answered busy; the same batch (same key) came back a second
    // later, then was halved on each 413 down to the large event alone.
    assert_eq!(pushes[0].status, 503);
    assert_eq!(pushes[1].key, pushes[0].key);
    assert!(pushes[1].at - pushes[0].at >= Duration::from_secs(1));
    let last = pushes.last().unwrap();
    assert_eq!(
        (last.status, last.seqs.clone()),
        (413, vec![big]),
        "{pushes:#?}"
    );
    for w in pushes.windows(2).skip(1) {
        if w[0].status == 413 {
            assert_eq!(w[1].seqs[0], w[0].seqs[0], "{pushes:#?}");
            assert_eq!(w[1].seqs.len(), w[0].seqs.len() / 2, "{pushes:#?}");
        } else {
            // After a batch taken, the next keeps the size (or what is left).
            assert!(w[1].seqs.len() <= w[0].seqs.len(), "{pushes:#?}");
        }
    }

    // The hub's limit is raised: the rest goes, and each event arrived exactly once.
    fake.json_limit.store(1 << 20, Ordering::Relaxed);
    ok(motcua(s.path()).args(["sync", "--once"]));
    assert_eq!(
        *fake.accepted.lock().unwrap(),
        (1..=head).collect::<Vec<_>>()
    );
    let st = sync_status(s.path());
    assert_eq!(
        (st["pending"].as_i64(), st["quarantined"].as_i64()),
        (Some(0), Some(0))
    );
    assert!(
        fake.problems.lock().unwrap().is_empty(),
        "{:?}",
        fake.problems.lock().unwrap()
    );
    // Distinct batches, distinct keys.
    let mut by_key: BTreeMap<String, HashSet<Vec<u64>>> = BTreeMap::new();
    for p in fake.pushes.lock().unwrap().iter() {
        by_key
            .entry(p.key.clone())
            .or_default()
            .insert(p.seqs.clone());
    }
    assert!(by_key.values().all(|v| v.len() == 1), "{by_key:?}");
    stop.store(true, Ordering::Relaxed);
    ok(motcua(s.path()).arg("verify"));
}

#[test]
fn the_loop_comes_back_when_a_busy_hub_asks_not_on_the_outage_backoff() {
    let fake = Arc::new(Fake::default());
    fake.json_limit.store(usize::MAX, Ordering::Relaxed);
    // Busy for two whole runs: the first push and three waits in each.
    let per_run = 1 + 3;
    fake.busy.store(2 * per_run, Ordering::Relaxed);
    let stop = Arc::new(AtomicBool::new(false));
    let s = station_with_fake(&fake, &stop);
    seed(s.path(), 10, 1);
    let out = run(motcua(s.path())
        .args(["sync", "run", "--rounds", "2", "--interval", "0.01"])
        .args([
            "--backoff-base",
            "0.01",
            "--backoff-max",
            "0.02",
            "--timeout",
            "5",
        ]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    let busy_lines = err
        .lines()
        .filter(|l| {
            l.starts_with("Đồng bộ chưa được: máy chủ tỉnh đang bận và đề nghị gửi lại sau 1 giây")
        })
        .count();
    assert_eq!(busy_lines, 2, "{err}");
    let pushes = fake.pushes.lock().unwrap().clone();
    assert_eq!(pushes.len(), 2 * per_run, "{pushes:#?}");
    assert!(pushes.iter().all(|p| p.status == 503));
    // Between the runs the loop waited what the hub asked (1 s), not the backoff (20 ms).
    let between = pushes[per_run].at - pushes[per_run - 1].at;
    assert!(between >= Duration::from_secs(1), "{between:?}");
    // The hub answered all along: online, no failure counted, the reason shown.
    let st = sync_status(s.path());
    assert_eq!(st["online"], true, "{st}");
    assert_eq!(st["failures"], 0, "{st}");
    assert!(
        st["last_error"]
            .as_str()
            .unwrap()
            .starts_with("máy chủ tỉnh đang bận"),
        "{st}"
    );
    assert_eq!(st["pending"].as_i64(), Some(head_seq(s.path())), "{st}");

    // The hub has room again: everything goes once.
    ok(motcua(s.path()).args(["sync", "--once"]));
    let head = head_seq(s.path()) as u64;
    assert_eq!(
        *fake.accepted.lock().unwrap(),
        (1..=head).collect::<Vec<_>>()
    );
    assert_eq!(sync_status(s.path())["pending"], 0);
    assert!(fake.problems.lock().unwrap().is_empty());
    stop.store(true, Ordering::Relaxed);
}
