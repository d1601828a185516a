//! Official yearly schedules of days off and make-up working days, as data.
//!
//! Each year the Government fixes where the Tết days and the extra Quốc khánh day fall and
//! may swap a weekday off against a working Saturday. A [`YearSchedule`] lists the days of
//! one year (`assets/calendar/<year>.json`, format in `assets/calendar/README.md`) and
//! **replaces** the computed defaults of [`super::holiday`] for that year entirely, so a file
//! must list every day off of its year, statutory holidays included.
//! [`YearSchedule::missing_statutory_days`] finds the obvious omissions.
//!
//! The files shipped with the app are embedded with `include_str!`; an office can add or
//! replace a year by dropping a file in `<data_dir>/calendar/` (the CLI and app load them).

use super::holiday::{DayEntry, DayKind, fixed_statutory_dates};
use super::{CalendarError, check_year, is_weekend};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The schedules shipped with the app: (file name, JSON text).
const BUILTIN: [(&str, &str); 3] = [
    (
        "2025.json",
        include_str!("../../../../assets/calendar/2025.json"),
    ),
    (
        "2026.json",
        include_str!("../../../../assets/calendar/2026.json"),
    ),
    (
        "2027.json",
        include_str!("../../../../assets/calendar/2027.json"),
    ),
];

/// The official list of days off and make-up working days of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearSchedule {
    /// The solar year it covers.
    pub year: i32,
    /// Free text: where the schedule comes from, what is still unconfirmed.
    #[serde(default)]
    pub note: String,
    /// The listed days, sorted by date.
    pub days: Vec<DayEntry>,
}

impl YearSchedule {
    /// Builds and checks a schedule; the days are sorted by date.
    pub fn new(year: i32, days: Vec<DayEntry>) -> Result<YearSchedule, CalendarError> {
        let mut s = YearSchedule {
            year,
            note: String::new(),
            days,
        };
        s.check()?;
        Ok(s)
    }

    /// Parses and checks a schedule file (JSON).
    pub fn from_json(text: &str) -> Result<YearSchedule, CalendarError> {
        let mut s: YearSchedule = serde_json::from_str(text).map_err(|e| {
            CalendarError::BadSchedule(format!("tệp JSON không đúng định dạng: {e}"))
        })?;
        s.check()?;
        Ok(s)
    }

    /// Checks the year, each date's year, names, duplicates and weekday rules, and sorts the
    /// days by date.
    pub fn check(&mut self) -> Result<(), CalendarError> {
        let year = self.year;
        check_year(i64::from(year))?;
        let bad = |why: String| Err(CalendarError::BadSchedule(format!("năm {year}: {why}")));
        for e in &self.days {
            let when = e.date.format("%d/%m/%Y");
            if e.date.year() != year {
                return bad(format!("ngày {when} không thuộc năm {year}"));
            }
            if e.name.trim().is_empty() {
                return bad(format!("ngày {when} thiếu tên"));
            }
            match e.kind {
                DayKind::MakeupWorkday if !is_weekend(e.date) => {
                    return bad(format!("ngày làm bù {when} phải là Thứ Bảy hoặc Chủ nhật"));
                }
                DayKind::Compensatory | DayKind::DayOff if is_weekend(e.date) => {
                    return bad(format!(
                        "ngày {when} ({}) rơi vào Thứ Bảy hoặc Chủ nhật",
                        e.kind.label_vi()
                    ));
                }
                _ => {}
            }
        }
        self.days.sort_by_key(|e| e.date);
        if let Some(w) = self.days.windows(2).find(|w| w[0].date == w[1].date) {
            return bad(format!(
                "ngày {} được liệt kê hai lần",
                w[0].date.format("%d/%m/%Y")
            ));
        }
        Ok(())
    }

    /// The statutory holidays whose dates are fixed by law (1/1, mùng 1 Tết, Giỗ Tổ, 30/4,
    /// 1/5, 2/9, 24/11 from 2026) that this schedule does not list as days off, with names.
    /// A non-empty answer usually means an incomplete file.
    pub fn missing_statutory_days(&self) -> Result<Vec<(NaiveDate, String)>, CalendarError> {
        Ok(fixed_statutory_dates(self.year)?
            .into_iter()
            .filter(|(date, _)| !self.days.iter().any(|e| e.date == *date && e.kind.is_off()))
            .collect())
    }

    /// Whether every listed day is marked confirmed.
    pub fn fully_confirmed(&self) -> bool {
        self.days.iter().all(|e| e.confirmed)
    }
}

/// The schedules shipped with the app (2025, 2026, 2027), parsed.
pub fn builtin_schedules() -> Vec<YearSchedule> {
    BUILTIN
        .iter()
        .map(|(_, text)| {
            YearSchedule::from_json(text).expect("built-in schedules are checked by tests")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_parse_and_are_complete() {
        for (name, text) in BUILTIN {
            let s = YearSchedule::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(format!("{}.json", s.year), name);
            assert!(s.missing_statutory_days().unwrap().is_empty(), "{name}");
            assert!(!s.note.is_empty());
            for e in &s.days {
                assert!(!e.source.is_empty(), "{name} {}", e.date);
            }
        }
        let years: Vec<i32> = builtin_schedules().iter().map(|s| s.year).collect();
        assert_eq!(years, [2025, 2026, 2027]);
    }

    #[test]
    fn refuses_bad_files() {
        let cases = [
            (
                r#"{"year": 2027, "days": [{"date": "2027-02-31", "kind": "holiday", "name": "x"}]}"#,
                "JSON",
            ),
            (
                r#"{"year": 2027, "days": [{"date": "2026-05-01", "kind": "holiday", "name": "x"}]}"#,
                "không thuộc",
            ),
            (
                r#"{"year": 2027, "days": [{"date": "2027-05-03", "kind": "makeup_workday", "name": "x"}]}"#,
                "Thứ Bảy",
            ),
            (
                r#"{"year": 2027, "days": [{"date": "2027-05-01", "kind": "compensatory", "name": "x"}]}"#,
                "rơi vào",
            ),
            (
                r#"{"year": 2027, "days": [{"date": "2027-05-03", "kind": "holidy", "name": "x"}]}"#,
                "JSON",
            ),
            (
                r#"{"year": 2027, "days": [{"date": "2027-05-03", "kind": "holiday", "name": " "}]}"#,
                "thiếu tên",
            ),
            (r#"{"year": 2300, "days": []}"#, "2300"),
            (
                r#"{"year": 2027, "days": [{"date": "2027-05-03", "kind": "holiday", "name": "a"},
                {"date": "2027-05-03", "kind": "day_off", "name": "b"}]}"#,
                "hai lần",
            ),
            (r#"{"year": 2027, "dayz": []}"#, "JSON"),
            ("", "JSON"),
        ];
        for (text, needle) in cases {
            let e = YearSchedule::from_json(text).unwrap_err().to_string();
            assert!(e.contains(needle), "{text}: {e}");
        }
    }

    #[test]
    fn reports_missing_statutory_days() {
        let s = YearSchedule::from_json(
            r#"{"year": 2027, "days": [{"date": "2027-01-01", "kind": "holiday", "name": "Tết Dương lịch"}]}"#,
        )
        .unwrap();
        let missing = s.missing_statutory_days().unwrap();
        let dates: Vec<String> = missing.iter().map(|(d, _)| d.to_string()).collect();
        assert!(dates.contains(&"2027-02-06".to_string()), "{dates:?}"); // mùng 1 Tết
        assert!(dates.contains(&"2027-04-16".to_string()), "{dates:?}"); // Giỗ Tổ
        assert!(!dates.contains(&"2027-01-01".to_string()));
        assert!(s.fully_confirmed());
    }
}
