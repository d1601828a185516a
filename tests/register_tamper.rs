//! Editing the journal or the register with the sqlite3 shell, behind the app's back, makes
//! `motcua verify` fail and name the first bad event.

mod common;

use common::{motcua, ok, receive_marriage_status, require_tool, run, station};
use std::process::Command;

fn three_dossiers(dir: &std::path::Path) {
    station(dir, 1);
    for name in ["Nguyễn Văn An", "Đặng Thị Bình", "Lê Văn Cường"] {
        receive_marriage_status(dir, name, Some("2026-11-20T09:00"));
    }
    ok(motcua(dir).arg("verify"));
}

fn sqlite3(dir: &std::path::Path, sql: &str) {
    let out = Command::new("sqlite3")
        .arg(dir.join("motcua.sqlite"))
        .arg(sql)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "sqlite3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn verify_fails_with(dir: &std::path::Path, needle: &str) {
    let out = run(motcua(dir).arg("verify"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "verify passed on a tampered database"
    );
    assert_eq!(out.status.code(), Some(1), "an error, not a panic: {err}");
    assert!(err.contains(needle), "expected «{needle}» in: {err}");
}

// Events: 1 station, 2 catalogue, 3 user, 4–6 the three dossiers.

#[test]
fn editing_a_journal_row_names_the_event() {
    if !require_tool("sqlite3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    three_dossiers(dir.path());
    sqlite3(
        dir.path(),
        "DROP TRIGGER events_append_only_update; \
         UPDATE events SET payload = replace(payload, 'Đặng Thị Bình', 'Đặng Thị Bính') WHERE seq = 5;",
    );
    verify_fails_with(dir.path(), "sự kiện số 5");
}

#[test]
fn deleting_a_journal_row_names_the_event() {
    if !require_tool("sqlite3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    three_dossiers(dir.path());
    sqlite3(
        dir.path(),
        "PRAGMA foreign_keys = OFF; DROP TRIGGER events_append_only_delete; \
         DELETE FROM events WHERE seq = 4;",
    );
    verify_fails_with(dir.path(), "sự kiện số 4");
}

#[test]
fn editing_the_register_names_the_dossier() {
    if !require_tool("sqlite3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    three_dossiers(dir.path());
    sqlite3(
        dir.path(),
        "UPDATE dossiers SET received_at = '2026-11-19T09:00:00' WHERE applicant_name = 'Lê Văn Cường';",
    );
    verify_fails_with(dir.path(), "000.17.22.H56-261120-0003");
}
