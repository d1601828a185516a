//! Vietnamese lunar calendar, working days, holidays and appointment dates.
//!
//! * [`lunar`]: solar ↔ lunar conversion at UTC+7 (Hồ Ngọc Đức's method) and can-chi names.
//! * [`holiday`]: the statutory days off of a year when no official schedule is known.
//! * [`schedule`]: official yearly schedules as data (`assets/calendar/*.json`).
//! * [`work`]: working sessions, working days, working time ([`WorkCalendar`]).
//! * [`due`]: procedure terms (`3wd`, `5d`, `4wh`, `same-day`) and the due instant.
//! * [`term_text`]: an optional term as the catalogue and the journal write it.
//! * [`classify`]: supplement pauses and early / on-time / late classification.
//!
//! Everything is pure: the received instant, "now" and the schedules come in as arguments.
//! Supported range: solar dates 1900-01-01 – 2199-12-31 (years 1900–2199).

pub mod classify;
pub mod due;
pub mod holiday;
pub mod lunar;
pub mod schedule;
pub mod term_text;
pub mod work;

pub use classify::{Classification, Progress, Supplement, Timeliness};
pub use due::{Due, SkippedDay, Term};
pub use holiday::{DayEntry, DayKind};
pub use lunar::{LunarDate, LunarMonth};
pub use schedule::{YearSchedule, builtin_schedules};
pub use work::{Session, WorkCalendar, WorkConfig};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday, format::ParseErrorKind};

/// First supported year.
pub const MIN_YEAR: i32 = 1900;
/// Last supported year.
pub const MAX_YEAR: i32 = 2199;

/// Everything that can go wrong in the calendar. Messages are Vietnamese, for the clerk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A date outside 1900-01-01 – 2199-12-31, or a computation that would leave that range.
    #[error("ngày {0} nằm ngoài phạm vi lịch hỗ trợ (01/01/1900 – 31/12/2199)")]
    DateOutOfRange(String),
    /// A year outside 1900–2199.
    #[error("năm {0} nằm ngoài phạm vi lịch hỗ trợ (1900 – 2199)")]
    YearOutOfRange(i64),
    /// Text that is not a date or a date and time.
    #[error("«{input}» không phải ngày giờ hợp lệ: {reason}")]
    BadDateTime {
        /// The text as given.
        input: String,
        /// Why it was refused.
        reason: String,
    },
    /// A lunar day or month number out of its bounds.
    #[error("ngày âm lịch không hợp lệ: {0}")]
    BadLunarDate(String),
    /// A leap month that the lunar year does not have.
    #[error("năm âm lịch {year} không có tháng {month} nhuận{hint}")]
    NoSuchLeapMonth {
        /// Month asked for.
        month: u32,
        /// Lunar year.
        year: i32,
        /// Which month is leap that year, if any (already formatted).
        hint: String,
    },
    /// Day 30 of a 29-day lunar month.
    #[error("tháng {month}{leap} năm {year} âm lịch chỉ có {len} ngày, không có ngày {day}")]
    DayBeyondMonth {
        /// Day asked for.
        day: u32,
        /// Month.
        month: u32,
        /// " nhuận" for a leap month, else empty.
        leap: &'static str,
        /// Lunar year.
        year: i32,
        /// Length of the month (29 or 30).
        len: u32,
    },
    /// A time zone offset that is not a real one.
    #[error("múi giờ UTC{0:+} không hợp lệ")]
    BadZone(i32),
    /// A term string or value that cannot be used.
    #[error("thời hạn «{input}» không hợp lệ: {reason}")]
    BadTerm {
        /// The term as given.
        input: String,
        /// Why it was refused.
        reason: String,
    },
    /// A yearly schedule that cannot be used.
    #[error("lịch nghỉ không hợp lệ: {0}")]
    BadSchedule(String),
    /// Working sessions or cutoff that cannot be used.
    #[error("cấu hình giờ làm việc không hợp lệ: {0}")]
    BadConfig(String),
}

/// Checks that `year` is within 1900–2199.
pub(crate) fn check_year(year: i64) -> Result<i32, CalendarError> {
    if (i64::from(MIN_YEAR)..=i64::from(MAX_YEAR)).contains(&year) {
        Ok(year as i32)
    } else {
        Err(CalendarError::YearOutOfRange(year))
    }
}

/// Checks that `date` is within 1900-01-01 – 2199-12-31.
pub(crate) fn check_date(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(CalendarError::DateOutOfRange(
            date.format("%d/%m/%Y").to_string(),
        ))
    }
}

/// The day after `date`, within the supported range.
pub(crate) fn next_day(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.succ_opt()
        .filter(|d| d.year() <= MAX_YEAR)
        .ok_or_else(|| CalendarError::DateOutOfRange(format!("sau {}", date.format("%d/%m/%Y"))))
}

/// Vietnamese name of a weekday, as printed on forms ("Thứ Hai" … "Chủ nhật").
pub fn weekday_vi(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Thứ Hai",
        Weekday::Tue => "Thứ Ba",
        Weekday::Wed => "Thứ Tư",
        Weekday::Thu => "Thứ Năm",
        Weekday::Fri => "Thứ Sáu",
        Weekday::Sat => "Thứ Bảy",
        Weekday::Sun => "Chủ nhật",
    }
}

/// Whether `date` is a weekly rest day (Saturday or Sunday).
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Parses a date written `YYYY-MM-DD` (also accepted: `DD/MM/YYYY`) within 1900–2199.
pub fn parse_date(text: &str) -> Result<NaiveDate, CalendarError> {
    let s = text.trim();
    let parsed = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|first| NaiveDate::parse_from_str(s, "%d/%m/%Y").map_err(|_| first));
    match parsed {
        Ok(date) => check_date(date),
        Err(e) => Err(CalendarError::BadDateTime {
            input: s.to_string(),
            reason: match e.kind() {
                ParseErrorKind::OutOfRange | ParseErrorKind::Impossible => {
                    "ngày này không có trong lịch".to_string()
                }
                _ => "cần dạng YYYY-MM-DD, ví dụ 2026-03-10".to_string(),
            },
        }),
    }
}

/// Parses a local instant written `YYYY-MM-DDTHH:MM` (seconds optional, a space may replace
/// the `T`) within 1900–2199.
pub fn parse_datetime(text: &str) -> Result<NaiveDateTime, CalendarError> {
    let s = text.trim();
    const FORMATS: [&str; 4] = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ];
    let mut worst = None;
    for f in FORMATS {
        match NaiveDateTime::parse_from_str(s, f) {
            Ok(t) => {
                check_date(t.date())?;
                return Ok(t);
            }
            Err(e) => {
                if matches!(
                    e.kind(),
                    ParseErrorKind::OutOfRange | ParseErrorKind::Impossible
                ) {
                    worst = Some("ngày hoặc giờ này không tồn tại".to_string());
                }
            }
        }
    }
    Err(CalendarError::BadDateTime {
        input: s.to_string(),
        reason: worst
            .unwrap_or_else(|| "cần dạng YYYY-MM-DDTHH:MM, ví dụ 2026-03-10T09:30".to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_refuses_impossible_ones() {
        assert_eq!(
            parse_date("2026-02-17").unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 17).unwrap()
        );
        assert_eq!(
            parse_date("17/02/2026").unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 17).unwrap()
        );
        let e = parse_date("2026-02-31").unwrap_err().to_string();
        assert!(e.contains("không có trong lịch"), "{e}");
        assert!(parse_date("hôm nay").is_err());
        assert!(matches!(
            parse_date("2200-01-01"),
            Err(CalendarError::DateOutOfRange(_))
        ));
        assert!(matches!(
            parse_date("1899-12-31"),
            Err(CalendarError::DateOutOfRange(_))
        ));
    }

    #[test]
    fn parses_instants() {
        let t = parse_datetime("2026-03-10T17:30").unwrap();
        assert_eq!(t.to_string(), "2026-03-10 17:30:00");
        assert!(parse_datetime("2026-03-10 17:30:15").is_ok());
        let e = parse_datetime("2026-02-30T10:00").unwrap_err().to_string();
        assert!(e.contains("không tồn tại"), "{e}");
        assert!(parse_datetime("2026-03-10T25:00").is_err());
        assert!(parse_datetime("10/03/2026").is_err());
    }
}
