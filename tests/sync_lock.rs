//! Only one process of a data directory pushes to the hub at a time, and a holder that
//! dies cannot keep the others from syncing: the lock is the operating system's, held on
//! `sync.lock`, and goes away with its process.

mod common;

use common::{motcua, require_tool, run, station};
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn a_second_syncer_waits_and_a_killed_holder_frees_the_lock() {
    if !require_tool("flock") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    station(&d, 1);
    // Another process holds the lock (flock -o: only flock itself holds it, not its child).
    let mut holder = Command::new("flock")
        .args(["-o"])
        .arg(d.join("sync.lock"))
        .args(["sleep", "60"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let out = run(motcua(&d).args(["sync", "--once"]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("đang đồng bộ"), "{err}");
    // The holder dies without letting go: the next sync is not blocked by it (here it
    // then stops because this station never enrolled).
    holder.kill().unwrap();
    holder.wait().unwrap();
    let out = run(motcua(&d).args(["sync", "--once"]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("chưa đăng ký"), "{err}");
}
