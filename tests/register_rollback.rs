//! A code printed on a receipt is never issued to another citizen: a mistyped year never
//! blocks the day, a database that went back in time (a deleted `-wal` after a crash, an
//! emptied file beside the station key) is noticed before it mints again, and a retried
//! receive with the same request id returns the first dossier instead of a second one.

mod common;

use common::{motcua, ok, receive, receive_args, run, station};
use std::collections::HashSet;
use std::path::Path;

fn stored_codes(dir: &Path) -> HashSet<String> {
    let c = rusqlite::Connection::open(dir.join("motcua.sqlite")).unwrap();
    let mut st = c.prepare("SELECT code FROM dossiers").unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_year_typed_wrong_is_refused_and_the_day_goes_on() {
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1);
    ok(motcua(d.path()).args(["config", "set", "max-backdate-days", "30"]));
    let out = run(motcua(d.path())
        .args(receive_args("Gõ nhầm năm"))
        .args(["--received-at", "1926-12-02T08:00"]));
    assert!(!out.status.success());
    let err = stderr_of(&out);
    assert!(err.contains("sớm hơn 30 ngày"), "{err}");
    assert!(!err.contains("UNIQUE"), "{err}");
    // Yesterday's paper-ledger dossier is fine, and so is every receive after it.
    let yesterday = (chrono::Local::now() - chrono::Duration::days(1))
        .format("%Y-%m-%dT08:00")
        .to_string();
    ok(motcua(d.path())
        .args(receive_args("Sổ giấy hôm qua"))
        .args(["--received-at", &yesterday]));
    let a = receive(d.path(), "A");
    let b = receive(d.path(), "B");
    assert_ne!(a, b);
    assert_eq!(stored_codes(d.path()).len(), 3);
    ok(motcua(d.path()).arg("verify"));
}

/// Committed dossiers sit in the `-wal` file until a checkpoint. Deleting it after a crash
/// drops them silently: the journal left is a valid, shorter chain, so `verify` used to
/// pass and the next receive minted again a code already printed. The state is made
/// exactly: a counter receives while it keeps the database open (its commits are in the
/// `-wal` only), and the data directory is copied without the `-wal`, as a crash followed
/// by a deleted `-wal` leaves it.
#[test]
fn a_deleted_wal_is_noticed_and_no_printed_code_is_issued_again() {
    let live = tempfile::tempdir().unwrap();
    station(live.path(), 1);
    let mut counter = motcua_app::Counter::open(
        motcua_app::Paths::in_dir(live.path()),
        motcua_app::counter::Env::system(),
    )
    .unwrap();
    let mut printed = HashSet::new();
    for i in 0..5 {
        let r = counter
            .receive(&motcua_app::ReceiveForm {
                clerk: "lan".into(),
                procedure: "1.001193".into(),
                input: motcua_core::dossier::DossierInput {
                    applicant_name: format!("Đã in biên nhận {i}"),
                    documents: vec![motcua_core::dossier::DocumentInput::new(
                        "Tờ khai đăng ký khai sinh",
                        motcua_core::dossier::DocumentKind::Original,
                        1,
                    )],
                    sets: 1,
                    ..Default::default()
                },
                received_at: None,
                request_id: None,
            })
            .unwrap();
        printed.insert(r.dossier.code.to_string());
    }
    assert!(live.path().join("motcua.sqlite-wal").exists());
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(live.path()).unwrap() {
        let f = f.unwrap();
        let name = f.file_name().to_string_lossy().into_owned();
        if f.file_type().unwrap().is_file() && !name.ends_with("-wal") && !name.ends_with("-shm") {
            std::fs::copy(f.path(), dir.path().join(&name)).unwrap();
        }
    }
    let d = &dir;
    let left = stored_codes(d.path());
    assert!(
        left.is_disjoint(&printed),
        "the copy lacks the dossiers committed to the -wal"
    );
    eprintln!(
        "{} codes printed, {} of them left after the -wal was deleted",
        printed.len(),
        left.intersection(&printed).count()
    );
    let out = run(motcua(d.path()).args(receive_args("Sau khi mất -wal")));
    assert!(!out.status.success(), "a receive must be refused");
    let err = stderr_of(&out);
    assert!(
        err.contains("thiếu") && err.contains("motcua recover"),
        "{err}"
    );
    let out = run(motcua(d.path()).arg("verify"));
    assert!(
        !out.status.success(),
        "verify must not pass a rolled-back database"
    );
    assert_eq!(stored_codes(d.path()), left, "nothing was written");

    // No hub holds them: recover says so and refuses to guess without --accept-loss.
    let out = run(motcua(d.path()).arg("recover"));
    assert!(!out.status.success());
    let out = ok(motcua(d.path()).args(["recover", "--accept-loss"]));
    assert!(out.contains("đã mất"), "{out}");
    let mut fresh = HashSet::new();
    for i in 0..5 {
        fresh.insert(receive(d.path(), &format!("Công dân mới {i}")));
    }
    let reissued: Vec<_> = fresh.intersection(&printed).collect();
    assert!(
        reissued.is_empty(),
        "printed codes issued again: {reissued:?}"
    );
    ok(motcua(d.path()).arg("verify"));
    drop(counter);
}

#[test]
fn an_emptied_database_beside_the_station_key_is_never_given_a_fresh_schema() {
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1);
    let first = receive(d.path(), "A");
    let db = d.path().join("motcua.sqlite");
    for mark in [true, false] {
        std::fs::write(&db, b"").unwrap();
        let _ = std::fs::remove_file(d.path().join("motcua.sqlite-wal"));
        let _ = std::fs::remove_file(d.path().join("motcua.sqlite-shm"));
        if !mark {
            // A station set up before the high-water mark existed: the key alone tells.
            std::fs::remove_file(d.path().join("motcua.sqlite.head")).unwrap();
        }
        let out = run(motcua(d.path()).args(receive_args("B")));
        assert!(!out.status.success());
        assert!(stderr_of(&out).contains("trống"), "{}", stderr_of(&out));
        let out = run(motcua(d.path()).args([
            "init",
            "--agency-id",
            "000.17.22.H56",
            "--agency-name",
            "UBND xã Tân Lập",
            "--station",
            "1",
        ]));
        assert!(
            !out.status.success(),
            "init over an emptied station database"
        );
        assert_eq!(
            std::fs::metadata(&db).unwrap().len(),
            0,
            "no schema was created (mark present: {mark})"
        );
    }
    assert!(first.ends_with("-0001"));
}

#[test]
fn a_retried_receive_with_its_request_id_returns_the_first_dossier() {
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1);
    // The first attempt's answer is lost: stdout is a full disk.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = run(motcua(d.path())
        .args(receive_args("Lê Văn Thử"))
        .args(["--request-id", "quay1-20261202-0001"])
        .stdout(full));
    assert!(!out.status.success());
    assert!(!stderr_of(&out).contains("panicked"), "{}", stderr_of(&out));
    // The wrapper retries with the same id: the first dossier comes back, no second one.
    let retry = run(motcua(d.path()).args(receive_args("Lê Văn Thử")).args([
        "--request-id",
        "quay1-20261202-0001",
        "--json",
    ]));
    assert!(retry.status.success(), "{}", stderr_of(&retry));
    assert!(stderr_of(&retry).contains("đã được ghi nhận trước đó"));
    let again = run(motcua(d.path()).args(receive_args("Lê Văn Thử")).args([
        "--request-id",
        "quay1-20261202-0001",
        "--json",
    ]));
    let code = |o: &std::process::Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["code"].as_str().unwrap().to_string()
    };
    assert_eq!(code(&retry), code(&again));
    assert_eq!(stored_codes(d.path()).len(), 1, "one citizen, one dossier");
    // Another id is another dossier; a bad id is refused with a clear message.
    ok(motcua(d.path())
        .args(receive_args("Người khác"))
        .args(["--request-id", "quay1-20261202-0002"]));
    assert_eq!(stored_codes(d.path()).len(), 2);
    let out = run(motcua(d.path())
        .args(receive_args("X"))
        .args(["--request-id", "có dấu cách"]));
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("mã yêu cầu"),
        "{}",
        stderr_of(&out)
    );
    ok(motcua(d.path()).arg("verify"));
}

#[test]
fn restoring_the_same_backup_twice_never_issues_a_code_again() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("d");
    station(&dir, 1);
    let bak = t.path().join("copy.sqlite");
    ok(motcua(&dir).args(["backup", "-o"]).arg(&bak));
    let mut printed = vec![receive(&dir, "Người A"), receive(&dir, "Người B")];
    // The first restore: A and B are not in the backup; their codes are skipped.
    ok(motcua(&dir).arg("restore").arg(&bak));
    printed.push(receive(&dir, "Người C"));
    // The same backup again: it knows neither A and B nor the loss accepted for them, nor C.
    ok(motcua(&dir).arg("restore").arg(&bak));
    printed.push(receive(&dir, "Người D"));
    let unique: HashSet<&String> = printed.iter().collect();
    assert_eq!(
        unique.len(),
        printed.len(),
        "a code issued twice: {printed:?}"
    );
    ok(motcua(&dir).arg("verify"));
    // A third restore, of a backup taken after the first loss, remembers it too.
    let later = t.path().join("later.sqlite");
    ok(motcua(&dir).args(["backup", "-o"]).arg(&later));
    printed.push(receive(&dir, "Người E"));
    ok(motcua(&dir).arg("restore").arg(&bak));
    ok(motcua(&dir).arg("restore").arg(&later));
    printed.push(receive(&dir, "Người F"));
    let unique: HashSet<&String> = printed.iter().collect();
    assert_eq!(
        unique.len(),
        printed.len(),
        "a code issued twice: {printed:?}"
    );
}

#[test]
fn a_damaged_mark_leaves_reading_working_and_says_what_to_do() {
    for damage in [
        vec![0u8; 256],
        b"motcua-journal-head v1\n\xff\xfe\n".to_vec(),
    ] {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("d");
        station(&dir, 1);
        let a = receive(&dir, "Trước khi hỏng");
        std::fs::write(dir.join("motcua.sqlite.head"), &damage).unwrap();
        // Reading works and says the mark is damaged.
        let list = ok(motcua(&dir).args(["list", "--json"]));
        assert!(list.contains(&a), "{list}");
        ok(motcua(&dir).args(["show", &a]));
        ok(motcua(&dir)
            .args(["backup", "-o"])
            .arg(t.path().join("b.sqlite")));
        let v = run(motcua(&dir).arg("verify"));
        let said = format!("{}{}", String::from_utf8_lossy(&v.stdout), stderr_of(&v));
        assert!(
            said.contains("mốc nhật ký") && said.contains("hỏng"),
            "{said}"
        );
        // A receive is refused with what to do, in Vietnamese.
        let out = run(motcua(&dir).args(receive_args("Khi mốc hỏng")));
        assert!(!out.status.success());
        let err = stderr_of(&out);
        assert!(
            err.contains("motcua recover") && err.contains("--accept-loss"),
            "{err}"
        );
        assert!(
            !err.contains("invalid") && !err.contains("error"),
            "English: {err}"
        );
        // Recover with the loss accepted: receiving goes on, with a new code.
        ok(motcua(&dir).args(["recover", "--accept-loss"]));
        let b = receive(&dir, "Sau khi sửa mốc");
        assert_ne!(a, b);
        ok(motcua(&dir).arg("verify"));
    }
}

#[test]
fn a_database_of_another_history_put_in_place_is_refused_until_its_loss_is_accepted() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("d");
    station(&dir, 1);
    let bak = t.path().join("copy.sqlite");
    ok(motcua(&dir).args(["backup", "-o"]).arg(&bak));
    let mut printed = vec![
        receive(&dir, "Người A"),
        receive(&dir, "Người B"),
        receive(&dir, "Người C"),
    ];
    let other = t.path().join("other.sqlite");
    ok(motcua(&dir).args(["backup", "-o"]).arg(&other));
    // A restore starts another history: the loss, then D.
    ok(motcua(&dir).arg("restore").arg(&bak));
    printed.push(receive(&dir, "Người D"));
    // The first history's file copied back by hand (no restore): longer than the mark,
    // but its event at the mark's sequence is not the one the station committed.
    let db = dir.join("motcua.sqlite");
    std::fs::copy(&other, &db).unwrap();
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("motcua.sqlite{side}")));
    }
    let out = run(motcua(&dir).args(receive_args("Người E")));
    assert!(!out.status.success(), "received on another history");
    let err = stderr_of(&out);
    assert!(
        err.contains("khác với nhật ký quầy đã ghi gần nhất"),
        "{err}"
    );
    assert!(err.contains("--accept-loss"), "{err}");
    // Reading still works, and verify names the problem.
    ok(motcua(&dir).args(["list", "--json"]));
    let out = run(motcua(&dir).arg("verify"));
    assert!(!out.status.success());
    let out = ok(motcua(&dir).args(["recover", "--accept-loss"]));
    assert!(out.contains("bỏ qua"), "{out}");
    printed.push(receive(&dir, "Người E"));
    let unique: HashSet<&String> = printed.iter().collect();
    assert_eq!(
        unique.len(),
        printed.len(),
        "a code issued twice: {printed:?}"
    );
    ok(motcua(&dir).arg("verify"));
}
