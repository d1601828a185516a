//! A 10,000-dossier backlog built up while the hub was down is delivered when it returns,
//! and the hub is killed with SIGKILL in the middle of the push and restarted: afterwards
//! every dossier is upstream exactly once and nothing is pending at the counter.

mod common;

use common::{
    Backend, Hub, free_port, head_seq, motcua, ok, run, seed, station, sync_status, with_postgres,
    with_sqlite,
};
use std::time::{Duration, Instant};

#[test]
fn outage_backlog_and_sigkill_mid_push_sqlite() {
    with_sqlite(outage_backlog_and_sigkill_mid_push);
}

#[test]
fn outage_backlog_and_sigkill_mid_push_postgres() {
    with_postgres("outage", outage_backlog_and_sigkill_mid_push);
}

fn outage_backlog_and_sigkill_mid_push(db: &Backend) {
    let port = free_port();
    let mut hub = Hub::start_on(db, port);
    let a = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    hub.enroll(a.path(), 1);

    // Outage: the hub is gone while the counter keeps receiving.
    hub.kill();
    seed(a.path(), 10_000, 7);
    let out = run(motcua(a.path()).args(["sync", "--once", "--timeout", "2"]));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("không kết nối được"));
    let s = sync_status(a.path());
    assert_eq!(s["online"], false, "{s}");
    let head = head_seq(a.path());
    assert_eq!(s["pending"].as_i64(), Some(head), "{s}");

    // The hub returns; the loop runs; the hub is SIGKILLed mid-push and comes back.
    let mut hub = Hub::start_on(db, port);
    let mut sync = motcua(a.path())
        .args(["sync", "run", "--interval", "0.2", "--backoff-base", "0.1"])
        .args(["--backoff-max", "0.5", "--until-idle", "--timeout", "10"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let t = Instant::now();
    let mut at_kill = 0;
    while t.elapsed() < Duration::from_secs(60) {
        at_kill = hub.count("SELECT count(*) FROM events");
        if at_kill > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    hub.kill();
    eprintln!("hub killed with {at_kill} of {head} events stored");
    assert!(
        at_kill > 0 && at_kill < head,
        "the kill did not land mid-push"
    );
    std::thread::sleep(Duration::from_millis(500));
    let hub = Hub::start_on(db, port);
    let t = Instant::now();
    let status = loop {
        if let Some(st) = sync.try_wait().unwrap() {
            break st;
        }
        if t.elapsed() > Duration::from_secs(180) {
            let _ = sync.kill();
            panic!("the sync loop did not finish");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());

    let s = sync_status(a.path());
    assert_eq!(
        (s["pending"].as_i64(), s["quarantined"].as_i64()),
        (Some(0), Some(0)),
        "{s}"
    );
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 10_000);
    assert_eq!(hub.count("SELECT count(DISTINCT id) FROM dossiers"), 10_000);
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE outcome = 'accepted'"),
        head
    );
    assert_eq!(hub.count("SELECT max(seq) FROM events"), head);
    ok(motcua(a.path()).arg("verify"));
}
