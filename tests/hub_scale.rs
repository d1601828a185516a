//! The hub scales out as stateless processes over one PostgreSQL database: a station's
//! batches alternate between two hub processes, one of them is killed in the middle of a
//! batch, and every dossier is at the hub exactly once. Idempotency answers, chain
//! positions and feed cursors live in the database, never in a process.

mod common;

use common::{Backend, Hub, head_seq, motcua, ok, run, seed, station, sync_status, with_postgres};
use std::path::Path;
use std::time::Duration;

/// Points the counter at another hub process (what a proxy in front of several does).
fn use_hub(dir: &Path, hub: &Hub) {
    let c = rusqlite::Connection::open(dir.join("motcua.sqlite")).unwrap();
    c.execute("UPDATE sync_state SET hub_url = ?1", [hub.url()])
        .unwrap();
}

#[test]
fn two_hub_processes_on_one_postgresql_take_every_dossier_once() {
    with_postgres("scale_out", two_hub_processes);
}

fn two_hub_processes(b: &Backend) {
    let a = Hub::start(b);
    let mut hub_b = Hub::start(b);
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1);
    let e = tempfile::tempdir().unwrap();
    station(e.path(), 2);
    a.enroll(d.path(), 1);
    hub_b.enroll(e.path(), 2);
    // Batches of 1,000 events alternate between the two processes.
    for round in 0..4u64 {
        seed(d.path(), 600, round + 1);
        seed(e.path(), 300, round + 11);
        let (hd, he) = if round % 2 == 0 {
            (&a, &hub_b)
        } else {
            (&hub_b, &a)
        };
        use_hub(d.path(), hd);
        use_hub(e.path(), he);
        let t = {
            let dir = e.path().to_path_buf();
            std::thread::spawn(move || run(motcua(&dir).args(["sync", "--once"])))
        };
        ok(motcua(d.path()).args(["sync", "--once"]));
        assert!(t.join().unwrap().status.success());
    }
    // Process B is killed while station 1 pushes a batch through it; the counter sees a
    // failed sync, and the next sync through process A lands everything exactly once.
    seed(d.path(), 2500, 99);
    use_hub(d.path(), &hub_b);
    let mut child = motcua(d.path())
        .args(["sync", "--once"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    hub_b.kill();
    let _ = child.wait();
    use_hub(d.path(), &a);
    ok(motcua(d.path()).args(["sync", "--once"]));
    ok(motcua(e.path()).args(["sync", "--once"]));
    for (dir, id) in [(d.path(), "000.17.22.H56#1"), (e.path(), "000.17.22.H56#2")] {
        let s = sync_status(dir);
        assert_eq!(
            (s["pending"].as_i64(), s["quarantined"].as_i64()),
            (Some(0), Some(0)),
            "{id}: {s}"
        );
        assert_eq!(
            b.count(&format!(
                "SELECT count(*) FROM events WHERE station_id = '{id}' AND outcome = 'accepted'"
            )),
            head_seq(dir),
            "{id}: every event once"
        );
    }
    let local = |dir: &Path| -> i64 {
        rusqlite::Connection::open(dir.join("motcua.sqlite"))
            .unwrap()
            .query_row("SELECT count(*) FROM dossiers", [], |r| r.get(0))
            .unwrap()
    };
    let total = local(d.path()) + local(e.path());
    assert_eq!(total, 4 * 900 + 2500);
    assert_eq!(
        b.count("SELECT count(*) FROM dossiers"),
        total,
        "exactly once"
    );
    assert_eq!(
        b.count(
            "SELECT count(*) FROM (SELECT code FROM dossiers GROUP BY code HAVING count(*) > 1) x"
        ),
        0
    );
    assert_eq!(b.count("SELECT count(*) FROM alerts"), 0);
}
