//! Lunar calendar: the vectors of the domain brief §6/§10, Tết 2000–2035, and a round trip
//! over every day 1900-01-31 … 2199-12-31.

use chrono::NaiveDate;
use motcua_core::calendar::lunar::{CHINA_ZONE, year_name};
use motcua_core::calendar::{CalendarError, LunarDate};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn lunar(date: NaiveDate) -> (u32, u32, i32, bool) {
    let l = LunarDate::from_solar(date).unwrap();
    (l.day, l.month, l.year, l.leap)
}

fn solar(day: u32, month: u32, year: i32, leap: bool) -> Result<NaiveDate, CalendarError> {
    LunarDate {
        day,
        month,
        year,
        leap,
    }
    .to_solar()
}

#[test]
fn brief_vectors() {
    assert_eq!(lunar(d(2026, 2, 17)), (1, 1, 2026, false));
    assert_eq!(
        LunarDate::from_solar(d(2026, 2, 17)).unwrap().year_name(),
        "Bính Ngọ"
    );
    assert_eq!(lunar(d(2025, 1, 29)), (1, 1, 2025, false));
    assert_eq!(
        LunarDate::from_solar(d(2025, 1, 29)).unwrap().year_name(),
        "Ất Tỵ"
    );
    assert_eq!(lunar(d(2026, 2, 16)), (29, 12, 2025, false));
    assert_eq!(lunar(d(2026, 4, 26)), (10, 3, 2026, false));
    assert_eq!(lunar(d(1985, 1, 21)), (1, 1, 1985, false));
    assert_eq!(lunar(d(2007, 2, 17)), (1, 1, 2007, false));
    assert_eq!(lunar(d(2030, 2, 2)), (1, 1, 2030, false));
    assert_eq!(lunar(d(2025, 7, 25)), (1, 6, 2025, true));
    assert_eq!(solar(1, 6, 2025, false).unwrap(), d(2025, 6, 25));
    assert_eq!(solar(1, 6, 2025, true).unwrap(), d(2025, 7, 25));
    assert_eq!(lunar(d(2023, 3, 22)), (1, 2, 2023, true));
    for (y, name) in [
        (2024, "Giáp Thìn"),
        (2025, "Ất Tỵ"),
        (2026, "Bính Ngọ"),
        (2027, "Đinh Mùi"),
    ] {
        assert_eq!(year_name(y), name);
    }
}

#[test]
fn chinese_zone_gives_the_chinese_dates() {
    let in_china = |date| {
        let l = LunarDate::from_solar_in_zone(date, CHINA_ZONE).unwrap();
        (l.day, l.month, l.year, l.leap)
    };
    assert_eq!(in_china(d(1985, 1, 21)), (1, 12, 1984, false));
    assert_eq!(in_china(d(1985, 2, 20)), (1, 1, 1985, false));
    assert_eq!(in_china(d(2007, 2, 18)), (1, 1, 2007, false));
    assert_eq!(in_china(d(2030, 2, 3)), (1, 1, 2030, false));
    assert_eq!(in_china(d(2053, 2, 19)), (1, 1, 2053, false));
    assert_eq!(lunar(d(2053, 2, 18)), (1, 1, 2053, false));
    let tet_china = LunarDate {
        day: 1,
        month: 1,
        year: 2007,
        leap: false,
    }
    .to_solar_in_zone(CHINA_ZONE);
    assert_eq!(tet_china.unwrap(), d(2007, 2, 18));
}

#[test]
fn tet_2000_to_2035_matches_the_brief() {
    let table = [
        (2000, 2, 5),
        (2001, 1, 24),
        (2002, 2, 12),
        (2003, 2, 1),
        (2004, 1, 22),
        (2005, 2, 9),
        (2006, 1, 29),
        (2007, 2, 17),
        (2008, 2, 7),
        (2009, 1, 26),
        (2010, 2, 14),
        (2011, 2, 3),
        (2012, 1, 23),
        (2013, 2, 10),
        (2014, 1, 31),
        (2015, 2, 19),
        (2016, 2, 8),
        (2017, 1, 28),
        (2018, 2, 16),
        (2019, 2, 5),
        (2020, 1, 25),
        (2021, 2, 12),
        (2022, 2, 1),
        (2023, 1, 22),
        (2024, 2, 10),
        (2025, 1, 29),
        (2026, 2, 17),
        (2027, 2, 6),
        (2028, 1, 26),
        (2029, 2, 13),
        (2030, 2, 2),
        (2031, 1, 23),
        (2032, 2, 11),
        (2033, 1, 31),
        (2034, 2, 19),
        (2035, 2, 8),
    ];
    for (y, m, day) in table {
        assert_eq!(solar(1, 1, y, false).unwrap(), d(y, m, day), "Tết {y}");
        assert_eq!(lunar(d(y, m, day)), (1, 1, y, false), "Tết {y}");
    }
}

#[test]
fn gio_to_leap_months_and_short_last_months() {
    for (y, m, day) in [
        (2024, 4, 18),
        (2025, 4, 7),
        (2026, 4, 26),
        (2027, 4, 16),
        (2028, 4, 4),
        (2029, 4, 23),
        (2030, 4, 12),
    ] {
        assert_eq!(solar(10, 3, y, false).unwrap(), d(y, m, day), "Giỗ Tổ {y}");
    }
    for (y, leap) in [(2020, 4), (2023, 2), (2025, 6), (2028, 5)] {
        assert_eq!(LunarDate::leap_month(y).unwrap(), Some(leap), "{y}");
    }
    assert_eq!(LunarDate::leap_month(2026).unwrap(), None);
    // Month 12 has 29 days in the lunar years ending in 2025, 2026 and 2027.
    for y in [2024, 2025, 2026] {
        let months = LunarDate::months_of_year(y).unwrap();
        let last = months.last().unwrap();
        assert_eq!((last.month, last.leap, last.len), (12, false, 29), "{y}");
        assert!(solar(30, 12, y, false).is_err());
    }
}

#[test]
fn bad_lunar_input_is_an_error() {
    let msg = |r: Result<NaiveDate, CalendarError>| r.unwrap_err().to_string();
    assert!(msg(solar(30, 12, 2025, false)).contains("chỉ có 29 ngày"));
    assert!(msg(solar(1, 5, 2025, true)).contains("nhuận tháng 6"));
    assert!(msg(solar(1, 5, 2026, true)).contains("không có tháng nhuận"));
    assert!(msg(solar(0, 5, 2026, false)).contains("ngày 0"));
    assert!(msg(solar(31, 5, 2026, false)).contains("ngày 31"));
    assert!(msg(solar(1, 13, 2026, false)).contains("tháng 13"));
    assert!(msg(solar(1, 0, 2026, false)).contains("tháng 0"));
    assert!(matches!(
        solar(1, 1, 2200, false),
        Err(CalendarError::YearOutOfRange(2200))
    ));
    assert!(matches!(
        solar(1, 1, 1898, false),
        Err(CalendarError::YearOutOfRange(1898))
    ));
    // Month 11 of lunar 2199 starts in December 2199, month 12 ends in 2200.
    assert!(solar(1, 11, 2199, false).is_ok());
    assert!(matches!(
        solar(29, 12, 2199, false),
        Err(CalendarError::DateOutOfRange(_))
    ));
    assert!(LunarDate::from_solar(d(1899, 12, 31)).is_err());
    assert!(LunarDate::from_solar(d(2200, 1, 1)).is_err());
    assert!(LunarDate::new(30, 12, 2025, false).is_err());
    assert!(LunarDate::new(29, 12, 2025, false).is_ok());
    assert!(LunarDate::months_of_year(2200).is_err());
    assert_eq!(LunarDate::from_solar(d(1900, 1, 30)).unwrap().year, 1899);
}

/// Every day of solar years `from..=to`: solar → lunar → solar is the identity, and the
/// lunar label agrees with the month table of its lunar year (computed once per year).
fn round_trip(from: i32, to: i32) {
    let mut day = d(from, 1, 1).max(d(1900, 1, 31));
    let end = d(to, 12, 31);
    let mut months = LunarDate::months_of_year(LunarDate::from_solar(day).unwrap().year).unwrap();
    let mut idx = months.iter().rposition(|m| m.start <= day).unwrap();
    let expected = (end - day).num_days() + 1;
    let mut checked = 0;
    while day <= end {
        if idx + 1 < months.len() && months[idx + 1].start <= day {
            idx += 1;
        } else if idx + 1 == months.len()
            && (day - months[idx].start).num_days() >= i64::from(months[idx].len)
        {
            let year = LunarDate::from_solar(day).unwrap().year;
            months = LunarDate::months_of_year(year).unwrap();
            idx = 0;
            assert_eq!(months[0].start, day, "Tết {year}");
        }
        let m = months[idx];
        let l = LunarDate::from_solar(day).unwrap();
        let offset = (day - m.start).num_days() as u32;
        assert_eq!(
            (l.day, l.month, l.leap),
            (offset + 1, m.month, m.leap),
            "{day}"
        );
        assert_eq!(l.to_solar().unwrap(), day, "{day} → {l}");
        day = day.succ_opt().unwrap();
        checked += 1;
    }
    assert_eq!(checked, expected);
}

#[test]
fn round_trip_1900_to_1999() {
    round_trip(1900, 1999);
}

#[test]
fn round_trip_2000_to_2099() {
    round_trip(2000, 2099);
}

#[test]
fn round_trip_2100_to_2199() {
    round_trip(2100, 2199);
}

#[test]
fn every_lunar_year_has_12_or_13_months_and_one_leap_at_most() {
    for y in 1900..=2198 {
        let months = LunarDate::months_of_year(y).unwrap();
        let leaps = months.iter().filter(|m| m.leap).count();
        assert!(
            months.len() == 12 && leaps == 0 || months.len() == 13 && leaps == 1,
            "{y}"
        );
        assert!(months.iter().all(|m| m.len == 29 || m.len == 30), "{y}");
        assert_eq!(
            LunarDate::leap_month(y).unwrap(),
            months.iter().find(|m| m.leap).map(|m| m.month)
        );
    }
}

/// Tết (1/1) of 1901–2100 in the Vietnamese calendar, ten years a line, from the independent
/// tables of python-holidays (`holidays/calendars/chinese.py`: the Chinese table with its
/// Vietnamese overrides for 1903, 1916, 1935, 1965, 1968, 1969, 1985, 2007, 2030, 2053).
const TET_1901_2100: [&str; 20] = [
    "02-19 02-08 01-28 02-16 02-04 01-25 02-13 02-02 01-22 02-10",
    "01-30 02-18 02-06 01-26 02-14 02-03 01-23 02-11 02-01 02-20",
    "02-08 01-28 02-16 02-05 01-24 02-13 02-02 01-23 02-10 01-30",
    "02-17 02-06 01-26 02-14 02-03 01-24 02-11 01-31 02-19 02-08",
    "01-27 02-15 02-05 01-25 02-13 02-02 01-22 02-10 01-29 02-17",
    "02-06 01-27 02-14 02-03 01-24 02-12 01-31 02-18 02-08 01-28",
    "02-15 02-05 01-25 02-13 02-01 01-21 02-09 01-29 02-16 02-06",
    "01-27 02-15 02-03 01-23 02-11 01-31 02-18 02-07 01-28 02-16",
    "02-05 01-25 02-13 02-02 01-21 02-09 01-29 02-17 02-06 01-27",
    "02-15 02-04 01-23 02-10 01-31 02-19 02-07 01-28 02-16 02-05",
    "01-24 02-12 02-01 01-22 02-09 01-29 02-17 02-07 01-26 02-14",
    "02-03 01-23 02-10 01-31 02-19 02-08 01-28 02-16 02-05 01-25",
    "02-12 02-01 01-22 02-10 01-29 02-17 02-06 01-26 02-13 02-02",
    "01-23 02-11 01-31 02-19 02-08 01-28 02-15 02-04 01-24 02-12",
    "02-01 01-22 02-10 01-30 02-17 02-06 01-26 02-14 02-02 01-23",
    "02-11 02-01 02-18 02-08 01-28 02-15 02-04 01-24 02-12 02-02",
    "01-21 02-09 01-29 02-17 02-05 01-26 02-14 02-03 01-23 02-11",
    "01-31 02-19 02-07 01-27 02-15 02-05 01-24 02-12 02-02 01-22",
    "02-09 01-29 02-17 02-06 01-26 02-14 02-03 01-24 02-10 01-30",
    "02-18 02-07 01-27 02-15 02-05 01-25 02-12 02-01 01-21 02-09",
];

/// Giỗ Tổ (10/3) of 1901–2100, same source (Vietnamese overrides for 1916, 1917, 1939, 1975,
/// 2009, 2037, 2038, 2085, 2086, 2095, 2100).
const GIO_TO_1901_2100: [&str; 20] = [
    "04-28 04-17 04-07 04-25 04-14 04-03 04-22 04-10 04-29 04-19",
    "04-08 04-26 04-16 04-05 04-23 04-11 04-01 04-20 04-10 04-28",
    "04-17 04-06 04-25 04-13 04-02 04-21 04-11 04-29 04-19 04-08",
    "04-27 04-15 04-04 04-23 04-12 04-01 04-20 04-10 04-28 04-17",
    "04-06 04-24 04-14 04-02 04-21 04-11 04-30 04-18 04-07 04-26",
    "04-15 04-04 04-23 04-12 04-02 04-20 04-09 04-28 04-17 04-05",
    "04-24 04-14 04-03 04-21 04-11 03-31 04-19 04-07 04-26 04-15",
    "04-05 04-23 04-12 04-02 04-20 04-09 04-27 04-16 04-06 04-24",
    "04-14 04-03 04-22 04-10 04-29 04-18 04-07 04-25 04-15 04-05",
    "04-24 04-12 04-01 04-20 04-09 04-27 04-16 04-06 04-25 04-14",
    "04-03 04-22 04-11 04-28 04-18 04-07 04-26 04-15 04-04 04-23",
    "04-12 03-31 04-19 04-09 04-28 04-16 04-06 04-25 04-14 04-02",
    "04-21 04-10 04-29 04-18 04-07 04-26 04-16 04-04 04-23 04-12",
    "04-01 04-19 04-09 04-28 04-17 04-06 04-24 04-13 04-03 04-20",
    "04-10 04-29 04-19 04-07 04-26 04-15 04-04 04-22 04-11 04-01",
    "04-20 04-09 04-28 04-17 04-06 04-24 04-13 04-02 04-21 04-10",
    "03-31 04-19 04-08 04-26 04-15 04-04 04-23 04-11 04-01 04-20",
    "04-09 04-27 04-16 04-05 04-24 04-13 04-02 04-21 04-11 03-30",
    "04-18 04-07 04-26 04-14 04-03 04-22 04-12 04-01 04-20 04-09",
    "04-28 04-16 04-05 04-24 04-13 04-02 04-21 04-11 04-29 04-18",
];

#[test]
fn tet_and_gio_to_1901_to_2100_agree_with_an_independent_table() {
    for (table, day, month) in [(TET_1901_2100, 1, 1), (GIO_TO_1901_2100, 10, 3)] {
        let dates = table.iter().flat_map(|line| line.split_whitespace());
        for (year, mmdd) in (1901..).zip(dates) {
            let ours = solar(day, month, year, false).unwrap();
            assert_eq!(
                ours.format("%m-%d").to_string(),
                mmdd,
                "{day}/{month}/{year}"
            );
        }
    }
}
