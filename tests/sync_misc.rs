//! The citizen lookup page (masked name, no enumeration, rate limit), clock skew measured
//! and flagged at the counter, and a burst of concurrent pushes from many stations.

mod common;

use common::{
    Backend, Hub, free_port, http, motcua, ok, seed, station, sync_status, with_postgres,
    with_sqlite,
};

#[test]
fn citizen_lookup_masks_and_does_not_enumerate() {
    let hd = tempfile::tempdir().unwrap();
    let hub = Hub::start(&Backend::sqlite(hd.path()));
    let a = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    seed(a.path(), 3, 1);
    hub.enroll(a.path(), 1);
    ok(motcua(a.path()).args(["sync", "--once"]));
    let c = rusqlite::Connection::open(a.path().join("motcua.sqlite")).unwrap();
    let (code, secret, name): (String, String, String) = c
        .query_row(
            "SELECT code, lookup_secret, applicant_name FROM dossiers LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let get = |q: String| {
        let (st, body) = http(hub.port, "GET", &q, &[], b"");
        (st, String::from_utf8(body).unwrap())
    };
    let enc = |s: &str| s.replace('#', "%23");
    let (st, page) = get(format!("/tra-cuu?ma={}&mk={}", enc(&code), enc(&secret)));
    assert_eq!(st, 200);
    assert!(
        page.contains(&code) && page.contains("Đã tiếp nhận, đang chờ giải quyết"),
        "{page}"
    );
    assert!(page.contains("Hẹn trả kết quả"), "{page}");
    let last = name.split_whitespace().last().unwrap();
    assert!(page.contains(last), "{page}");
    assert!(
        !page.contains(&name) || !name.contains(' '),
        "full name shown: {page}"
    );
    let (_, wrong) = get(format!("/tra-cuu?ma={}&mk=SAI", enc(&code)));
    let (_, unknown) = get("/tra-cuu?ma=000.17.22.H56-000000-0000&mk=SAI".to_string());
    assert_eq!(
        wrong, unknown,
        "a wrong secret must look like an unknown code"
    );
    assert!(!wrong.contains(&code));
    // Rate limit: at most 20 lookups a minute from one address.
    let mut limited = false;
    for _ in 0..25 {
        if get(format!("/tra-cuu?ma={}&mk=x", enc(&code))).0 == 429 {
            limited = true;
            break;
        }
    }
    assert!(limited, "lookups are not rate limited");
}

#[test]
fn clock_skew_is_measured_and_flagged() {
    let hd = tempfile::tempdir().unwrap();
    let b = Backend::sqlite(hd.path());
    let hub = Hub::start_with(&b, free_port(), &["--clock-skew-secs", "600"]);
    let a = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    seed(a.path(), 4, 1);
    hub.enroll(a.path(), 1);
    ok(motcua(a.path()).args(["sync", "--once"]));
    let s = sync_status(a.path());
    let off = s["clock_offset_ms"].as_i64().unwrap();
    assert!((590_000..610_000).contains(&off), "{s}");
    assert_eq!(s["clock_skewed"], true, "{s}");
    assert!(s["clock_flagged_events"].as_i64().unwrap() >= 4, "{s}");
    let text = ok(motcua(a.path()).args(["sync", "status"]));
    assert!(text.contains("đồng hồ máy lệch"), "{text}");
    // With a right clock the flag clears and new records are not flagged.
    drop(hub);
    let hub = Hub::start(&b);
    let flagged = s["clock_flagged_events"].as_i64().unwrap();
    ok(motcua(a.path()).args([
        "sync",
        "enroll",
        "--hub",
        &hub.url(),
        "--token",
        &hub.admin(&[
            "station",
            "add",
            "--agency-id",
            "000.17.22.H56",
            "--station",
            "1",
        ]),
    ]));
    seed(a.path(), 2, 5);
    ok(motcua(a.path()).args(["sync", "--once"]));
    let s = sync_status(a.path());
    assert_eq!(s["clock_skewed"], false, "{s}");
    assert_eq!(s["clock_flagged_events"].as_i64().unwrap(), flagged, "{s}");
}

#[test]
fn concurrent_push_burst_sqlite() {
    with_sqlite(concurrent_push_burst);
}

#[test]
fn concurrent_push_burst_postgres() {
    with_postgres("burst", concurrent_push_burst);
}

fn concurrent_push_burst(b: &Backend) {
    let hub = Hub::start(b);
    let dirs: Vec<tempfile::TempDir> = (0..6).map(|_| tempfile::tempdir().unwrap()).collect();
    for (i, d) in dirs.iter().enumerate() {
        let n = i as u8 + 1;
        station(d.path(), n);
        seed(d.path(), 150, u64::from(n));
        hub.enroll(d.path(), n);
    }
    // All stations push at once, while junk requests hammer the same endpoint.
    let junk: Vec<_> = (0..4)
        .map(|_| {
            let port = hub.port;
            std::thread::spawn(move || {
                for _ in 0..50 {
                    let (st, _) = http(
                        port,
                        "POST",
                        "/api/v1/push",
                        &[
                            ("Authorization", "Bearer nope"),
                            ("Content-Encoding", "gzip"),
                        ],
                        b"\x1f\x8b garbage",
                    );
                    assert!(st == 401 || st == 400, "{st}");
                }
            })
        })
        .collect();
    let children: Vec<_> = dirs
        .iter()
        .map(|d| {
            motcua(d.path())
                .args(["sync", "--once"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    for j in junk {
        j.join().unwrap();
    }
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 900);
    assert_eq!(http(hub.port, "GET", "/healthz", &[], b"").0, 200);
    for d in &dirs {
        assert_eq!(sync_status(d.path())["pending"], 0);
    }
}
