//! Due instants, pauses and classification: every vector of the domain brief §10.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use motcua_core::calendar::{
    DayEntry, DayKind, Progress, Supplement, Term, Timeliness, WorkCalendar, WorkConfig,
    YearSchedule, parse_datetime,
};

fn t(s: &str) -> NaiveDateTime {
    parse_datetime(s).unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn term(s: &str) -> Term {
    s.parse().unwrap()
}

/// A calendar whose only days off are weekends and `holidays` (the "holidays given" column).
fn with_only(holidays: &[&str], config: WorkConfig) -> WorkCalendar {
    let mut by_year: std::collections::BTreeMap<i32, Vec<DayEntry>> = Default::default();
    for h in holidays {
        let d = date(h);
        let entry = DayEntry {
            date: d,
            kind: DayKind::Holiday,
            name: format!("nghỉ {h}"),
            confirmed: true,
            source: "test".into(),
        };
        by_year
            .entry(chrono::Datelike::year(&d))
            .or_default()
            .push(entry);
    }
    // Years the vectors touch get an explicit schedule, so no default holiday sneaks in.
    for y in [2023, 2025, 2026] {
        by_year.entry(y).or_default();
    }
    let schedules = by_year
        .into_iter()
        .map(|(y, days)| YearSchedule::new(y, days).unwrap())
        .collect();
    WorkCalendar::new(schedules, config).unwrap()
}

/// §10 "Appointment dates": (received, term, holidays given, due date). Received times are
/// during working hours after the morning opening (see the report: 07:00 sharp on a
/// Thursday would count that whole day and give 04-28 17:00 for the first row).
const APPOINTMENTS: [(&str, &str, &[&str], &str); 6] = [
    (
        "2026-04-23T09:00",
        "3wd",
        &["2026-04-27", "2026-04-30", "2026-05-01"],
        "2026-04-29",
    ),
    (
        "2026-04-29T10:00",
        "2wd",
        &["2026-04-27", "2026-04-30", "2026-05-01"],
        "2026-05-05",
    ),
    (
        "2026-02-13T10:00",
        "5wd",
        &[
            "2026-02-16",
            "2026-02-17",
            "2026-02-18",
            "2026-02-19",
            "2026-02-20",
        ],
        "2026-02-27",
    ),
    ("2025-04-04T14:00", "1wd", &["2025-04-07"], "2025-04-08"),
    ("2026-11-23T08:30", "1wd", &["2026-11-24"], "2026-11-25"),
    ("2023-10-27T09:32", "5wd", &[], "2023-11-03"),
];

#[test]
fn appointment_vectors_with_the_given_holidays() {
    for (received, tm, holidays, due) in APPOINTMENTS {
        let cal = with_only(holidays, WorkConfig::default());
        let got = cal.due(t(received), term(tm)).unwrap();
        assert_eq!(got.at.date(), date(due), "{received} + {tm}");
        // The hour engine keeps the time of day when the count starts inside a session.
        assert_eq!(got.at.time(), t(received).time(), "{received} + {tm}");
    }
}

#[test]
fn appointment_vectors_with_the_builtin_calendar() {
    let cal = WorkCalendar::with_builtin();
    for (received, tm, _, due) in APPOINTMENTS {
        assert_eq!(
            cal.due(t(received), term(tm)).unwrap().at.date(),
            date(due),
            "{received} + {tm}"
        );
    }
    // The whole working-hours window of that Thursday gives the same date …
    for hhmm in [
        "07:01", "09:00", "11:29", "11:30", "12:00", "13:30", "16:59", "17:00", "18:00",
    ] {
        let got = cal
            .due(t(&format!("2026-04-23T{hhmm}")), Term::WorkingDays(3))
            .unwrap();
        assert_eq!(got.at.date(), date("2026-04-29"), "{hhmm}");
    }
    // … but a receipt at (or before) the opening counts the Thursday itself.
    let early = cal
        .due(t("2026-04-23T07:00"), Term::WorkingDays(3))
        .unwrap();
    assert_eq!(early.at, t("2026-04-28T17:00"));
}

#[test]
fn appointment_vectors_at_the_opening_need_the_roll_over() {
    // At 07:00 sharp the receipt day counts in full, so the count ends at 17:00 one working
    // day before the table's date; the province convention (roll a day's close over to the
    // next opening) gives the table's date at 07:00.
    let rolls = WorkConfig {
        end_of_day_rolls_over: true,
        ..WorkConfig::default()
    };
    for (received, tm, holidays, due) in APPOINTMENTS {
        let opening = format!("{}T07:00", &received[..10]);
        let plain = with_only(holidays, WorkConfig::default())
            .due(t(&opening), term(tm))
            .unwrap();
        assert!(
            plain.at.date() < date(due) && plain.at.format("%H:%M").to_string() == "17:00",
            "{opening}"
        );
        let rolled = with_only(holidays, rolls.clone())
            .due(t(&opening), term(tm))
            .unwrap();
        assert_eq!(rolled.at, t(&format!("{due}T07:00")), "{opening} + {tm}");
    }
}

#[test]
fn real_slip_keeps_the_minute() {
    let cal = WorkCalendar::with_builtin();
    let got = cal.due(t("2023-10-27T09:32"), term("5wd")).unwrap();
    assert_eq!(got.at, t("2023-11-03T09:32"));
    assert_eq!(got.start, t("2023-10-27T09:32"));
    assert!(got.skipped.is_empty());
}

#[test]
fn skipped_days_are_named() {
    let cal = WorkCalendar::with_builtin();
    let got = cal.due(t("2026-04-23T09:00"), term("3wd")).unwrap();
    assert_eq!(got.skipped.len(), 1);
    assert_eq!(got.skipped[0].date, date("2026-04-27"));
    assert_eq!(got.skipped[0].kind, DayKind::Compensatory);
    assert!(got.skipped[0].name.contains("Giỗ Tổ Hùng Vương"));
    let text = cal.explain_vi(&got);
    assert!(
        text.contains("bỏ qua 27/04 Nghỉ bù Giỗ Tổ Hùng Vương"),
        "{text}"
    );
    assert!(text.contains("29/04/2026 (Thứ Tư)"), "{text}");

    let got = cal.due(t("2026-04-29T10:00"), term("2wd")).unwrap();
    let names: Vec<_> = got
        .skipped
        .iter()
        .map(|s| s.date.format("%d/%m").to_string())
        .collect();
    assert_eq!(names, ["30/04", "01/05"]);

    // Tết 2026: the five statutory days are listed, weekends are not.
    let got = cal.due(t("2026-02-13T10:00"), term("5wd")).unwrap();
    assert_eq!(got.skipped.len(), 5);
    assert!(
        got.skipped
            .iter()
            .all(|s| s.name.starts_with("Tết Nguyên đán"))
    );
}

#[test]
fn same_day_cutoff() {
    let cal = WorkCalendar::with_builtin();
    let before = cal.due(t("2026-03-06T14:59"), Term::SameDay).unwrap();
    assert_eq!(before.at, t("2026-03-06T17:00"));
    let after = cal.due(t("2026-03-06T15:01"), Term::SameDay).unwrap();
    assert_eq!(after.at, t("2026-03-09T17:00"));
    assert!(
        cal.explain_vi(&after)
            .contains("nhận sau 15:00 nên hẹn ngày làm việc tiếp theo")
    );
    // Exactly at the cutoff is still the same day; a Saturday receipt goes to Monday.
    assert_eq!(
        cal.due(t("2026-03-06T15:00"), Term::SameDay).unwrap().at,
        t("2026-03-06T17:00")
    );
    let saturday = cal.due(t("2026-03-07T09:00"), Term::SameDay).unwrap();
    assert_eq!(saturday.at, t("2026-03-09T17:00"));
    assert!(cal.explain_vi(&saturday).contains("nhận vào ngày nghỉ"));
    // The cutoff is configurable.
    let early = WorkConfig {
        same_day_cutoff: "14:00".parse().unwrap(),
        ..WorkConfig::default()
    };
    let cal = WorkCalendar::new(vec![], early).unwrap();
    assert_eq!(
        cal.due(t("2026-03-06T14:30"), Term::SameDay).unwrap().at,
        t("2026-03-09T17:00")
    );
}

#[test]
fn after_hours_both_conventions() {
    let cal = WorkCalendar::with_builtin();
    let got = cal.due(t("2026-03-10T17:30"), term("1wd")).unwrap();
    assert_eq!(got.start, t("2026-03-11T07:00"));
    assert_eq!(got.at, t("2026-03-11T17:00"));
    assert!(
        cal.explain_vi(&got)
            .contains("tính từ 07:00 ngày 11/03/2026 (Thứ Tư)")
    );

    let rolls = WorkConfig {
        end_of_day_rolls_over: true,
        ..WorkConfig::default()
    };
    let cal = WorkCalendar::new(motcua_core::calendar::builtin_schedules(), rolls).unwrap();
    assert_eq!(
        cal.due(t("2026-03-10T17:30"), term("1wd")).unwrap().at,
        t("2026-03-12T07:00")
    );
    // Only a day's close rolls over, not the lunch break; and only hour counts.
    assert_eq!(
        cal.due(t("2026-03-11T07:00"), term("4wh")).unwrap().at,
        t("2026-03-11T11:00")
    );
    assert_eq!(
        cal.due(t("2026-03-11T07:30"), term("4wh")).unwrap().at,
        t("2026-03-11T11:30")
    );
    assert_eq!(
        cal.due(t("2026-03-10T09:00"), Term::SameDay).unwrap().at,
        t("2026-03-10T17:00")
    );
    // Friday's close rolls over to Monday's opening.
    assert_eq!(
        cal.due(t("2026-03-13T07:00"), term("1wd")).unwrap().at,
        t("2026-03-16T07:00")
    );
}

#[test]
fn working_hours_and_lunch() {
    let cal = WorkCalendar::with_builtin();
    assert_eq!(
        cal.due(t("2026-03-10T10:00"), term("4wh")).unwrap().at,
        t("2026-03-10T16:00")
    );
    assert_eq!(
        cal.due(t("2026-03-10T12:15"), term("1wh")).unwrap().at,
        t("2026-03-10T14:30")
    );
    assert_eq!(
        cal.due(t("2026-03-10T16:30"), term("1wh")).unwrap().at,
        t("2026-03-11T07:30")
    );
    let by_hours = cal.due(t("2026-03-10T16:30"), term("8wh")).unwrap().at;
    assert_eq!(
        by_hours,
        cal.due(t("2026-03-10T16:30"), term("1wd")).unwrap().at
    );
}

#[test]
fn calendar_days() {
    let cal = WorkCalendar::with_builtin();
    // Tue 10/3 + 5 days = Sun 15/3 → Mon 16/3 at closing time.
    let got = cal.due(t("2026-03-10T09:00"), term("5d")).unwrap();
    assert_eq!(got.at, t("2026-03-16T17:00"));
    assert!(
        cal.explain_vi(&got)
            .contains("ngày thứ 5 là 15/03/2026 (Chủ nhật)"),
        "{}",
        cal.explain_vi(&got)
    );
    // Fri 24/4 + 3 days = Mon 27/4 (compensatory) → Tue 28/4, and the 27th is named.
    let got = cal.due(t("2026-04-24T09:00"), term("3d")).unwrap();
    assert_eq!(got.at, t("2026-04-28T17:00"));
    assert_eq!(got.skipped.len(), 1);
    assert_eq!(got.skipped[0].date, date("2026-04-27"));
    // A working target day is kept even when received at night.
    assert_eq!(
        cal.due(t("2026-03-10T22:00"), term("1d")).unwrap().at,
        t("2026-03-11T17:00")
    );
}

#[test]
fn supplement_pause_moves_the_due() {
    let cal = WorkCalendar::with_builtin();
    let pause = [Supplement {
        requested: t("2026-03-16T10:00"),
        completed: Some(t("2026-03-18T10:00")),
    }];
    assert_eq!(
        cal.paused_time(&pause, t("2026-03-30T00:00")).unwrap(),
        TimeDelta::hours(16)
    );
    for due in ["2026-03-20T17:00", "2026-03-20T10:00"] {
        let moved = cal
            .adjusted_due(t(due), &pause, t("2026-03-30T00:00"))
            .unwrap();
        assert_eq!(moved.date(), date("2026-03-24"), "{due}");
        assert_eq!(moved.time(), t(due).time());
    }
    // An open request stops the clock up to "now": never overdue while waiting.
    let open = [Supplement {
        requested: t("2026-03-16T10:00"),
        completed: None,
    }];
    let c = cal
        .classify(
            t("2026-03-20T17:00"),
            &open,
            Progress::Pending(t("2026-03-25T09:00")),
        )
        .unwrap();
    assert_eq!(c.timeliness, Timeliness::WithinTime);
    assert!(c.due > t("2026-03-25T09:00"));
    // Overlapping requests count once.
    let twice = [
        pause[0],
        Supplement {
            requested: t("2026-03-17T10:00"),
            completed: Some(t("2026-03-18T10:00")),
        },
    ];
    assert_eq!(
        cal.paused_time(&twice, t("2026-03-30T00:00")).unwrap(),
        TimeDelta::hours(16)
    );
}

#[test]
fn classification_vectors() {
    let cal = WorkCalendar::with_builtin();
    let due = t("2026-04-29T17:00");
    let class = |p| cal.classify(due, &[], p).unwrap().timeliness;
    assert_eq!(
        class(Progress::Finished(t("2026-04-28T16:00"))),
        Timeliness::Early
    );
    assert_eq!(
        class(Progress::Finished(t("2026-04-29T14:00"))),
        Timeliness::OnTime
    );
    assert_eq!(
        class(Progress::Finished(t("2026-04-30T09:00"))),
        Timeliness::Late
    );
    assert_eq!(
        class(Progress::Finished(t("2026-04-29T17:00"))),
        Timeliness::OnTime
    );
    assert_eq!(
        class(Progress::Finished(t("2026-04-29T17:01"))),
        Timeliness::Late
    );
    let pending = cal
        .classify(due, &[], Progress::Pending(t("2026-05-04T09:00")))
        .unwrap();
    assert_eq!(pending.timeliness, Timeliness::Overdue);
    assert_eq!(pending.timeliness.describe_vi(), "đang giải quyết quá hạn");
    assert_eq!(
        class(Progress::Pending(t("2026-04-29T16:00"))),
        Timeliness::WithinTime
    );
    assert_eq!(Timeliness::Early.label_vi(), "Trước hạn");
    assert_eq!(Timeliness::OnTime.label_vi(), "Đúng hạn");
    assert_eq!(Timeliness::Late.label_vi(), "Quá hạn");
    assert_eq!(Timeliness::WithinTime.label_vi(), "Trong hạn");
}

#[test]
fn more_than_one_supplement_is_flagged() {
    let cal = WorkCalendar::with_builtin();
    let s = |a, b| Supplement {
        requested: t(a),
        completed: Some(t(b)),
    };
    let two = [
        s("2026-04-20T09:00", "2026-04-20T10:00"),
        s("2026-04-21T09:00", "2026-04-21T10:00"),
    ];
    let c = cal
        .classify(
            t("2026-04-29T17:00"),
            &two,
            Progress::Finished(t("2026-04-28T16:00")),
        )
        .unwrap();
    assert_eq!(c.timeliness, Timeliness::Early);
    assert_eq!(c.supplement_requests, 2);
    assert!(c.multiple_supplements && c.counts_as_overdue);
    assert_eq!(c.paused, TimeDelta::hours(2));
    let one = &two[..1];
    let c = cal
        .classify(
            t("2026-04-29T17:00"),
            one,
            Progress::Finished(t("2026-04-28T16:00")),
        )
        .unwrap();
    assert!(!c.multiple_supplements && !c.counts_as_overdue);
}

#[test]
fn errors_not_panics_at_the_edges() {
    let cal = WorkCalendar::with_builtin();
    assert!(cal.due(t("2199-12-30T09:00"), term("5wd")).is_err());
    assert!(cal.due(t("2199-12-30T09:00"), term("400d")).is_err());
    assert!(
        cal.due(t("2199-12-30T09:00"), Term::WorkingDays(u32::MAX))
            .is_err()
    );
    assert!(cal.due(t("2199-12-31T18:00"), Term::SameDay).is_err());
    let past = NaiveDate::from_ymd_opt(1899, 12, 31)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    assert!(cal.due(past, term("1wd")).is_err());
    assert!(
        cal.is_working_day(NaiveDate::from_ymd_opt(2200, 1, 1).unwrap())
            .is_err()
    );
    // Far but in range works, with default tables.
    assert!(cal.due(t("2150-06-01T09:00"), term("30wd")).is_ok());
    assert!(cal.due(t("1900-01-02T09:00"), term("30wd")).is_ok());
}
