//! The 2026 swaps (Fri 02/01 ↔ Sat 10/01, Mon 31/08 ↔ Sat 22/08) and the 2027 Tết and
//! National Day days, through the real built-in calendar: which days are off or worked, and
//! due instants across each of them.
//!
//! A make-up Saturday (`makeup_workday`) is an ordinary working day for the engine: sessions
//! run as on a weekday, a count may end on it, and it is never listed as skipped.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use motcua_core::calendar::{
    DayKind, Term, WorkCalendar, WorkConfig, builtin_schedules, parse_datetime,
};

fn cal() -> WorkCalendar {
    WorkCalendar::new(builtin_schedules(), WorkConfig::default()).unwrap()
}

fn t(s: &str) -> NaiveDateTime {
    parse_datetime(s).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn term(s: &str) -> Term {
    s.parse().unwrap()
}

/// The kind of the listed entry of `date`, if any.
fn kind(cal: &WorkCalendar, date: &str) -> Option<DayKind> {
    cal.day_entry(d(date)).unwrap().map(|e| e.kind)
}

/// `received + term` → (due instant, skipped dates as `YYYY-MM-DD`).
fn due(cal: &WorkCalendar, received: &str, tm: &str) -> (NaiveDateTime, Vec<String>) {
    let due = cal.due(t(received), term(tm)).unwrap();
    let skipped = due.skipped.iter().map(|s| s.date.to_string()).collect();
    (due.at, skipped)
}

#[test]
fn builtin_schedules_cover_2025_to_2027_and_are_complete() {
    let all = builtin_schedules();
    let years: Vec<i32> = all.iter().map(|s| s.year).collect();
    assert_eq!(years, [2025, 2026, 2027]);
    for s in &all {
        assert!(s.missing_statutory_days().unwrap().is_empty(), "{}", s.year);
    }
    let cal = cal();
    assert!(cal.schedule(2027).is_some());
    // The 2026 swaps are read in public notices; the 2027 Tết placement is not yet.
    for date in ["2026-01-02", "2026-01-10", "2026-08-22", "2026-08-31"] {
        assert!(cal.day_entry(d(date)).unwrap().unwrap().confirmed, "{date}");
    }
    for date in ["2027-02-04", "2027-02-10", "2027-09-03", "2027-11-24"] {
        assert!(
            !cal.day_entry(d(date)).unwrap().unwrap().confirmed,
            "{date}"
        );
    }
    assert!(cal.day_entry(d("2027-02-06")).unwrap().unwrap().confirmed);
}

#[test]
fn new_year_2026_swap() {
    let cal = cal();
    // Thu 01/01 holiday, Fri 02/01 swapped off, Sat 10/01 worked.
    assert!(!cal.is_working_day(d("2026-01-01")).unwrap());
    assert!(!cal.is_working_day(d("2026-01-02")).unwrap());
    assert!(cal.is_working_day(d("2026-01-05")).unwrap());
    assert!(cal.is_working_day(d("2026-01-10")).unwrap());
    assert!(!cal.is_working_day(d("2026-01-11")).unwrap());
    assert!(!cal.is_working_day(d("2026-01-17")).unwrap());
    assert_eq!(kind(&cal, "2026-01-01"), Some(DayKind::Holiday));
    assert_eq!(kind(&cal, "2026-01-02"), Some(DayKind::DayOff));
    assert_eq!(kind(&cal, "2026-01-10"), Some(DayKind::MakeupWorkday));
    assert_eq!(
        cal.next_working_day(d("2025-12-31")).unwrap(),
        d("2026-01-05")
    );
    assert_eq!(
        cal.next_working_day(d("2026-01-09")).unwrap(),
        d("2026-01-10")
    );
    assert_eq!(
        cal.next_working_day(d("2026-01-10")).unwrap(),
        d("2026-01-12")
    );
}

#[test]
fn national_day_2026_swap() {
    let cal = cal();
    // Sat 22/08 worked; Sat 29/08 – Wed 02/09 off (31/08 swapped, 01/09 adjacent day).
    assert!(cal.is_working_day(d("2026-08-21")).unwrap());
    assert!(cal.is_working_day(d("2026-08-22")).unwrap());
    assert!(!cal.is_working_day(d("2026-08-23")).unwrap());
    assert!(cal.is_working_day(d("2026-08-28")).unwrap());
    for date in [
        "2026-08-29",
        "2026-08-30",
        "2026-08-31",
        "2026-09-01",
        "2026-09-02",
    ] {
        assert!(!cal.is_working_day(d(date)).unwrap(), "{date}");
    }
    assert!(cal.is_working_day(d("2026-09-03")).unwrap());
    assert_eq!(kind(&cal, "2026-08-22"), Some(DayKind::MakeupWorkday));
    assert_eq!(kind(&cal, "2026-08-31"), Some(DayKind::DayOff));
    assert_eq!(kind(&cal, "2026-09-01"), Some(DayKind::Holiday));
    assert_eq!(kind(&cal, "2026-09-02"), Some(DayKind::Holiday));
}

#[test]
fn tet_and_national_day_2027() {
    let cal = cal();
    assert!(cal.is_working_day(d("2027-02-03")).unwrap());
    for day in 4..=10 {
        let date = NaiveDate::from_ymd_opt(2027, 2, day).unwrap();
        assert!(!cal.is_working_day(date).unwrap(), "{date}");
    }
    assert!(cal.is_working_day(d("2027-02-11")).unwrap());
    assert_eq!(kind(&cal, "2027-02-04"), Some(DayKind::Compensatory));
    assert_eq!(kind(&cal, "2027-02-05"), Some(DayKind::Holiday));
    assert_eq!(kind(&cal, "2027-02-06"), Some(DayKind::Holiday));
    assert_eq!(kind(&cal, "2027-02-09"), Some(DayKind::Holiday));
    assert_eq!(kind(&cal, "2027-02-10"), Some(DayKind::Compensatory));
    let tet = cal
        .days_of_year(2027)
        .unwrap()
        .iter()
        .filter(|e| e.name.starts_with("Tết Nguyên đán"))
        .count();
    assert_eq!(tet, 5);

    // Thu 02/09 and Fri 03/09 off, back on Mon 06/09.
    assert!(cal.is_working_day(d("2027-09-01")).unwrap());
    assert!(!cal.is_working_day(d("2027-09-02")).unwrap());
    assert!(!cal.is_working_day(d("2027-09-03")).unwrap());
    assert!(cal.is_working_day(d("2027-09-06")).unwrap());
    assert_eq!(kind(&cal, "2027-09-03"), Some(DayKind::Holiday));

    // The other 2027 days: Giỗ Tổ Fri 16/04, 1/5 on Saturday → Mon 03/05, 24/11 Wednesday.
    assert!(!cal.is_working_day(d("2027-04-16")).unwrap());
    assert!(!cal.is_working_day(d("2027-04-30")).unwrap());
    assert!(!cal.is_working_day(d("2027-05-03")).unwrap());
    assert_eq!(kind(&cal, "2027-05-03"), Some(DayKind::Compensatory));
    assert!(cal.is_working_day(d("2027-05-04")).unwrap());
    assert!(!cal.is_working_day(d("2027-11-24")).unwrap());
    assert!(!cal.is_working_day(d("2027-01-01")).unwrap());
}

#[test]
fn due_dates_across_the_new_year_2026_swap() {
    let cal = cal();
    // Wed 31/12/2025 + 1wd: Thu 01/01 and Fri 02/01 off, weekend → Mon 05/01.
    assert_eq!(
        due(&cal, "2025-12-31T09:00", "1wd"),
        (
            t("2026-01-05T09:00"),
            vec!["2026-01-01".into(), "2026-01-02".into()]
        )
    );
    // Received on the holiday: counting starts Mon 05/01 07:00.
    let got = cal.due(t("2026-01-01T10:00"), term("1wd")).unwrap();
    assert_eq!(got.start, t("2026-01-05T07:00"));
    assert_eq!(got.at, t("2026-01-05T17:00"));
    assert_eq!(got.skipped.len(), 2);
    assert_eq!(got.skipped[1].kind, DayKind::DayOff);
    assert!(got.skipped[1].name.contains("làm bù Thứ Bảy 10/01"));

    // Fri 09/01 + 1wd ends on the make-up Saturday 10/01, at the same minute.
    assert_eq!(
        due(&cal, "2026-01-09T09:00", "1wd"),
        (t("2026-01-10T09:00"), vec![])
    );
    // The clerk is told why a Saturday is the appointment.
    let explained = cal.explain_vi(
        &cal.due(t("2026-01-09T09:00"), "1wd".parse().unwrap())
            .unwrap(),
    );
    assert!(
        explained.contains(
            "Không tính Thứ Bảy, Chủ nhật (trừ 10/01 Làm bù cho ngày nghỉ Thứ Sáu 02/01)"
        ),
        "{explained}"
    );
    // A receipt on the make-up Saturday counts from that Saturday.
    assert_eq!(
        due(&cal, "2026-01-10T09:00", "1wd"),
        (t("2026-01-12T09:00"), vec![])
    );
    assert_eq!(
        cal.effective_start(t("2026-01-10T06:30")).unwrap(),
        t("2026-01-10T07:00")
    );
    assert_eq!(
        cal.effective_start(t("2026-01-10T17:30")).unwrap(),
        t("2026-01-12T07:00")
    );
    // Fri 09/01 + 2wd: Saturday 10/01 counts, Sunday does not.
    assert_eq!(
        due(&cal, "2026-01-09T09:00", "2wd"),
        (t("2026-01-12T09:00"), vec![])
    );
    assert_eq!(
        cal.working_time_between(t("2026-01-09T09:00"), t("2026-01-12T09:00"))
            .unwrap(),
        TimeDelta::hours(16)
    );
    // Calendar days may land on the make-up Saturday (a working day); same-day works there.
    assert_eq!(
        due(&cal, "2026-01-05T09:00", "5d"),
        (t("2026-01-10T17:00"), vec![])
    );
    assert_eq!(
        due(&cal, "2026-01-10T10:00", "same-day"),
        (t("2026-01-10T17:00"), vec![])
    );
    // The week before: Tue 30/12/2025 + 2wd → Mon 05/01.
    assert_eq!(
        due(&cal, "2025-12-30T09:00", "2wd").0,
        t("2026-01-05T09:00")
    );
}

#[test]
fn due_dates_across_the_national_day_2026_swap() {
    let cal = cal();
    // Fri 21/08 + 1wd → the make-up Saturday 22/08.
    assert_eq!(
        due(&cal, "2026-08-21T09:00", "1wd"),
        (t("2026-08-22T09:00"), vec![])
    );
    // Sat 22/08 + 1wd → Mon 24/08.
    assert_eq!(
        due(&cal, "2026-08-22T09:00", "1wd"),
        (t("2026-08-24T09:00"), vec![])
    );
    // Fri 28/08 + 1wd: 31/08 swapped off, 01/09 and 02/09 holidays → Thu 03/09.
    let got = cal.due(t("2026-08-28T09:00"), term("1wd")).unwrap();
    assert_eq!(got.at, t("2026-09-03T09:00"));
    let skipped: Vec<(String, DayKind)> = got
        .skipped
        .iter()
        .map(|s| (s.date.to_string(), s.kind))
        .collect();
    assert_eq!(
        skipped,
        [
            ("2026-08-31".to_string(), DayKind::DayOff),
            ("2026-09-01".to_string(), DayKind::Holiday),
            ("2026-09-02".to_string(), DayKind::Holiday),
        ]
    );
    let text = cal.explain_vi(&got);
    assert!(text.contains("03/09/2026 (Thứ Năm)"), "{text}");
    assert!(
        text.contains("31/08 Nghỉ hoán đổi dịp Quốc khánh"),
        "{text}"
    );
    // Thu 20/08 + 2wd: Fri 21/08, Sat 22/08 → Sat 22/08 09:00.
    assert_eq!(
        due(&cal, "2026-08-20T09:00", "2wd").0,
        t("2026-08-22T09:00")
    );
    // Thu 27/08 + 2wd: Fri 28/08, then Thu 03/09.
    assert_eq!(
        due(&cal, "2026-08-27T09:00", "2wd").0,
        t("2026-09-03T09:00")
    );
}

#[test]
fn due_dates_across_2027() {
    let cal = cal();
    // Thu 31/12/2026 + 1wd: Fri 01/01/2027 off → Mon 04/01/2027.
    assert_eq!(
        due(&cal, "2026-12-31T09:00", "1wd"),
        (t("2027-01-04T09:00"), vec!["2027-01-01".into()])
    );
    // Wed 03/02/2027 + 1wd: Thu 04/02 – Wed 10/02 off → Thu 11/02; weekends not listed.
    assert_eq!(
        due(&cal, "2027-02-03T09:00", "1wd"),
        (
            t("2027-02-11T09:00"),
            vec![
                "2027-02-04".into(),
                "2027-02-05".into(),
                "2027-02-08".into(),
                "2027-02-09".into(),
                "2027-02-10".into(),
            ]
        )
    );
    // Mon 01/02/2027 + 5wd: 02/02, 03/02, 11/02, 12/02, 15/02.
    assert_eq!(
        due(&cal, "2027-02-01T09:00", "5wd").0,
        t("2027-02-15T09:00")
    );
    // Received during Tết: counting starts Thu 11/02 07:00.
    assert_eq!(
        cal.effective_start(t("2027-02-06T10:00")).unwrap(),
        t("2027-02-11T07:00")
    );
    // Wed 01/09/2027 + 1wd: Thu 02/09 and Fri 03/09 off → Mon 06/09.
    assert_eq!(
        due(&cal, "2027-09-01T09:00", "1wd"),
        (
            t("2027-09-06T09:00"),
            vec!["2027-09-02".into(), "2027-09-03".into()]
        )
    );
    // Thu 15/04/2027 + 1wd: Giỗ Tổ Fri 16/04 → Mon 19/04.
    assert_eq!(
        due(&cal, "2027-04-15T09:00", "1wd"),
        (t("2027-04-19T09:00"), vec!["2027-04-16".into()])
    );
    // Thu 29/04/2027 + 1wd: Fri 30/04 off, 01/05 Saturday made up on Mon 03/05 → Tue 04/05.
    assert_eq!(
        due(&cal, "2027-04-29T09:00", "1wd"),
        (
            t("2027-05-04T09:00"),
            vec!["2027-04-30".into(), "2027-05-03".into()]
        )
    );
    // Tue 23/11/2027 + 1wd: Wed 24/11 off → Thu 25/11.
    assert_eq!(
        due(&cal, "2027-11-23T09:00", "1wd"),
        (t("2027-11-25T09:00"), vec!["2027-11-24".into()])
    );
}
