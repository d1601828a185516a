//! Load, bounded and on loopback only: 20 stations of three agencies push 1,000 dossiers
//! each at once while another client sends junk and gzip bombs. Every dossier reaches the
//! hub exactly once, `/healthz` answers throughout, and the hub's peak memory is printed
//! (a figure, not an assertion). On SQLite and on PostgreSQL.

mod common;

use common::{
    Backend, Hub, head_seq, http, motcua, run, seed, station_of, with_postgres, with_sqlite,
};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const STATIONS: usize = 20;
const DOSSIERS: u64 = 1000;
const AGENCIES: [&str; 3] = ["000.17.22.H56", "000.17.22.H57", "000.17.22.H58"];

#[test]
fn twenty_stations_under_junk_sqlite() {
    with_sqlite(twenty_stations_under_junk);
}

#[test]
fn twenty_stations_under_junk_postgres() {
    with_postgres("load_twenty", twenty_stations_under_junk);
}

/// gzip of `head` then `n` bytes `fill`.
fn gzip_of(head: &[u8], fill: u8, n: usize) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(head).unwrap();
    let chunk = vec![fill; 1 << 20];
    for _ in 0..n / chunk.len() {
        gz.write_all(&chunk).unwrap();
    }
    gz.finish().unwrap()
}

fn twenty_stations_under_junk(b: &Backend) {
    let hub = Hub::start(b);
    let t0 = Instant::now();
    let dirs: Vec<(tempfile::TempDir, &str, u8)> = (0..STATIONS)
        .map(|i| {
            let n = u8::try_from(i / AGENCIES.len() + 1).unwrap();
            (
                tempfile::tempdir().unwrap(),
                AGENCIES[i % AGENCIES.len()],
                n,
            )
        })
        .collect();
    // Stations are set up and seeded in parallel, enrolled one by one.
    std::thread::scope(|sc| {
        for chunk in dirs.chunks(5) {
            sc.spawn(move || {
                for (d, agency, n) in chunk {
                    station_of(d.path(), agency, *n);
                    seed(
                        d.path(),
                        DOSSIERS,
                        u64::from(*n) * 100 + agency.len() as u64,
                    );
                }
            });
        }
    });
    for (d, agency, n) in &dirs {
        hub.enroll_of(d.path(), agency, *n);
    }
    // The junk client has a credential of its own (agency H59, station 1).
    let junk_dir = tempfile::tempdir().unwrap();
    station_of(junk_dir.path(), "000.17.22.H59", 1);
    hub.enroll_of(junk_dir.path(), "000.17.22.H59", 1);
    let cred = std::fs::read_to_string(junk_dir.path().join("sync.credential")).unwrap();
    let auth = format!("Bearer {}", cred.trim());
    let setup = t0.elapsed();

    let bombs = [
        gzip_of(br#"{"station_id":""#, b'a', 32 << 20),
        gzip_of(br#"{"station_id":"#, b' ', 32 << 20),
        gzip_of(b"", 0, 32 << 20),
    ];
    let done = Arc::new(AtomicBool::new(false));
    let health_max_us = Arc::new(AtomicU64::new(0));
    let health_polls = Arc::new(AtomicU64::new(0));
    let health_failures = Arc::new(Mutex::new(Vec::<u16>::new()));
    let junk_answers = Arc::new(Mutex::new(BTreeMap::<u16, u64>::new()));
    let retries = AtomicU64::new(0);
    let t1 = Instant::now();
    std::thread::scope(|sc| {
        {
            let (done, max, polls, fails) = (
                done.clone(),
                health_max_us.clone(),
                health_polls.clone(),
                health_failures.clone(),
            );
            let port = hub.port;
            sc.spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let (st, _) = http(port, "GET", "/healthz", &[], b"");
                    let us = u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX);
                    max.fetch_max(us, Ordering::Relaxed);
                    polls.fetch_add(1, Ordering::Relaxed);
                    if st != 200 {
                        fails.lock().unwrap().push(st);
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            });
        }
        {
            let (done, answers, auth, bombs) = (done.clone(), junk_answers.clone(), &auth, &bombs);
            let port = hub.port;
            sc.spawn(move || {
                let json = [("Content-Type", "application/json")];
                let mut i = 0usize;
                while !done.load(Ordering::Relaxed) {
                    let a = ("Authorization", auth.as_str());
                    let gz = ("Content-Encoding", "gzip");
                    let ct = json[0];
                    let (st, _) = match i % 6 {
                        0..=2 => http(port, "POST", "/api/v1/push", &[a, ct, gz], &bombs[i % 3]),
                        3 => http(
                            port,
                            "POST",
                            "/api/v1/push",
                            &[a, ct],
                            b"{\"events\": [1, 2",
                        ),
                        4 => http(
                            port,
                            "POST",
                            "/api/v1/push",
                            &[a, ("Content-Type", "text/plain")],
                            b"xin chao",
                        ),
                        _ => http(port, "POST", "/api/v1/push", &[ct, gz], &bombs[0]),
                    };
                    *answers.lock().unwrap().entry(st).or_default() += 1;
                    i += 1;
                }
            });
        }
        let syncs: Vec<_> = dirs
            .iter()
            .map(|(d, _, _)| {
                let retries = &retries;
                sc.spawn(move || {
                    // As the counter's background loop does: sync again until nothing waits.
                    for _ in 0..40 {
                        let out = run(motcua(d.path()).args(["sync", "--once"]));
                        if out.status.success() {
                            return;
                        }
                        retries.fetch_add(1, Ordering::Relaxed);
                        std::thread::sleep(Duration::from_millis(500));
                    }
                    panic!("station {} never finished its sync", d.path().display());
                })
            })
            .collect();
        for s in syncs {
            if let Err(e) = s.join() {
                done.store(true, Ordering::Relaxed);
                std::panic::resume_unwind(e);
            }
        }
        done.store(true, Ordering::Relaxed);
    });
    let sync_time = t1.elapsed();

    let total = (STATIONS as u64 * DOSSIERS) as i64;
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), total);
    assert_eq!(
        hub.count("SELECT count(DISTINCT code) FROM dossiers"),
        total
    );
    for (d, agency, n) in &dirs {
        assert_eq!(
            hub.count(&format!(
                "SELECT count(*) FROM events WHERE station_id = '{agency}#{n}' AND outcome = 'accepted'"
            )),
            head_seq(d.path()),
            "{agency}#{n}"
        );
    }
    let fails = health_failures.lock().unwrap().clone();
    assert!(fails.is_empty(), "/healthz failed: {fails:?}");
    let answers = junk_answers.lock().unwrap().clone();
    assert!(
        answers.keys().all(|s| (400..500).contains(s) || *s == 503),
        "junk answered {answers:?}"
    );
    let (st, metrics) = http(hub.port, "GET", "/metrics", &[], b"");
    assert_eq!(st, 200);
    let metrics = String::from_utf8_lossy(&metrics).to_string();
    let accepted = metrics
        .lines()
        .find_map(|l| l.strip_prefix("motcua_hub_push_items_total{outcome=\"accepted\"} "))
        .unwrap_or("?");
    eprintln!(
        "load ({}): {STATIONS} stations x {DOSSIERS} dossiers; setup {:.1} s, sync {:.1} s; \
         {total} dossiers at the hub exactly once ({accepted} events accepted); \
         {} sync retries; /healthz {} polls, max {:.1} ms; junk answers {answers:?}; \
         hub peak RSS {} KiB",
        if matches!(b, Backend::Postgres { .. }) {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        setup.as_secs_f64(),
        sync_time.as_secs_f64(),
        retries.load(Ordering::Relaxed),
        health_polls.load(Ordering::Relaxed),
        health_max_us.load(Ordering::Relaxed) as f64 / 1000.0,
        hub.peak_rss_kib(),
    );
}
