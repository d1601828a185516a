//! The hub's HTTP edges against a real hub on 127.0.0.1: bounded push memory (gzip bombs
//! refused at the cap, pushes over the body budget or a station's second push at once
//! answered 503 with Retry-After),
//! JSON error bodies for 413 and 415, `since` within BIGINT, the lookup page's headers,
//! and the request log and `/metrics` with no personal data.

mod common;

use common::{Backend, Hub, head_seq, http, motcua, ok, seed, station, with_postgres, with_sqlite};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A request on 127.0.0.1; (status, head in lower case, body).
fn http_full(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, Vec<u8>) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP answer");
    let head = String::from_utf8_lossy(&out[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, out[split + 4..].to_vec())
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .map(str::trim)
}

/// The `error` of a JSON error body, asserting it is one.
fn error_of(body: &[u8]) -> String {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_else(|e| {
        panic!(
            "not a JSON error body ({e}): {}",
            String::from_utf8_lossy(body)
        )
    });
    v["error"].as_str().expect("error field").to_string()
}

/// A station set up, enrolled with the hub, and its credential.
fn enrolled(hub: &Hub, dir: &Path, n: u8) -> String {
    station(dir, n);
    hub.enroll(dir, n);
    std::fs::read_to_string(dir.join("sync.credential"))
        .unwrap()
        .trim()
        .to_string()
}

/// gzip of `head` followed by `n` bytes `fill` (a bomb when n is large).
fn gzip_of(head: &[u8], fill: u8, n: usize) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(head).unwrap();
    let chunk = vec![fill; 1 << 20];
    for _ in 0..n / chunk.len() {
        gz.write_all(&chunk).unwrap();
    }
    gz.finish().unwrap()
}

#[test]
fn gzip_bombs_are_refused_at_the_cap_and_memory_stays_bounded() {
    with_sqlite(|b| {
        let hub = Hub::start(b);
        // Six stations, one bomb each (one station has one push admitted at a time).
        let dirs: Vec<_> = (0..6).map(|_| tempfile::tempdir().unwrap()).collect();
        let auths: Vec<String> = dirs
            .iter()
            .zip(1u8..)
            .map(|(d, n)| format!("Bearer {}", enrolled(&hub, d.path(), n)))
            .collect();
        let (s, auth) = (&dirs[0], auths[0].clone());
        // 48 MiB of one JSON string: today's cap (256 MiB) inflated all of it.
        let bomb = gzip_of(br#"{"station_id":""#, b'a', 48 << 20);
        let before = hub.peak_rss_kib();
        let idle = hub.rss_kib();
        let answers: Vec<(u16, Vec<u8>)> = std::thread::scope(|sc| {
            let hs: Vec<_> = auths
                .iter()
                .map(|auth| {
                    sc.spawn(|| {
                        http(
                            hub.port,
                            "POST",
                            "/api/v1/push",
                            &[
                                ("Authorization", auth),
                                ("Content-Type", "application/json"),
                                ("Content-Encoding", "gzip"),
                            ],
                            &bomb,
                        )
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let after = hub.peak_rss_kib();
        eprintln!(
            "six concurrent {} KB gzip bombs (48 MiB JSON string each): hub peak RSS {before} KiB -> {after} KiB",
            bomb.len() / 1000
        );
        for (st, body) in &answers {
            assert_eq!(*st, 413, "{}", String::from_utf8_lossy(body));
            assert!(error_of(body).contains("quá lớn"), "{}", error_of(body));
        }
        // Six bombs each held whole would be 6 × 48 MiB inflated (and more parsed).
        assert!(
            after < 160 * 1024,
            "peak RSS {after} KiB after the bombs (before {before} KiB)"
        );
        // And what the bombs took is handed back: the serving hub runs with glibc's mmap
        // threshold fixed (it executes itself again with it), so the inflated buffers
        // are unmapped when freed instead of staying in the allocator's arenas.
        assert!(
            hub.environment()
                .lines()
                .any(|l| l.starts_with("GLIBC_TUNABLES=")
                    && l.contains("glibc.malloc.mmap_threshold=131072")),
            "the hub runs without its allocator setting:\n{}",
            hub.environment()
        );
        let back = idle + (after - idle) / 2;
        let mut rss = hub.rss_kib();
        for _ in 0..100 {
            if rss <= back {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
            rss = hub.rss_kib();
        }
        eprintln!("resident memory: idle {idle} KiB, peak {after} KiB, after the bombs {rss} KiB");
        assert!(
            rss <= back,
            "the hub kept {rss} KiB after the bombs (idle {idle} KiB, peak {after} KiB)"
        );
        // A body over the cap as sent is refused before it is read: the answer comes
        // to the headers alone.
        let mut c = std::net::TcpStream::connect(("127.0.0.1", hub.port)).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            c,
            "POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{auth_h}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            9 << 20,
            auth_h = format_args!("Authorization: {auth}")
        )
        .unwrap();
        let mut answer = Vec::new();
        let _ = c.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).to_string();
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        let (_, json) = answer.split_once("\r\n\r\n").unwrap();
        assert!(error_of(json.as_bytes()).contains("8 MiB"), "{json}");
        // The hub still takes the station's real batch.
        seed(s.path(), 20, 1);
        ok(motcua(s.path()).args(["sync", "--once"]));
        assert_eq!(
            hub.count("SELECT count(*) FROM events WHERE outcome = 'accepted'"),
            head_seq(s.path())
        );
    });
}

/// A push that announces `len` bytes and sends 2 KiB a second (fast enough not to be cut)
/// until `stop`.
fn trickle(port: u16, cred: &str, len: usize, stop: &AtomicBool) {
    let mut c = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        c,
        "POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {cred}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n{{"
    )
    .unwrap();
    let t = Instant::now();
    while !stop.load(Ordering::Relaxed) && t.elapsed() < Duration::from_secs(55) {
        std::thread::sleep(Duration::from_millis(500));
        if c.write_all(&[b' '; 1024]).is_err() {
            return;
        }
    }
}

/// Waits (at most 30 s) until `/metrics` shows `line`.
fn wait_metric(port: u16, line: &str) {
    let t = Instant::now();
    loop {
        let (_, m) = http(port, "GET", "/metrics", &[], b"");
        if String::from_utf8_lossy(&m).lines().any(|l| l == line) {
            return;
        }
        assert!(t.elapsed() < Duration::from_secs(30), "never saw {line}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn pushes_over_the_body_budget_get_503_with_retry_after() {
    with_sqlite(|b| {
        let hub = Hub::start(b);
        let dirs: Vec<_> = (0..5).map(|_| tempfile::tempdir().unwrap()).collect();
        let creds: Vec<String> = dirs
            .iter()
            .zip(1u8..)
            .map(|(d, n)| enrolled(&hub, d.path(), n))
            .collect();
        let stop = AtomicBool::new(false);
        std::thread::scope(|sc| {
            // Four stations announce the largest body (8 MiB) and send it slowly: they
            // hold the whole body budget (32 MiB) while they last.
            for cred in &creds[..4] {
                let stop = &stop;
                sc.spawn(move || trickle(hub.port, cred, 8 << 20, stop));
            }
            wait_metric(hub.port, "motcua_hub_pushes_in_flight 4");
            let push = |cred: &str| {
                http_full(
                    hub.port,
                    "POST",
                    "/api/v1/push",
                    &[
                        ("Authorization", &format!("Bearer {cred}")),
                        ("Content-Type", "application/json"),
                    ],
                    b"{}",
                )
            };
            // A fifth station waits for room, then is told the hub is busy.
            let (st, head, body) = push(&creds[4]);
            assert_eq!(st, 503, "{}", String::from_utf8_lossy(&body));
            assert_eq!(header(&head, "retry-after"), Some("5"), "{head}");
            assert!(
                error_of(&body).contains("đang bận nhận dữ liệu của các quầy khác"),
                "{}",
                error_of(&body)
            );
            // A second push of a station with one admitted is answered at once.
            let t = Instant::now();
            let (st, head, body) = push(&creds[0]);
            assert_eq!(st, 503, "{}", String::from_utf8_lossy(&body));
            assert_eq!(header(&head, "retry-after"), Some("5"), "{head}");
            assert!(
                error_of(&body).contains("chính quầy này"),
                "{}",
                error_of(&body)
            );
            assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
            stop.store(true, Ordering::Relaxed);
        });
        // The holders went away: the budget comes back and the fifth station syncs.
        seed(dirs[4].path(), 5, 2);
        ok(motcua(dirs[4].path()).args(["sync", "--once"]));
        assert_eq!(
            hub.count("SELECT count(*) FROM events WHERE outcome = 'accepted'"),
            head_seq(dirs[4].path())
        );
    });
}

#[test]
fn non_json_push_is_415_and_413_is_a_json_error_body() {
    with_sqlite(|b| {
        let hub = Hub::start(b);
        let s = tempfile::tempdir().unwrap();
        let cred = enrolled(&hub, s.path(), 1);
        let auth = format!("Bearer {cred}");
        let body = br#"{"station_id":"000.17.22.H56#1","head":{"seq":0,"hash":"x","signature":"y"},"events":[]}"#;
        for ct in [
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            None,
        ] {
            let mut h = vec![("Authorization", auth.as_str())];
            if let Some(ct) = ct {
                h.push(("Content-Type", ct));
            }
            let (st, head, answer) = http_full(hub.port, "POST", "/api/v1/push", &h, body);
            assert_eq!(st, 415, "{ct:?}: {}", String::from_utf8_lossy(&answer));
            assert!(
                header(&head, "content-type")
                    .unwrap()
                    .starts_with("application/json")
            );
            assert!(error_of(&answer).contains("JSON"));
        }
        // application/json with a charset is JSON.
        let (st, _, answer) = http_full(
            hub.port,
            "POST",
            "/api/v1/push",
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json; charset=utf-8"),
            ],
            body,
        );
        assert_ne!(st, 415, "{}", String::from_utf8_lossy(&answer));
        // An enrolment over the body limit: 413 with the JSON error body, in Vietnamese.
        let big = vec![b'x'; 200 * 1024];
        let (st, head, answer) = http_full(
            hub.port,
            "POST",
            "/api/v1/enroll",
            &[("Content-Type", "application/json")],
            &big,
        );
        assert_eq!(st, 413);
        assert!(
            header(&head, "content-type")
                .unwrap()
                .starts_with("application/json")
        );
        assert!(
            error_of(&answer).contains("quá lớn"),
            "{}",
            error_of(&answer)
        );
    });
}

#[test]
fn since_above_bigint_is_refused_sqlite() {
    with_sqlite(since_above_bigint_is_refused);
}

#[test]
fn since_above_bigint_is_refused_postgres() {
    with_postgres("since_bigint", since_above_bigint_is_refused);
}

fn since_above_bigint_is_refused(b: &Backend) {
    let hub = Hub::start(b);
    let s = tempfile::tempdir().unwrap();
    let cred = enrolled(&hub, s.path(), 1);
    let auth = format!("Bearer {cred}");
    for route in ["/api/v1/changes", "/api/v1/journal"] {
        for since in ["9223372036854775808", "18446744073709551615"] {
            let (st, body) = http(
                hub.port,
                "GET",
                &format!("{route}?since={since}"),
                &[("Authorization", &auth)],
                b"",
            );
            assert_eq!(
                st,
                400,
                "{route} {since}: {}",
                String::from_utf8_lossy(&body)
            );
            assert!(error_of(&body).contains("since"));
        }
        let (st, body) = http(
            hub.port,
            "GET",
            &format!("{route}?since=9223372036854775807"),
            &[("Authorization", &auth)],
            b"",
        );
        assert_eq!(st, 200, "{route}: {}", String::from_utf8_lossy(&body));
    }
}

#[test]
fn lookup_page_is_not_cached_loads_nothing_and_429_says_when() {
    with_sqlite(|b| {
        let hub = Hub::start(b);
        let mut last = None;
        for i in 0..21 {
            let (st, head, _) = http_full(
                hub.port,
                "GET",
                "/tra-cuu?ma=000.17.22.H56-261120-0001&mk=ABCDEF",
                &[],
                b"",
            );
            assert_eq!(header(&head, "cache-control"), Some("no-store"), "{head}");
            let csp = header(&head, "content-security-policy").expect("CSP");
            assert!(csp.contains("default-src 'none'"), "{csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
            assert_eq!(header(&head, "referrer-policy"), Some("no-referrer"));
            assert_eq!(st, if i < 20 { 200 } else { 429 });
            last = Some(head);
        }
        let head = last.unwrap();
        let wait: u64 = header(&head, "retry-after")
            .expect("Retry-After on 429")
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
    });
}

#[test]
fn behind_a_trusted_proxy_each_citizen_has_their_own_lookup_budget() {
    with_sqlite(|b| {
        let url = "/tra-cuu?ma=000.17.22.H56-261120-0001&mk=ABCDEF";
        let get = |port, xff: &str| http_full(port, "GET", url, &[("X-Forwarded-For", xff)], b"").0;
        // Trusted: 127.0.0.1 is the proxy, so the forwarded address is counted.
        let hub = Hub::start_with(b, common::free_port(), &["--trusted-proxy", "127.0.0.1"]);
        for _ in 0..20 {
            assert_eq!(get(hub.port, "198.51.100.7"), 200);
        }
        assert_eq!(
            get(hub.port, "198.51.100.7"),
            429,
            "the one citizen's limit"
        );
        assert_eq!(
            get(hub.port, "198.51.100.8"),
            200,
            "another citizen is not held up"
        );
        // A forged left part does not give a fresh budget.
        assert_eq!(get(hub.port, "6.6.6.6, 198.51.100.7"), 429);
        drop(hub);
        // Not trusted (the default): the header is ignored, every request is the peer's.
        let hub = Hub::start(b);
        for i in 0..20 {
            assert_eq!(get(hub.port, &format!("198.51.100.{i}")), 200);
        }
        assert_eq!(get(hub.port, "198.51.100.99"), 429);
    });
}

#[test]
fn request_log_and_metrics_carry_no_personal_data_sqlite() {
    with_sqlite(request_log_and_metrics_carry_no_personal_data);
}

#[test]
fn request_log_and_metrics_carry_no_personal_data_postgres() {
    with_postgres(
        "log_metrics",
        request_log_and_metrics_carry_no_personal_data,
    );
}

fn request_log_and_metrics_carry_no_personal_data(b: &Backend) {
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("hub.log");
    let hub = Hub::start_logged(b, &log);
    let s = tempfile::tempdir().unwrap();
    let cred = enrolled(&hub, s.path(), 1);
    seed(s.path(), 30, 7);
    ok(motcua(s.path()).args(["sync", "--once"]));
    let head = head_seq(s.path());
    let c = rusqlite::Connection::open(s.path().join("motcua.sqlite")).unwrap();
    let (code, secret, name, id_number, phone): (String, String, String, String, String) = c
        .query_row(
            "SELECT code, lookup_secret, applicant_name, id_number, phone FROM dossiers LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let (st, _) = http(
        hub.port,
        "GET",
        &format!("/tra-cuu?ma={code}&mk={secret}"),
        &[],
        b"",
    );
    assert_eq!(st, 200);
    let (st, _) = http(
        hub.port,
        "POST",
        &format!("/api/v1/dossiers/{code}/status"),
        &[
            ("Authorization", "Bearer sai"),
            ("Content-Type", "application/json"),
        ],
        br#"{"status":"processing"}"#,
    );
    assert_eq!(st, 401);
    let (st, metrics) = http(hub.port, "GET", "/metrics", &[], b"");
    assert_eq!(st, 200);
    let metrics = String::from_utf8(metrics).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let text = std::fs::read_to_string(&log).unwrap();

    // One line per request, with method, route, status and duration.
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("ts=")).collect();
    assert!(lines.len() >= 6, "{text}");
    for l in &lines {
        for k in ["method=", "route=", "status=", "duration_ms="] {
            assert!(l.contains(k), "{l}");
        }
    }
    let push = lines
        .iter()
        .find(|l| l.contains("route=/api/v1/push") && l.contains("status=200"))
        .expect("a push line");
    assert!(push.contains("station=000.17.22.H56#1"), "{push}");
    assert!(push.contains(" first_seq=1 "), "{push}");
    assert!(push.contains(&format!(" last_seq={head} ")), "{push}");
    assert!(push.contains(&format!(" accepted={head} ")), "{push}");
    assert!(push.contains(" rejected=0 "), "{push}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("route=/api/v1/dossiers/{code}/status") && l.contains("status=401")),
        "{text}"
    );
    // Nothing personal or secret, in the log or the metrics.
    for (what, v) in [
        ("name", name.as_str()),
        ("ID number", id_number.as_str()),
        ("phone", phone.as_str()),
        ("lookup secret", secret.as_str()),
        ("dossier code", code.as_str()),
        ("credential", cred.as_str()),
    ] {
        assert!(!text.contains(v), "the log holds a {what}: {text}");
        assert!(!metrics.contains(v), "the metrics hold a {what}");
    }
    assert!(!metrics.contains("H56#"), "metrics name stations");

    // The Prometheus text: pushes, items by outcome, latency, pool.
    let value = |name: &str| -> f64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(' ')))
            .unwrap_or_else(|| panic!("{name} missing:\n{metrics}"))
            .parse()
            .unwrap()
    };
    assert!(value("motcua_hub_pushes_total") >= 1.0);
    assert_eq!(
        value("motcua_hub_push_items_total{outcome=\"accepted\"}"),
        head as f64
    );
    assert_eq!(
        value("motcua_hub_push_items_total{outcome=\"rejected\"}"),
        0.0
    );
    assert!(value("motcua_hub_http_request_duration_seconds_count{route=\"/api/v1/push\"}") >= 1.0);
    assert!(value("motcua_hub_db_connections{state=\"max\"}") >= 1.0);
    assert_eq!(value("motcua_hub_push_concurrency_limit"), 4.0);
    assert!(metrics.contains("# TYPE motcua_hub_http_request_duration_seconds histogram"));
}
