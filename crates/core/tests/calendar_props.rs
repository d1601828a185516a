//! Properties of the due instant over random receipts (deterministic: the core's splitmix64):
//! never before the receipt, always in a session of a working day (or at its end),
//! non-decreasing in the term, and skipped days are exactly the off weekdays passed over.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use motcua_core::calendar::{Due, Term, WorkCalendar, WorkConfig, builtin_schedules, is_weekend};
use motcua_core::sample::Rng;

/// A random instant in 2000–2100, any minute of the day (nights and weekends included),
/// with a bias towards 2025–2026 where the official schedules apply.
fn random_instant(rng: &mut Rng) -> NaiveDateTime {
    let base = if rng.below(2) == 0 {
        NaiveDate::from_ymd_opt(2024, 12, 1).unwrap()
    } else {
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()
    };
    let span = if base.year() == 2024 { 800 } else { 36_500 };
    let day = base + Days::new(rng.below(span));
    let minute = rng.below(24 * 60) as u32;
    day.and_time(NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap())
}

fn random_term(rng: &mut Rng) -> Term {
    let n = 1 + rng.below(30) as u32;
    match rng.below(4) {
        0 => Term::WorkingDays(n),
        1 => Term::WorkingHours(n),
        2 => Term::CalendarDays(n),
        _ => Term::SameDay,
    }
}

/// Checks the properties of one due instant.
fn check(cal: &WorkCalendar, received: NaiveDateTime, due: &Due) {
    let ctx = format!("{received} + {}", due.term);
    assert!(due.at >= received, "{ctx}: {} before receipt", due.at);
    assert!(
        due.start >= received.with_second(0).unwrap_or(received),
        "{ctx}"
    );
    assert!(
        cal.is_in_session(due.at).unwrap(),
        "{ctx}: {} outside sessions",
        due.at
    );
    assert!(cal.is_working_day(due.at.date()).unwrap(), "{ctx}");
    for s in &due.skipped {
        assert!(
            !is_weekend(s.date) && !cal.is_working_day(s.date).unwrap(),
            "{ctx}: {}",
            s.date
        );
        assert!(s.date < due.at.date() && !s.name.is_empty(), "{ctx}");
    }
    assert!(
        due.skipped.windows(2).all(|w| w[0].date < w[1].date),
        "{ctx}"
    );
    if matches!(due.term, Term::WorkingDays(_) | Term::WorkingHours(_)) {
        // Every off weekday between receipt and due is listed.
        let mut d = received.date();
        let mut expected = 0;
        while d < due.at.date() {
            if !is_weekend(d) && !cal.is_working_day(d).unwrap() {
                expected += 1;
            }
            d = d.succ_opt().unwrap();
        }
        assert_eq!(due.skipped.len(), expected, "{ctx}");
        // Working time from the effective start equals the term.
        let worked = cal.working_time_between(due.start, due.at).unwrap();
        let want = match due.term {
            Term::WorkingDays(n) => cal.config().day_length() * n as i32,
            Term::WorkingHours(n) => chrono::TimeDelta::hours(i64::from(n)),
            _ => unreachable!(),
        };
        if !cal.config().end_of_day_rolls_over {
            assert_eq!(worked, want, "{ctx}");
        }
    }
}

fn run(cal: &WorkCalendar, seed: u64, cases: usize) {
    let mut rng = Rng::new(seed);
    for _ in 0..cases {
        let received = random_instant(&mut rng);
        let term = random_term(&mut rng);
        let due = cal.due(received, term).unwrap();
        check(cal, received, &due);
        // Non-decreasing in the term: one more unit never gives an earlier instant.
        if let Some(n) = term.count() {
            let next = match term {
                Term::WorkingDays(_) => Term::WorkingDays(n + 1),
                Term::WorkingHours(_) => Term::WorkingHours(n + 1),
                _ => Term::CalendarDays(n + 1),
            };
            let later = cal.due(received, next).unwrap();
            assert!(
                later.at >= due.at,
                "{received}: {term} → {}, {next} → {}",
                due.at,
                later.at
            );
            if matches!(term, Term::WorkingDays(_) | Term::WorkingHours(_)) {
                assert!(later.at > due.at, "{received}: {term} vs {next}");
            }
        } else {
            let one_day = cal.due(received, Term::WorkingDays(1)).unwrap();
            assert!(
                due.at.date() <= one_day.at.date()
                    || one_day.at.time() == cal.config().opening_time()
            );
        }
        // A day's worth of working hours is one working day (8 h with the default hours).
        let day_secs = cal.config().day_length().num_seconds();
        if let (Term::WorkingDays(n), 0) = (term, day_secs % 3600) {
            let hours = cal
                .due(received, Term::WorkingHours(n * (day_secs / 3600) as u32))
                .unwrap();
            assert_eq!(hours.at, due.at, "{received} {term}");
        }
    }
}

#[test]
fn properties_with_default_conventions() {
    run(&WorkCalendar::with_builtin(), 0x6d6f_7463_7561, 4000);
}

#[test]
fn properties_when_the_day_end_rolls_over() {
    let config = WorkConfig {
        end_of_day_rolls_over: true,
        ..WorkConfig::default()
    };
    run(
        &WorkCalendar::new(builtin_schedules(), config).unwrap(),
        42,
        3000,
    );
}

#[test]
fn properties_with_other_office_hours() {
    let config = WorkConfig {
        sessions: vec![
            motcua_core::calendar::Session {
                start: "07:30".parse().unwrap(),
                end: "11:30".parse().unwrap(),
            },
            motcua_core::calendar::Session {
                start: "13:00".parse().unwrap(),
                end: "16:30".parse().unwrap(),
            },
        ],
        same_day_cutoff: "15:30".parse().unwrap(),
        end_of_day_rolls_over: false,
    };
    run(
        &WorkCalendar::new(builtin_schedules(), config).unwrap(),
        7,
        2000,
    );
}

#[test]
fn random_bad_input_gives_errors_not_panics() {
    let mut rng = Rng::new(2026);
    let cal = WorkCalendar::with_builtin();
    for _ in 0..1500 {
        // Lunar dates around and beyond every bound.
        let l = motcua_core::calendar::LunarDate {
            day: rng.below(33) as u32,
            month: rng.below(15) as u32,
            year: 1890 + rng.below(320) as i32,
            leap: rng.below(4) == 0,
        };
        if let Ok(date) = l.to_solar() {
            assert_eq!(
                motcua_core::calendar::LunarDate::from_solar(date).unwrap(),
                l
            );
        }
        // Instants anywhere in range, terms of any size.
        let day = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Days::new(rng.below(109_573));
        let received = day
            .and_hms_opt(rng.below(24) as u32, rng.below(60) as u32, 0)
            .unwrap();
        let n = match rng.below(20) {
            0 => rng.below(100_000) as u32,
            1 => u32::MAX - rng.below(3) as u32,
            _ => rng.below(40) as u32,
        };
        for term in [
            Term::WorkingDays(n),
            Term::WorkingHours(n),
            Term::CalendarDays(n),
            Term::SameDay,
        ] {
            if let Ok(due) = cal.due(received, term) {
                assert!(due.at >= received);
            }
        }
        // Text that is almost a term or a date.
        let junk: String = (0..rng.below(8))
            .map(|_| b"0123456789-+wdh: T/"[rng.below(19) as usize] as char)
            .collect();
        let _ = junk.parse::<Term>();
        let _ = motcua_core::calendar::parse_date(&junk);
        let _ = motcua_core::calendar::parse_datetime(&junk);
    }
}
