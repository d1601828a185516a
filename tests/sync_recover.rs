//! A station never mints a code it already pushed: after an old backup is restored the
//! counter fetches its own journal tail back from the hub before it receives again, and a
//! replacement PC for a station whose disk was lost rebuilds the whole register from the
//! hub, then receives on. Against a real hub on 127.0.0.1, on SQLite and PostgreSQL.

mod common;

use common::{
    Backend, Hub, motcua, ok, receive, run, seed, station, sync_status, with_postgres, with_sqlite,
};
use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

fn codes(dir: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(dir.join("motcua.sqlite")).unwrap();
    let mut st = c
        .prepare("SELECT code FROM dossiers ORDER BY code")
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn quarantined(dir: &Path) -> u64 {
    sync_status(dir)["quarantined"].as_u64().unwrap()
}

#[test]
fn restore_after_sync_never_reissues_a_code_sqlite() {
    with_sqlite(restore_after_sync_never_reissues_a_code);
}

#[test]
fn restore_after_sync_never_reissues_a_code_postgres() {
    with_postgres(
        "restore_after_sync",
        restore_after_sync_never_reissues_a_code,
    );
}

/// Back up, receive 2, sync, restore the backup, receive 4, sync: the 2 come back from
/// the hub with their codes, the 4 new citizens get new codes, nothing is quarantined.
fn restore_after_sync_never_reissues_a_code(b: &Backend) {
    let hub = Hub::start(b);
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1);
    hub.enroll(d.path(), 1);
    let mut issued = Vec::new();
    for i in 0..3 {
        issued.push(receive(d.path(), &format!("Trước sao lưu {i}")));
    }
    let bak = d.path().join("sao-luu.sqlite");
    ok(motcua(d.path()).args(["backup", "-o"]).arg(&bak));
    for i in 0..2 {
        issued.push(receive(d.path(), &format!("Sau sao lưu {i}")));
    }
    ok(motcua(d.path()).args(["sync", "--once"]));
    let restored = ok(motcua(d.path()).arg("restore").arg(&bak));
    assert!(
        restored.contains("Đã lấy lại từ máy chủ tỉnh 2 sự kiện (2 hồ sơ"),
        "restore says what it recovered: {restored}"
    );
    for i in 0..4 {
        issued.push(receive(d.path(), &format!("Sau khôi phục {i}")));
    }
    ok(motcua(d.path()).args(["sync", "--once"]));
    let unique: HashSet<&String> = issued.iter().collect();
    assert_eq!(unique.len(), 9, "a code was issued twice: {issued:?}");
    let mut all = issued.clone();
    all.sort();
    assert_eq!(
        codes(d.path()),
        all,
        "every issued dossier is in the register"
    );
    assert_eq!(quarantined(d.path()), 0, "nothing quarantined");
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 9);
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE outcome = 'rejected'"),
        0
    );
    assert_eq!(hub.count("SELECT count(*) FROM alerts"), 0);
    ok(motcua(d.path()).arg("verify"));
}

#[test]
fn a_replacement_pc_is_rebuilt_from_the_hub_sqlite() {
    with_sqlite(a_replacement_pc_is_rebuilt_from_the_hub);
}

#[test]
fn a_replacement_pc_is_rebuilt_from_the_hub_postgres() {
    with_postgres("replacement_pc", a_replacement_pc_is_rebuilt_from_the_hub);
}

/// 500 synced dossiers, the data directory deleted: a new PC enrols with a fresh token and
/// `--recover`, gets every dossier back with its code and status, verifies, receives on
/// without reusing a code, and its pushes are accepted by the hub.
fn a_replacement_pc_is_rebuilt_from_the_hub(b: &Backend) {
    let hub = Hub::start(b);
    let old = tempfile::tempdir().unwrap();
    station(old.path(), 1);
    add_admin(old.path(), "chi", "mật khẩu cũ của chị");
    seed(old.path(), 500, 7);
    let first = codes(old.path())[0].clone();
    ok(motcua(old.path()).args(["transition", &first, "processing", "--clerk", "lan"]));
    hub.enroll(old.path(), 1);
    ok(motcua(old.path()).args(["sync", "--once"]));
    let before = codes(old.path());
    assert_eq!(before.len(), 500);
    let old_dir = old.path().to_path_buf();
    drop(old);
    assert!(!old_dir.exists(), "the old PC's data is gone");

    let new = tempfile::tempdir().unwrap();
    let token = hub.admin(&[
        "station",
        "add",
        "--agency-id",
        "000.17.22.H56",
        "--station",
        "1",
    ]);
    let mut c = motcua(new.path());
    c.args(["sync", "enroll", "--hub", &hub.url(), "--token", &token])
        .args([
            "--recover",
            "--station-id",
            "000.17.22.H56#1",
            "--admin",
            "chi",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("mật khẩu mới của chị\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("500 hồ sơ"), "{text}");
    assert!(text.contains("lan"), "accounts to reset are named: {text}");
    assert_eq!(codes(new.path()), before, "every dossier with its code");
    let shown = ok(motcua(new.path()).args(["show", &first, "--json"]));
    assert!(shown.contains("\"processing\""), "{shown}");
    ok(motcua(new.path()).arg("verify"));

    // The admin signs in with the new password; the clerk's must be reset first.
    let login = |user: &str, pw: &str| {
        motcua_app::Counter::open(
            motcua_app::Paths::in_dir(new.path()),
            motcua_app::counter::Env::system(),
        )
        .unwrap()
        .login(user, pw)
        .is_ok()
    };
    assert!(login("chi", "mật khẩu mới của chị"));
    assert!(!login("chi", "mật khẩu cũ của chị"));
    assert!(!login("lan", "mật khẩu dài"));

    let before: HashSet<String> = before.into_iter().collect();
    let mut fresh = Vec::new();
    for i in 0..5 {
        let code = receive(new.path(), &format!("Máy mới {i}"));
        assert!(!before.contains(&code), "{code} was issued before the loss");
        fresh.push(code);
    }
    ok(motcua(new.path()).args(["sync", "--once"]));
    assert_eq!(quarantined(new.path()), 0);
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 505);
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE outcome = 'rejected'"),
        0
    );
    ok(motcua(new.path()).arg("verify"));

    // A second rebuild into a directory that already holds a station is refused.
    let again = run(motcua(new.path())
        .args(["sync", "enroll", "--hub", &hub.url(), "--token", "x"])
        .args([
            "--recover",
            "--station-id",
            "000.17.22.H56#1",
            "--admin",
            "chi",
        ])
        .stdin(Stdio::null()));
    assert!(!again.status.success());
}

fn add_admin(dir: &Path, user: &str, password: &str) {
    let mut c = motcua(dir);
    c.args([
        "user",
        "add",
        user,
        "--full-name",
        "Phạm Thị Chi",
        "--role",
        "admin",
    ])
    .arg("--password-stdin")
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut ch = c.spawn().unwrap();
    ch.stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    let out = ch.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
