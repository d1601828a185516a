use super::*;
use chrono::NaiveDate;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn facts(code: &str, received: &str, due: &str, steps: &[(&str, Status)]) -> Facts {
    Facts {
        code: code.into(),
        field: "Hộ tịch".into(),
        procedure: "Đăng ký khai sinh".into(),
        clerk: "lan".into(),
        online: false,
        received_at: t(received),
        due_at: Some(t(due)),
        steps: steps.iter().map(|(at, s)| (t(at), *s)).collect(),
    }
}

/// November 2026 as calendar days.
fn november() -> Period {
    Period::month(2026, 11, 1).unwrap()
}

fn standing(f: &Facts, p: Period) -> Standing {
    f.standing(p.end()).unwrap()
}

#[test]
fn periods_close_on_the_setting_day() {
    let p = Period::month(2026, 11, 15).unwrap();
    assert_eq!((p.from, p.to), (d("2026-10-15"), d("2026-11-14")));
    assert_eq!(p.label(), "Tháng 11 năm 2026");
    assert_eq!(p.days(), "Từ ngày 15/10/2026 đến ngày 14/11/2026");
    let p = Period::month(2026, 1, 15).unwrap();
    assert_eq!((p.from, p.to), (d("2025-12-15"), d("2026-01-14")));
    let p = Period::month(2026, 2, 1).unwrap();
    assert_eq!((p.from, p.to), (d("2026-02-01"), d("2026-02-28")));
    let p = Period::quarter(2026, 4, 15).unwrap();
    assert_eq!((p.from, p.to), (d("2026-09-15"), d("2026-12-14")));
    assert_eq!(p.label(), "Quý IV năm 2026");
    let p = Period::half(2026, 1, 1).unwrap();
    assert_eq!((p.from, p.to), (d("2026-01-01"), d("2026-06-30")));
    assert_eq!(p.label(), "6 tháng đầu năm 2026");
    let p = Period::year(2026, 15).unwrap();
    assert_eq!((p.from, p.to), (d("2025-12-15"), d("2026-12-14")));
    assert_eq!(p.label(), "Năm 2026");
    assert!(Period::month(2026, 13, 1).is_none());
    assert!(Period::month(2026, 1, 29).is_none());
    assert!(Period::range(d("2026-02-01"), d("2026-01-01")).is_none());
}

#[test]
fn ended_early_on_time_or_late_against_the_first_appointment() {
    let due = "2026-11-10 17:00";
    let early = facts(
        "a",
        "2026-11-05 09:00",
        due,
        &[("2026-11-09 10:00", Status::ResultReady)],
    );
    let on_time = facts(
        "b",
        "2026-11-05 09:00",
        due,
        &[("2026-11-10 16:59", Status::ResultReady)],
    );
    let late = facts(
        "c",
        "2026-11-05 09:00",
        due,
        &[("2026-11-10 17:01", Status::ResultReady)],
    );
    assert_eq!(standing(&early, november()), Standing::Early);
    assert_eq!(standing(&on_time, november()), Standing::OnTime);
    assert_eq!(standing(&late, november()), Standing::Late);
    // The result ready ends it; the return days later does not make it late.
    let returned_later = facts(
        "d",
        "2026-11-05 09:00",
        due,
        &[
            ("2026-11-10 08:00", Status::ResultReady),
            ("2026-11-20 08:00", Status::Returned),
        ],
    );
    assert_eq!(standing(&returned_later, november()), Standing::OnTime);
    // An upstream "result ready" is a step like any other.
    let upstream = facts(
        "e",
        "2026-11-05 09:00",
        due,
        &[
            ("2026-11-06 08:00", Status::Processing),
            ("2026-11-12 08:00", Status::ResultReady),
        ],
    );
    assert_eq!(standing(&upstream, november()), Standing::Late);
}

#[test]
fn received_in_one_period_and_finished_in_the_next() {
    let f = facts(
        "a",
        "2026-11-27 09:00",
        "2026-12-02 17:00",
        &[("2026-12-01 15:00", Status::ResultReady)],
    );
    let nov = report(november(), std::slice::from_ref(&f));
    assert_eq!(nov.total.received_direct, 1);
    assert_eq!(nov.total.pending_in_time, 1);
    assert_eq!(nov.total.resolved_total, 0);
    let dec = report(
        Period::month(2026, 12, 1).unwrap(),
        std::slice::from_ref(&f),
    );
    assert_eq!(dec.total.carried, 1);
    assert_eq!(dec.total.received_direct, 0);
    assert_eq!(dec.total.received_total, 1);
    assert_eq!(dec.total.early, 1);
    // A month after: ended before the period, not in it at all.
    let jan = report(Period::month(2027, 1, 1).unwrap(), &[f]);
    assert_eq!(
        jan.total,
        Row {
            field: "Tổng số".into(),
            ..Row::default()
        }
    );
}

#[test]
fn time_waiting_for_a_supplement_does_not_count_and_a_second_request_is_late() {
    // Due 10/11 17:00; waited 3 days for the supplement; finished 12/11: on time.
    let once = facts(
        "a",
        "2026-11-05 09:00",
        "2026-11-10 17:00",
        &[
            ("2026-11-06 09:00", Status::SupplementRequested),
            ("2026-11-09 09:00", Status::Processing),
            ("2026-11-12 10:00", Status::ResultReady),
        ],
    );
    assert_eq!(standing(&once, november()), Standing::Early);
    let twice = facts(
        "b",
        "2026-11-05 09:00",
        "2026-11-10 17:00",
        &[
            ("2026-11-06 09:00", Status::SupplementRequested),
            ("2026-11-07 09:00", Status::Processing),
            ("2026-11-07 10:00", Status::SupplementRequested),
            ("2026-11-08 09:00", Status::Processing),
            ("2026-11-09 10:00", Status::ResultReady),
        ],
    );
    assert_eq!(standing(&twice, november()), Standing::Late);
    // Still waiting at the period's end: the wait runs to the end, so within time.
    let waiting = facts(
        "c",
        "2026-11-25 09:00",
        "2026-11-27 17:00",
        &[("2026-11-26 09:00", Status::SupplementRequested)],
    );
    assert_eq!(standing(&waiting, november()), Standing::PendingInTime);
}

#[test]
fn a_withdrawal_and_a_refusal_end_the_dossier() {
    let withdrawn = facts(
        "a",
        "2026-11-05 09:00",
        "2026-11-10 17:00",
        &[("2026-11-06 09:00", Status::Withdrawn)],
    );
    let refused = facts(
        "b",
        "2026-11-05 09:00",
        "2026-11-10 17:00",
        &[("2026-11-12 09:00", Status::Refused)],
    );
    assert_eq!(standing(&withdrawn, november()), Standing::Early);
    assert_eq!(standing(&refused, november()), Standing::Late);
    let r = report(november(), &[withdrawn, refused]);
    assert_eq!(r.total.resolved_total, 2);
    assert!(r.notes[0].contains("rút hồ sơ"));
}

#[test]
fn an_extension_does_not_make_a_late_dossier_on_time() {
    // The apology moved the appointment to 20/11; the facts keep the first, 10/11.
    let f = facts(
        "a",
        "2026-11-05 09:00",
        "2026-11-10 17:00",
        &[("2026-11-18 09:00", Status::ResultReady)],
    );
    assert_eq!(standing(&f, november()), Standing::Late);
    let pending = facts("b", "2026-11-05 09:00", "2026-11-10 17:00", &[]);
    assert_eq!(standing(&pending, november()), Standing::PendingLate);
    // Due on the period's last day, not finished: overdue by its end.
    let last_day = facts("c", "2026-11-25 09:00", "2026-11-30 17:00", &[]);
    assert_eq!(standing(&last_day, november()), Standing::PendingLate);
    let next_month = facts("d", "2026-11-25 09:00", "2026-12-01 17:00", &[]);
    assert_eq!(standing(&next_month, november()), Standing::PendingInTime);
}

#[test]
fn rows_per_field_add_up_and_the_ratios_follow() {
    let mut all = vec![
        facts(
            "a",
            "2026-11-05 09:00",
            "2026-11-10 17:00",
            &[("2026-11-09 10:00", Status::ResultReady)],
        ),
        facts(
            "b",
            "2026-11-05 09:00",
            "2026-11-10 17:00",
            &[("2026-11-11 10:00", Status::ResultReady)],
        ),
        facts("c", "2026-11-25 09:00", "2026-12-10 17:00", &[]),
    ];
    let mut other = facts("d", "2026-11-06 09:00", "2026-11-06 17:00", &[]);
    other.field = "Chứng thực".into();
    all.push(other);
    let mut none = facts("e", "2026-11-06 09:00", "2026-11-20 17:00", &[]);
    none.field = String::new();
    all.push(none);
    let r = report(november(), &all);
    let names: Vec<&str> = r.rows.iter().map(|r| r.field.as_str()).collect();
    assert_eq!(names, ["Chưa xác định lĩnh vực", "Chứng thực", "Hộ tịch"]);
    for row in r.rows.iter().chain([&r.total]) {
        assert_eq!(
            row.received_total,
            row.received_online + row.received_direct + row.carried
        );
        assert_eq!(row.received_total, row.resolved_total + row.pending_total);
        assert_eq!(
            row.resolved_total,
            row.early + row.on_time + row.resolved_late
        );
        assert_eq!(row.pending_total, row.pending_in_time + row.pending_late);
    }
    // Pending: c within time (due in December), d and e overdue by the month's end.
    assert_eq!(r.total.counts(), [5, 0, 5, 0, 2, 1, 0, 1, 3, 1, 2]);
    // On time: 1 early + 1 pending within time, over 5.
    assert_eq!(r.ratios[0].numerator, 2);
    assert_eq!(r.ratios[0].denominator, 5);
    assert_eq!(r.ratios[0].percent.as_deref(), Some("40,0"));
    assert_eq!(r.ratios[1].percent.as_deref(), Some("0,0"));
    assert_eq!(r.not_measured.len(), 4);
}

#[test]
fn the_period_holding_a_day_follows_the_closing_day() {
    let p = Period::containing(PeriodKind::Month, d("2026-12-06"), 15).unwrap();
    assert_eq!((p.from, p.to), (d("2026-11-15"), d("2026-12-14")));
    let p = Period::containing(PeriodKind::Month, d("2026-12-20"), 15).unwrap();
    assert_eq!((p.from, p.to), (d("2026-12-15"), d("2027-01-14")));
    assert_eq!(p.label(), "Tháng 1 năm 2027");
    let p = Period::containing(PeriodKind::Quarter, d("2026-12-20"), 15).unwrap();
    assert_eq!(p.label(), "Quý I năm 2027");
    let p = Period::containing(PeriodKind::Year, d("2026-12-06"), 1).unwrap();
    assert_eq!((p.from, p.to), (d("2026-01-01"), d("2026-12-31")));
    let before = p.step(-1, 1).unwrap();
    assert_eq!((before.from, before.to), (d("2025-01-01"), d("2025-12-31")));
    let december = Period::month(2026, 12, 15).unwrap();
    assert_eq!(
        december.step(0, 15),
        Some(december),
        "shown again, the same period"
    );
    let next = december.step(1, 15).unwrap();
    assert_eq!(next.label(), "Tháng 1 năm 2027");
    let r = Period::range(d("2026-11-01"), d("2026-11-07")).unwrap();
    let back = r.step(-1, 15).unwrap();
    assert_eq!((back.from, back.to), (d("2026-10-25"), d("2026-10-31")));
}

/// A mix of dossiers over November: ended early, on time, late, pending, supplemented,
/// carried in from October.
fn november_mix() -> Vec<Facts> {
    use Status::*;
    vec![
        facts(
            "A",
            "2026-11-03 09:00",
            "2026-11-05 17:00",
            &[("2026-11-04 10:00", ResultReady)],
        ),
        facts("B", "2026-11-03 09:00", "2026-11-10 17:00", &[]),
        facts(
            "C",
            "2026-10-20 09:00",
            "2026-11-02 17:00",
            &[("2026-11-18 10:00", Returned)],
        ),
        facts(
            "D",
            "2026-11-09 08:00",
            "2026-11-12 17:00",
            &[
                ("2026-11-10 08:00", SupplementRequested),
                ("2026-11-16 08:00", Processing),
            ],
        ),
        facts(
            "E",
            "2026-11-23 08:00",
            "2026-12-10 17:00",
            &[("2026-11-30 09:00", Withdrawn)],
        ),
        facts(
            "F",
            "2026-10-01 08:00",
            "2026-10-05 17:00",
            &[("2026-10-04 08:00", ResultReady)],
        ),
        facts(
            "G",
            "2026-11-16 00:00",
            "2026-11-16 17:00",
            &[("2026-11-16 00:00", ResultReady)],
        ),
    ]
}

#[test]
fn each_week_of_the_chart_is_the_report_of_that_week() {
    let facts = november_mix();
    let weeks = weeks(&november(), &facts, november().end());
    // 1 November 2026 is a Sunday: a one-day week, four whole ones, Monday the 30th.
    let spans: Vec<_> = weeks.iter().map(|w| (w.from, w.to)).collect();
    assert_eq!(spans.first(), Some(&(d("2026-11-01"), d("2026-11-01"))));
    assert_eq!(spans.last(), Some(&(d("2026-11-30"), d("2026-11-30"))));
    assert_eq!(weeks.len(), 6);
    for w in &weeks {
        let r = report(Period::range(w.from, w.to).unwrap(), &facts);
        let on_time = &r.ratios[0];
        assert_eq!(
            (w.in_time, w.counted),
            (on_time.numerator, on_time.denominator),
            "week from {}",
            w.from
        );
    }
    // The week of 2–8 November: A ended early, B pending within time, C carried and
    // overdue, D not yet received.
    assert_eq!((weeks[1].in_time, weeks[1].counted), (2, 3));
    assert!(weeks.iter().all(|w| w.counted > 0));
}

#[test]
fn the_overdue_list_says_how_late_and_who_received_it() {
    let facts = november_mix();
    let at = t("2026-11-12 12:00");
    let late = overdue(at, &facts);
    let codes: Vec<_> = late
        .iter()
        .map(|o| (o.code.as_str(), o.days_late))
        .collect();
    // C fell due on the 2nd, B on the 10th; D's appointment moves on while it waits for
    // its supplement, so it is not late yet.
    assert_eq!(codes, [("C", 10), ("B", 2)]);
    assert_eq!(late[0].clerk, "lan");
    assert_eq!(late[0].procedure, "Đăng ký khai sinh");
    // D waited six days for its supplement: due the 18th, not the 12th.
    let d_due = facts[3].due_before(t("2026-11-20 12:00")).0.unwrap();
    assert_eq!(d_due, t("2026-11-18 17:00"));
}

#[test]
fn the_busiest_procedures_are_those_received_most_in_the_period() {
    let mut facts = november_mix();
    facts[0].procedure = "Chứng thực bản sao".into();
    facts[1].procedure = "Chứng thực bản sao".into();
    facts[2].procedure = "Chứng thực bản sao".into(); // received in October
    let top = busiest(&november(), &facts, 2);
    assert_eq!(
        top,
        [
            ("Đăng ký khai sinh".to_string(), 3),
            ("Chứng thực bản sao".to_string(), 2)
        ]
    );
}

#[test]
fn a_period_not_over_is_counted_up_to_now() {
    let facts = november_mix();
    // On the 12th at noon: B (due the 10th) is overdue, E not received yet, D waiting
    // for its supplement within time; the chart stops at the week of the 12th.
    let now = t("2026-11-12 12:00");
    let r = report_as_of(november(), &facts, now);
    assert_eq!(r.total.received_total, 4, "A, B, C carried, D");
    assert_eq!((r.total.pending_in_time, r.total.pending_late), (1, 2));
    let w = weeks(&november(), &facts, now);
    assert_eq!(w.len(), 3);
    assert_eq!(w[2].to, d("2026-11-15"));
    // The whole month counted at its end: C ended (late) on the 18th; B and D (due the
    // 18th after its six days' wait) are overdue by then.
    assert_eq!(report(november(), &facts).total.pending_late, 2);
    // What is printed or exported says so: these are not the whole period's figures.
    assert_eq!(r.counted_to, Some(now));
    assert_eq!(
        r.counted_to_line().as_deref(),
        Some("Số liệu tính đến 12:00 ngày 12/11/2026 (kỳ báo cáo chưa kết thúc)")
    );
    let text = csv(&r, "UBND xã Tân Lập");
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("Kỳ báo cáo: ")
                && l.ends_with(
                    ". Số liệu tính đến 12:00 ngày 12/11/2026 (kỳ báo cáo chưa kết thúc)"
                )),
        "{text}"
    );
    assert!(
        text.lines().nth(4).is_some_and(|l| l.starts_with("STT,")),
        "{text}"
    );
    // Counted in its last second, or after, it is the whole period: no such line.
    for at in [
        "2026-11-30 23:59:59",
        "2026-12-01 00:00:00",
        "2026-12-06 10:30:00",
    ] {
        let at = NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S").unwrap();
        let whole = report_as_of(november(), &facts, at);
        assert_eq!(whole.counted_to, None, "{at}");
        assert_eq!(whole, report(november(), &facts), "{at}");
        assert!(!csv(&whole, "UBND xã Tân Lập").contains("tính đến"), "{at}");
    }
}

#[test]
fn a_period_is_written_as_a_year_a_month_a_quarter_or_a_half() {
    let p = Period::parse("2026-11", 15).unwrap();
    assert_eq!((p.from, p.to), (d("2026-10-15"), d("2026-11-14")));
    assert_eq!(Period::parse("2026", 1).unwrap().label(), "Năm 2026");
    assert_eq!(
        Period::parse("2026-Q4", 15).unwrap().label(),
        "Quý IV năm 2026"
    );
    assert_eq!(
        Period::parse("2026-H1", 15).unwrap().label(),
        "6 tháng đầu năm 2026"
    );
    for bad in [
        "2026-13",
        "2026-Q5",
        "2026-H3",
        "2026-h1",
        "năm 2026",
        "",
        "2026-1",
        "0",
        "2026-",
        " 2026",
    ] {
        assert_eq!(Period::parse(bad, 15), None, "{bad}");
    }
    assert_eq!(
        Period::parse("2026-11", 29),
        None,
        "a closing day after the 28th"
    );
    // Year 0 closed on the 7th would start in year −1 (found by the API's fuzzing).
    for (text, day) in [("0000", 7), ("0000-01", 15), ("1899-Q4", 15), ("0001", 1)] {
        assert_eq!(Period::parse(text, day), None, "{text}");
    }
    assert!(Period::parse("1900", 15).is_some());
    assert!(Period::parse("9999-H2", 28).is_some());
}
