//! The calendar's hot paths. Targets: a due instant ≤ 5 µs, a lunar conversion ≤ 5 µs,
//! a year's holiday table ≤ 1 ms.
//!
//! `cargo bench -p motcua-core --bench calendar -- --warm-up-time 1 --measurement-time 3`

use chrono::{NaiveDate, NaiveDateTime};
use criterion::{Criterion, criterion_group, criterion_main};
use motcua_core::calendar::holiday::default_days;
use motcua_core::calendar::{LunarDate, Term, WorkCalendar, parse_datetime};
use std::hint::black_box;

fn instant(s: &str) -> NaiveDateTime {
    parse_datetime(s).expect("a valid bench instant")
}

fn due(c: &mut Criterion) {
    let cal = WorkCalendar::with_builtin();
    // Warm the year tables, as a running app would after its first dossier.
    let received = instant("2026-04-23T09:00");
    cal.due(received, Term::WorkingDays(3)).expect("due");
    c.bench_function("due: 3wd over Giỗ Tổ 2026", |b| {
        b.iter(|| cal.due(black_box(received), black_box(Term::WorkingDays(3))))
    });
    let received = instant("2026-02-13T10:00");
    cal.due(received, Term::WorkingDays(20)).expect("due");
    c.bench_function("due: 20wd over Tết 2026", |b| {
        b.iter(|| cal.due(black_box(received), black_box(Term::WorkingDays(20))))
    });
    let received = instant("2026-03-06T15:01");
    c.bench_function("due: same-day after the cutoff", |b| {
        b.iter(|| cal.due(black_box(received), black_box(Term::SameDay)))
    });
}

fn lunar(c: &mut Criterion) {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let mut i = 0u64;
    c.bench_function("lunar: solar → lunar", |b| {
        b.iter(|| {
            i = (i + 37) % 365;
            LunarDate::from_solar(black_box(start + chrono::Days::new(i)))
        })
    });
    let mut m = 0u32;
    c.bench_function("lunar: lunar → solar", |b| {
        b.iter(|| {
            m = m % 12 + 1;
            black_box(LunarDate {
                day: 15,
                month: m,
                year: 2026,
                leap: false,
            })
            .to_solar()
        })
    });
}

fn holidays(c: &mut Criterion) {
    c.bench_function("holidays: default table of 2031", |b| {
        b.iter(|| default_days(black_box(2031)))
    });
    c.bench_function("holidays: new calendar + table of 2031", |b| {
        b.iter(|| {
            let cal = WorkCalendar::with_builtin();
            cal.days_of_year(black_box(2031)).map(<[_]>::len)
        })
    });
}

criterion_group!(benches, due, lunar, holidays);
criterion_main!(benches);
