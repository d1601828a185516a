//! `motcua restore` through the real binary: everything about the backup is checked before
//! the live database is touched, and a database set aside is never overwritten.

mod common;

use common::{add_clerk_lan, motcua, ok, receive, run, station};
use std::path::Path;

/// Every file of `dir` (not recursing) with its bytes, sorted by name.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

fn names(s: &[(String, Vec<u8>)]) -> Vec<String> {
    s.iter().map(|f| f.0.clone()).collect()
}

/// A station of agency `agency`, number `n`, with clerk lan (as in the README).
fn station_of(dir: &Path, agency: &str, n: u8) {
    ok(motcua(dir).args([
        "init",
        "--agency-id",
        agency,
        "--agency-name",
        "UBND xã Khác",
        "--station",
        &n.to_string(),
    ]));
    add_clerk_lan(dir);
}

/// Restoring `backup` into `dir` is refused with a Vietnamese reason, the data directory
/// stays byte for byte as it was, and receiving goes on under this station's own code.
fn assert_refused_untouched(dir: &Path, backup: &Path, reason: &str) {
    let before = snapshot(dir);
    let out = run(motcua(dir).arg("restore").arg(backup));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "refused: {err}");
    assert!(err.contains(reason), "{err}");
    assert!(err.contains("không bị thay đổi"), "{err}");
    let after = snapshot(dir);
    assert_eq!(names(&after), names(&before), "no file added or removed");
    assert!(after == before, "the data directory is byte-identical");
    let code = receive(dir, "Sau khi từ chối");
    assert!(code.starts_with("000.17.22.H56-"), "{code}");
    ok(motcua(dir).arg("verify"));
}

#[test]
fn a_backup_of_another_agency_is_refused_before_the_database_is_touched() {
    let t = tempfile::tempdir().unwrap();
    let ours = t.path().join("ours");
    let theirs = t.path().join("theirs");
    station(&ours, 1);
    receive(&ours, "Nguyễn Văn An");
    station_of(&theirs, "000.17.22.H99", 1);
    receive(&theirs, "Lê Thị Bình");
    let bak = t.path().join("theirs.sqlite");
    ok(motcua(&theirs).args(["backup", "-o"]).arg(&bak));
    assert_refused_untouched(&ours, &bak, "quầy khác");
}

#[test]
fn a_backup_of_another_station_of_the_same_agency_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let ours = t.path().join("ours");
    let two = t.path().join("two");
    station(&ours, 1);
    receive(&ours, "Nguyễn Văn An");
    station(&two, 2);
    receive(&two, "Lê Thị Bình");
    let bak = t.path().join("two.sqlite");
    ok(motcua(&two).args(["backup", "-o"]).arg(&bak));
    assert_refused_untouched(&ours, &bak, "quầy số 2");
    // Same agency and number, but another PC's key: refused on the key.
    let twin = t.path().join("twin");
    station(&twin, 1);
    receive(&twin, "Phạm Văn Cường");
    let bak = t.path().join("twin.sqlite");
    ok(motcua(&twin).args(["backup", "-o"]).arg(&bak));
    assert_refused_untouched(&ours, &bak, "station.key");
}

#[test]
fn a_damaged_or_edited_backup_is_refused_before_the_database_is_touched() {
    let t = tempfile::tempdir().unwrap();
    let ours = t.path().join("ours");
    station(&ours, 1);
    receive(&ours, "Nguyễn Văn An");
    let bak = t.path().join("copy.sqlite");
    ok(motcua(&ours).args(["backup", "-o"]).arg(&bak));
    let edited = t.path().join("edited.sqlite");
    std::fs::copy(&bak, &edited).unwrap();
    let c = rusqlite::Connection::open(&edited).unwrap();
    c.execute("UPDATE dossiers SET applicant_name = 'Người khác'", [])
        .unwrap();
    drop(c);
    assert_refused_untouched(&ours, &edited, "can thiệp");
    let junk = t.path().join("junk.sqlite");
    std::fs::write(&junk, vec![7u8; 8192]).unwrap();
    assert_refused_untouched(&ours, &junk, "không khôi phục");
}

#[test]
fn a_database_set_aside_is_never_overwritten() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("d");
    station(&dir, 1);
    let a = receive(&dir, "Nguyễn Văn An");
    let bak = t.path().join("copy.sqlite");
    ok(motcua(&dir).args(["backup", "-o"]).arg(&bak));
    let b = receive(&dir, "Lê Thị Bình");
    // Copies set aside by earlier restores in this second and the next few: they must
    // all survive, whatever second the restores below run in.
    let now = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    let mut planted = Vec::new();
    for s in 0..5 {
        let stamp = (now + chrono::Duration::seconds(s)).format("%Y%m%d%H%M%S");
        let p = dir.join(format!("motcua.sqlite.before-restore-{stamp}"));
        std::fs::write(&p, format!("an earlier copy {s}")).unwrap();
        planted.push(p);
    }
    let first = ok(motcua(&dir).arg("restore").arg(&bak));
    let second = ok(motcua(&dir).arg("restore").arg(&bak));
    for (s, p) in planted.iter().enumerate() {
        assert_eq!(
            std::fs::read_to_string(p).unwrap(),
            format!("an earlier copy {s}"),
            "{} was overwritten",
            p.display()
        );
    }
    let aside_of = |out: &str| -> std::path::PathBuf {
        let line = out
            .lines()
            .find(|l| l.starts_with("Cơ sở dữ liệu cũ được giữ lại tại "))
            .unwrap_or_else(|| panic!("where the old database went: {out}"));
        line.trim_start_matches("Cơ sở dữ liệu cũ được giữ lại tại ")
            .trim_end_matches('.')
            .into()
    };
    let (p1, p2) = (aside_of(&first), aside_of(&second));
    assert_ne!(p1, p2);
    // The first copy set aside still holds B, received after the backup.
    let has = |db: &Path, code: &str| -> bool {
        let c = rusqlite::Connection::open(db).unwrap();
        c.query_row(
            "SELECT count(*) FROM dossiers WHERE code = ?1",
            [code],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    };
    assert!(has(&p1, &b) && has(&p1, &a), "first copy set aside");
    assert!(has(&p2, &a) && !has(&p2, &b), "second copy set aside");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for p in [&p1, &p2] {
            let mode = std::fs::metadata(p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", p.display());
        }
    }
    // The live database is the backup's state, and no temporary file is left.
    assert!(has(&dir.join("motcua.sqlite"), &a));
    assert!(!has(&dir.join("motcua.sqlite"), &b));
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.contains("restore-") && n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_stale_wal_of_the_replaced_database_is_not_replayed_into_the_restored_one() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("d");
    station(&dir, 1);
    let a = receive(&dir, "Nguyễn Văn An");
    let bak = t.path().join("copy.sqlite");
    ok(motcua(&dir).args(["backup", "-o"]).arg(&bak));
    // A crashed app leaves a -wal holding committed dossiers: keep a connection open
    // with auto-checkpoint off, write, and copy the -wal and -shm as a crash leaves them.
    let db = dir.join("motcua.sqlite");
    let wal = dir.join("motcua.sqlite-wal");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;")
            .unwrap();
        c.execute(
            "INSERT INTO settings(key, value) VALUES ('crash-marker', 'x')",
            [],
        )
        .unwrap();
        std::fs::copy(&wal, t.path().join("wal")).unwrap();
        std::fs::copy(dir.join("motcua.sqlite-shm"), t.path().join("shm")).unwrap();
    }
    std::fs::copy(t.path().join("wal"), &wal).unwrap();
    std::fs::copy(t.path().join("shm"), dir.join("motcua.sqlite-shm")).unwrap();
    let out = ok(motcua(&dir).arg("restore").arg(&bak));
    assert!(out.contains("Đã khôi phục"), "{out}");
    ok(motcua(&dir).arg("verify"));
    let c = rusqlite::Connection::open(&db).unwrap();
    let marker: i64 = c
        .query_row(
            "SELECT count(*) FROM settings WHERE key = 'crash-marker'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        marker, 0,
        "the old -wal was not replayed into the restored file"
    );
    let ok_: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok_, "ok");
    let n: i64 = c
        .query_row("SELECT count(*) FROM dossiers WHERE code = ?1", [&a], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(n, 1);
}
