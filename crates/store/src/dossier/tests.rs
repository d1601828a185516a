//! Receiving, codes, search and the register's rows.

use super::*;
use crate::testutil::*;

#[test]
fn receive_mints_codes_and_journals() {
    let (_d, mut s) = store();
    let a = s
        .receive(&request("Nguyễn Văn An", "2026-11-25T09:32"), now())
        .unwrap();
    let b = s
        .receive(&request("Đặng Thị Bình", "2026-11-25T09:40"), now())
        .unwrap();
    let c = s
        .receive(&request("Lê Văn Cường", "2026-11-26T08:00"), now())
        .unwrap();
    assert_eq!(a.code.to_string(), "000.17.22.H56-261125-0001");
    assert_eq!(b.code.to_string(), "000.17.22.H56-261125-0002");
    assert_eq!(c.code.to_string(), "000.17.22.H56-261126-0001");
    assert_eq!(a.lookup_secret.len(), 6);
    assert_eq!(s.dossier(&a.code).unwrap(), a);
    let summary = s.verify().unwrap();
    assert_eq!(summary.dossiers, 3);
    // station + user + catalogue + 3 dossiers
    assert_eq!(summary.events, 6);
    let pending: i64 = s
        .conn
        .query_row(
            "SELECT count(*) FROM outbox WHERE state='pending'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 6);
    assert_eq!(a.ledger_entry, Some(1));
    assert_eq!(b.ledger_entry, Some(2));
    assert_eq!(c.ledger_entry, Some(3), "the book runs through the year");
}

#[test]
fn ledger_books_restart_each_year_and_late_entries_take_the_next_number() {
    let (_d, mut s) = store();
    let a = s.receive(&request("A", "2025-12-31T09:00"), now()).unwrap();
    let b = s.receive(&request("B", "2026-01-02T08:00"), now()).unwrap();
    let c = s.receive(&request("C", "2025-12-30T15:00"), now()).unwrap();
    let e = s.receive(&request("D", "2026-01-02T09:00"), now()).unwrap();
    let entries: Vec<_> = [&a, &b, &c, &e].iter().map(|d| d.ledger_entry).collect();
    assert_eq!(entries, [Some(1), Some(1), Some(2), Some(2)]);
    assert_eq!(s.dossier(&c.code).unwrap().ledger_entry, Some(2));
    s.verify().unwrap();
}

#[test]
fn sub_second_times_are_stored_to_the_second() {
    let (_d, mut s) = store();
    let mut r = request("A", "2026-11-25T09:32");
    r.received_at += chrono::Duration::nanoseconds(627_772_341);
    let d = s.receive(&r, now()).unwrap();
    assert_eq!(d.received_at.to_string(), "2026-11-25 09:32:00");
    assert_eq!(s.dossier(&d.code).unwrap(), d);
    s.verify().unwrap();
}

#[test]
fn unknown_clerk_writes_nothing() {
    let (_d, mut s) = store();
    let mut r = request("A", "2026-11-25T09:32");
    r.clerk = "ghost".into();
    assert!(matches!(
        s.receive(&r, now()),
        Err(StoreError::UnknownUser(_))
    ));
    let n: i64 = s
        .conn
        .query_row("SELECT count(*) FROM dossiers", [], |r| r.get(0))
        .unwrap();
    let used: i64 = s
        .conn
        .query_row("SELECT count(*) FROM daily_counters", [], |r| r.get(0))
        .unwrap();
    assert_eq!((n, used), (0, 0));
    s.verify().unwrap();
}

#[test]
fn transitions_follow_the_machine() {
    let (_d, mut s) = store();
    let a = s.receive(&request("A", "2026-11-25T09:32"), now()).unwrap();
    let p = s
        .transition(
            &a.code,
            Status::Processing,
            "lan",
            Some("chuyển phòng tư pháp"),
            now(),
        )
        .unwrap();
    assert_eq!(p.status, Status::Processing);
    let e = s
        .transition(&a.code, Status::Returned, "lan", None, now())
        .unwrap_err();
    assert!(e.to_string().contains("không thể chuyển"), "{e}");
    assert_eq!(s.dossier(&a.code).unwrap().status, Status::Processing);
    s.verify().unwrap();
    let unknown: DossierCode = "000.17.22.H56-261125-0999".parse().unwrap();
    assert!(matches!(
        s.transition(&unknown, Status::Processing, "lan", None, now()),
        Err(StoreError::UnknownDossier(_))
    ));
}

#[test]
fn returned_at_comes_from_the_journal() {
    let (_d, mut s) = store();
    let a = s.receive(&request("A", "2026-11-25T09:00"), now()).unwrap();
    s.transition(&a.code, Status::ResultReady, "lan", None, now())
        .unwrap();
    let back = now() + chrono::Duration::hours(2);
    let r = s
        .transition(&a.code, Status::Returned, "lan", None, back)
        .unwrap();
    assert_eq!(
        s.returned_at(&r).unwrap().unwrap().to_string(),
        "2026-11-25 11:30:00"
    );
}

#[test]
fn search_folds_and_matches_every_field() {
    let (_d, mut s) = store();
    let mut r = request("Đặng Văn Ánh", "2026-11-25T09:32");
    r.input.applicant.phone = Some("0987654321".into());
    s.receive(&r, now()).unwrap();
    s.receive(&request("Nguyễn Văn A", "2026-11-25T10:00"), now())
        .unwrap();
    s.receive(
        &request("Nguye\u{302}\u{303}n Thị Bình", "2026-11-24T10:00"),
        now(),
    )
    .unwrap();
    let names = |q: &str| -> Vec<String> {
        s.search(q, None, 50)
            .unwrap()
            .into_iter()
            .map(|d| d.applicant_name)
            .collect()
    };
    assert_eq!(names("dang"), ["Đặng Văn Ánh"]);
    assert_eq!(names("ĐẶNG"), ["Đặng Văn Ánh"]);
    assert_eq!(names("nguyen van a"), ["Nguyễn Văn A"]);
    assert_eq!(names("0987"), ["Đặng Văn Ánh"]);
    assert_eq!(names("H56-261124"), ["Nguyễn Thị Bình"]);
    assert_eq!(names("001099").len(), 3);
    assert_eq!(names("tan lap").len(), 3);
    assert_eq!(names("\"; DROP TABLE dossiers; --").len(), 0);
    assert_eq!(names("").len(), 3, "empty query lists newest");
    assert_eq!(names("").first().unwrap(), "Nguyễn Thị Bình");
    assert!(
        s.search("", Some(Status::Processing), 10)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn unicode_and_metacharacters_stored_exactly() {
    let (_d, mut s) = store();
    let name = "O'Brien \"Ỹ\" %_ \\ ; DROP TABLE x; -- Ữ ự ỹ ẵ";
    let d = s
        .receive(&request(name, "2026-11-25T09:32"), now())
        .unwrap();
    assert_eq!(s.dossier(&d.code).unwrap().applicant.full_name, name);
    s.verify().unwrap();
}

/// 1926-12-02 and 2026-12-02 share `261202`: a dossier dated a century back (as an
/// old register may hold) once took `…-261202-0001`, and every later receive of the
/// day failed on the UNIQUE code. The day's sequence now skips any code present.
#[test]
fn a_code_already_present_is_skipped_never_a_constraint_error() {
    let (_d, mut s) = store();
    let old = s
        .receive(&request("Gõ nhầm năm", "1926-12-02T08:00"), now())
        .unwrap();
    assert!(
        old.code.to_string().ends_with("-261202-0001"),
        "{}",
        old.code
    );
    let a = s.receive(&request("A", "2026-12-02T08:05"), now()).unwrap();
    let b = s.receive(&request("B", "2026-12-02T08:10"), now()).unwrap();
    assert!(a.code.to_string().ends_with("-261202-0002"), "{}", a.code);
    assert!(b.code.to_string().ends_with("-261202-0003"), "{}", b.code);
    s.verify().unwrap();
}

#[test]
fn ledger_range() {
    let (_d, mut s) = store();
    s.receive(&request("A", "2026-11-24T09:00"), now()).unwrap();
    s.receive(&request("B", "2026-11-25T09:00"), now()).unwrap();
    s.receive(&request("C", "2026-11-26T09:00"), now()).unwrap();
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let got: Vec<_> = s
        .received_between(day(24), day(25))
        .unwrap()
        .into_iter()
        .map(|d| d.applicant.full_name)
        .collect();
    assert_eq!(got, ["A", "B"]);
}
