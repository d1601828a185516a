//! Procedure terms and the due instant (thời gian trả kết quả) of a dossier.
//!
//! Rules, for a dossier received at local instant R:
//!
//! * **effective start**: R if inside a session of a working day, else the next session's
//!   start on a working day;
//! * **`N wh`**: the instant the N-th working hour completes from the effective start;
//!   **`N wd`**: the same with N × the day's working time (8 h by default). An end exactly at
//!   a session's close stays there (see [`WorkConfig::end_of_day_rolls_over`]);
//! * **`N d`** (calendar days): the date R + N days, moved to the next working day if it is
//!   not one, at the closing time;
//! * **`same-day`**: received on a working day at or before the cutoff (15:00) → closing
//!   time of that day; otherwise closing time of the next working day;
//! * **`N h`** (clock hours, "trong vòng 12 giờ"): exactly R + N hours, day or night,
//!   working day or not. A record that writes bare hours ("12 giờ", national unit `HOUR`
//!   without "làm việc") means hours of the clock from receipt; only "giờ làm việc" is
//!   counted in working time (`N wh`);
//! * **`N mo`** (months, Bộ luật Dân sự 2015 art. 147–148): counting starts the day after R;
//!   the term ends at the end of the day with R's day number in the N-th following month
//!   (its last day when that month is shorter), moved to the next working day when that is
//!   not one, at the closing time.
//!
//! [`Due::skipped`] lists the **weekdays that were off** (holidays, compensatory days,
//! swapped days off) between the receipt and the due date, with their names; ordinary
//! Saturdays and Sundays are not listed (the explanation says they are not counted). For a
//! calendar-day term only the off days that pushed the due date are listed.
//! [`WorkCalendar::explain_vi`] turns a [`Due`] into a sentence for the clerk.
//!
//! [`WorkConfig::end_of_day_rolls_over`]: super::WorkConfig::end_of_day_rolls_over

use super::holiday::DayKind;
use super::work::WorkCalendar;
use super::{CalendarError, check_date, is_weekend, next_day, weekday_vi};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A procedure's statutory term, written `3wd`, `5d`, `4wh`, `12h`, `2mo` or `same-day` in
/// the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Term {
    /// `Nwd`: N working days.
    WorkingDays(u32),
    /// `Nwh`: N working hours.
    WorkingHours(u32),
    /// `Nd`: N calendar days.
    CalendarDays(u32),
    /// `same-day`: trong ngày (next working day when received after the cutoff).
    SameDay,
    /// `Nh`: N hours of the clock from receipt ("trong vòng 12 giờ").
    ClockHours(u32),
    /// `Nmo`: N months (to the same day of the month, Bộ luật Dân sự 2015 art. 148).
    Months(u32),
}

impl Term {
    /// Vietnamese wording for forms, e.g. "3 ngày làm việc".
    pub fn label_vi(&self) -> String {
        match self {
            Term::WorkingDays(n) => format!("{n} ngày làm việc"),
            Term::WorkingHours(n) => format!("{n} giờ làm việc"),
            Term::CalendarDays(n) => format!("{n} ngày"),
            Term::SameDay => "trong ngày".to_string(),
            Term::ClockHours(n) => format!("{n} giờ"),
            Term::Months(n) => format!("{n} tháng"),
        }
    }

    /// Parses a term as a clerk types it from the posted procedure listing: "5 ngày làm
    /// việc", "15 ngày", "4 giờ làm việc", "12 giờ" (of the clock), "2 tháng", "trong
    /// ngày" (marks optional, any case), or the catalogue form (`5wd`). The ways of
    /// writing a term are [`Term::label_vi`]'s.
    pub fn parse_typed(raw: &str) -> Result<Term, CalendarError> {
        if let Ok(t) = raw.parse() {
            return Ok(t);
        }
        let folded = crate::text::fold(raw);
        let words: Vec<&str> = folded.split_whitespace().collect();
        let bad = || {
            CalendarError::BadTerm {
            input: raw.trim().chars().take(60).collect(),
            reason: "ghi như «5 ngày làm việc», «15 ngày», «4 giờ làm việc», «12 giờ», «2 tháng» hoặc «trong ngày»"
                .to_string(),
        }
        };
        if words == ["trong", "ngay"] {
            return Ok(Term::SameDay);
        }
        let (n, unit) = words.split_first().ok_or_else(bad)?;
        let n: u32 = n.parse().map_err(|_| bad())?;
        let term = match unit {
            ["ngay", "lam", "viec"] => Term::WorkingDays(n),
            ["gio", "lam", "viec"] => Term::WorkingHours(n),
            ["gio"] => Term::ClockHours(n),
            ["ngay"] => Term::CalendarDays(n),
            ["thang"] => Term::Months(n),
            _ => return Err(bad()),
        };
        check_count(n).map_err(|_| CalendarError::BadTerm {
            input: raw.trim().chars().take(60).collect(),
            reason: "thời hạn phải lớn hơn 0".to_string(),
        })?;
        Ok(term)
    }

    /// The count N, or `None` for `same-day`.
    pub fn count(&self) -> Option<u32> {
        match *self {
            Term::WorkingDays(n)
            | Term::WorkingHours(n)
            | Term::CalendarDays(n)
            | Term::ClockHours(n)
            | Term::Months(n) => Some(n),
            Term::SameDay => None,
        }
    }
}

impl fmt::Display for Term {
    /// The catalogue form: `3wd`, `4wh`, `5d`, `12h`, `2mo`, `same-day`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::WorkingDays(n) => write!(f, "{n}wd"),
            Term::WorkingHours(n) => write!(f, "{n}wh"),
            Term::CalendarDays(n) => write!(f, "{n}d"),
            Term::SameDay => f.write_str("same-day"),
            Term::ClockHours(n) => write!(f, "{n}h"),
            Term::Months(n) => write!(f, "{n}mo"),
        }
    }
}

impl FromStr for Term {
    type Err = CalendarError;

    /// Parses `3wd`, `5d`, `4wh`, `12h`, `2mo`, `same-day` (surrounding spaces and case are
    /// ignored).
    fn from_str(raw: &str) -> Result<Term, CalendarError> {
        let s = raw.trim().to_ascii_lowercase();
        let bad = |why: &str| CalendarError::BadTerm {
            input: raw.trim().to_string(),
            reason: why.to_string(),
        };
        if s == "same-day" {
            return Ok(Term::SameDay);
        }
        let split = s
            .find(|c: char| !c.is_ascii_digit() && c != '-' && c != '+')
            .unwrap_or(s.len());
        let (digits, unit) = s.split_at(split);
        let make: fn(u32) -> Term = match unit {
            "wd" => Term::WorkingDays,
            "wh" => Term::WorkingHours,
            "d" => Term::CalendarDays,
            "h" => Term::ClockHours,
            "mo" => Term::Months,
            _ => {
                return Err(bad(
                    "cần dạng 3wd (ngày làm việc), 5d (ngày), 4wh (giờ làm việc), 12h (giờ), 2mo (tháng) hoặc same-day",
                ));
            }
        };
        if digits.starts_with('-') {
            return Err(bad("thời hạn không được âm"));
        }
        let n: u32 = digits
            .parse()
            .map_err(|_| bad("thiếu số hoặc số quá lớn trước đơn vị"))?;
        check_count(n).map_err(|_| bad("thời hạn phải lớn hơn 0"))?;
        Ok(make(n))
    }
}

impl TryFrom<String> for Term {
    type Error = CalendarError;
    fn try_from(s: String) -> Result<Term, CalendarError> {
        s.parse()
    }
}

impl From<Term> for String {
    fn from(t: Term) -> String {
        t.to_string()
    }
}

/// Refuses a zero count.
fn check_count(n: u32) -> Result<u32, CalendarError> {
    if n == 0 {
        Err(CalendarError::BadTerm {
            input: "0".to_string(),
            reason: "thời hạn phải lớn hơn 0".to_string(),
        })
    } else {
        Ok(n)
    }
}

/// The day with `from`'s day number `n` months later, or the last day of that month when
/// it is shorter (Bộ luật Dân sự 2015 art. 148: "ngày tương ứng của tháng cuối cùng").
fn add_months(from: NaiveDate, n: u32) -> Option<NaiveDate> {
    let months = from.year() * 12 + from.month0() as i32 + i32::try_from(n).ok()?;
    let (year, month0) = (months.div_euclid(12), months.rem_euclid(12) as u32);
    (1..=from.day())
        .rev()
        .find_map(|d| NaiveDate::from_ymd_opt(year, month0 + 1, d))
}

/// A weekday that was not counted because it was off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedDay {
    /// The date.
    pub date: NaiveDate,
    /// Why it was off.
    pub kind: DayKind,
    /// Its name, e.g. "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/04)".
    pub name: String,
}

/// The due instant of a dossier and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    /// When the dossier was received.
    pub received: NaiveDateTime,
    /// The term applied.
    pub term: Term,
    /// Where counting started (see the module rules).
    pub start: NaiveDateTime,
    /// The due instant (thời gian trả kết quả).
    pub at: NaiveDateTime,
    /// Off weekdays passed over, in date order.
    pub skipped: Vec<SkippedDay>,
}

impl WorkCalendar {
    /// The due instant of a dossier received at `received` with term `term`.
    pub fn due(&self, received: NaiveDateTime, term: Term) -> Result<Due, CalendarError> {
        check_date(received.date())?;
        let start = self.effective_start(received)?;
        let closing = self.config().closing_time();
        let (at, skip_from) = match term {
            Term::WorkingDays(n) => {
                let day = self.config().day_length().num_seconds();
                let amount = TimeDelta::seconds(day * i64::from(check_count(n)?));
                (self.add_working_time(start, amount)?, received.date())
            }
            Term::WorkingHours(n) => {
                let amount = TimeDelta::hours(i64::from(check_count(n)?));
                (self.add_working_time(start, amount)?, received.date())
            }
            Term::CalendarDays(n) => {
                let nominal = received
                    .date()
                    .checked_add_days(Days::new(u64::from(check_count(n)?)))
                    .ok_or_else(|| {
                        CalendarError::DateOutOfRange(format!("{received} + {n} ngày"))
                    })?;
                let day = self.working_day_on_or_after(nominal)?;
                (day.and_time(closing), nominal)
            }
            Term::ClockHours(n) => {
                let at = received
                    .checked_add_signed(TimeDelta::hours(i64::from(check_count(n)?)))
                    .ok_or_else(|| {
                        CalendarError::DateOutOfRange(format!("{received} + {n} giờ"))
                    })?;
                check_date(at.date())?;
                (at, received.date())
            }
            Term::Months(n) => {
                let nominal = add_months(received.date(), check_count(n)?).ok_or_else(|| {
                    CalendarError::DateOutOfRange(format!("{received} + {n} tháng"))
                })?;
                let day = self.working_day_on_or_after(nominal)?;
                (day.and_time(closing), nominal)
            }
            Term::SameDay => {
                let date = received.date();
                let today =
                    self.is_working_day(date)? && received.time() <= self.config().same_day_cutoff;
                let day = if today {
                    date
                } else {
                    self.next_working_day(date)?
                };
                (day.and_time(closing), date)
            }
        };
        let skipped = self.skipped_between(skip_from, at.date())?;
        Ok(Due {
            received,
            term,
            start,
            at,
            skipped,
        })
    }

    /// Off weekdays in `[from, to)`, with names.
    fn skipped_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SkippedDay>, CalendarError> {
        let mut out = Vec::new();
        let mut d = from;
        while d < to {
            if !is_weekend(d) && !self.is_working_day(d)? {
                let (kind, name) = match self.day_entry(d)? {
                    Some(e) => (e.kind, e.name.clone()),
                    None => (DayKind::DayOff, "ngày nghỉ".to_string()),
                };
                out.push(SkippedDay {
                    date: d,
                    kind,
                    name,
                });
            }
            d = next_day(d)?;
        }
        Ok(out)
    }
}

/// `09:32 ngày 27/10/2023 (Thứ Sáu)`.
fn instant_vi(t: NaiveDateTime) -> String {
    format!(
        "{} ngày {} ({})",
        t.format("%H:%M"),
        t.format("%d/%m/%Y"),
        weekday_vi(t.weekday())
    )
}

impl WorkCalendar {
    /// The make-up working days (a Saturday or Sunday worked for a swapped day off) from
    /// `from` to `to`, as "10/01 Làm bù cho ngày nghỉ Thứ Sáu 02/01".
    fn makeup_days_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<String> {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter_map(|d| match self.day_entry(d) {
                Ok(Some(e)) if e.kind == DayKind::MakeupWorkday => {
                    Some(format!("{} {}", d.format("%d/%m"), e.name))
                }
                _ => None,
            })
            .collect()
    }

    /// A Vietnamese explanation of a due instant for the clerk, e.g. "Nhận hồ sơ lúc 09:00
    /// ngày 23/04/2026 (Thứ Năm), thời hạn 3 ngày làm việc: hẹn trả kết quả lúc 09:00 ngày
    /// 29/04/2026 (Thứ Tư). Không tính Thứ Bảy, Chủ nhật; bỏ qua 27/04 Nghỉ bù Giỗ Tổ …".
    pub fn explain_vi(&self, due: &Due) -> String {
        let by_hours = matches!(due.term, Term::WorkingDays(_) | Term::WorkingHours(_));
        let mut s = format!(
            "Nhận hồ sơ lúc {}, thời hạn {}",
            instant_vi(due.received),
            due.term.label_vi()
        );
        match due.term {
            Term::WorkingDays(_) | Term::WorkingHours(_) => {
                if due.start != due.received {
                    s += &format!(", tính từ {}", instant_vi(due.start));
                }
            }
            Term::ClockHours(_) => {
                s += ", tính theo giờ đồng hồ kể từ khi nhận (kể cả ngoài giờ làm việc và ngày nghỉ)";
            }
            Term::Months(n) => {
                let nominal = add_months(due.received.date(), n).unwrap_or(due.at.date());
                if nominal != due.at.date() {
                    s += &format!(
                        "; ngày cuối của thời hạn là {} ({}), không phải ngày làm việc, nên hẹn sang ngày làm việc kế tiếp",
                        nominal.format("%d/%m/%Y"),
                        weekday_vi(nominal.weekday())
                    );
                }
            }
            Term::CalendarDays(n) => {
                let nominal = due.received.date() + Days::new(u64::from(n));
                if nominal != due.at.date() {
                    s += &format!(
                        "; ngày thứ {n} là {} ({}), không phải ngày làm việc, nên hẹn sang ngày làm việc kế tiếp",
                        nominal.format("%d/%m/%Y"),
                        weekday_vi(nominal.weekday())
                    );
                }
            }
            Term::SameDay => {
                if due.at.date() != due.received.date() {
                    if self.is_working_day(due.received.date()).unwrap_or(false) {
                        let cutoff = self.config().same_day_cutoff.format("%H:%M");
                        s += &format!("; nhận sau {cutoff} nên hẹn ngày làm việc tiếp theo");
                    } else {
                        s += "; nhận vào ngày nghỉ nên hẹn ngày làm việc tiếp theo";
                    }
                }
            }
        }
        s += &format!(": hẹn trả kết quả lúc {}", instant_vi(due.at));
        if by_hours {
            s += ". Không tính Thứ Bảy, Chủ nhật";
            let worked = self.makeup_days_between(due.start.date(), due.at.date());
            if !worked.is_empty() {
                s += &format!(" (trừ {})", worked.join(", "));
            }
        }
        if !due.skipped.is_empty() {
            let list: Vec<String> = due
                .skipped
                .iter()
                .map(|d| format!("{} {}", d.date.format("%d/%m"), d.name))
                .collect();
            s += if by_hours {
                "; bỏ qua "
            } else {
                ". Bỏ qua "
            };
            s += &list.join(", ");
        }
        s.push('.');
        s
    }
}

#[cfg(test)]
mod typed_tests {
    use super::Term;

    #[test]
    fn terms_are_read_as_the_listing_writes_them() {
        for (typed, term) in [
            ("5 ngày làm việc", Term::WorkingDays(5)),
            ("  15 NGÀY ", Term::CalendarDays(15)),
            ("4 giờ làm việc", Term::WorkingHours(4)),
            ("8 gio", Term::ClockHours(8)),
            ("12 giờ", Term::ClockHours(12)),
            ("2 tháng", Term::Months(2)),
            ("trong ngày", Term::SameDay),
            ("3wd", Term::WorkingDays(3)),
        ] {
            assert_eq!(Term::parse_typed(typed).unwrap(), term, "{typed}");
            assert_eq!(Term::parse_typed(&term.label_vi()).unwrap(), term);
        }
        for bad in ["", "năm ngày", "0 ngày", "5 tuần", "ngày làm việc"] {
            assert!(Term::parse_typed(bad).is_err(), "{bad}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_strings_round_trip() {
        for s in ["3wd", "5d", "4wh", "same-day", "1wd", "120d", "12h", "2mo"] {
            let t: Term = s.parse().unwrap();
            assert_eq!(t.to_string(), s);
        }
        assert_eq!(" 3WD ".parse::<Term>().unwrap(), Term::WorkingDays(3));
        assert_eq!(
            serde_json::to_string(&Term::WorkingHours(4)).unwrap(),
            "\"4wh\""
        );
        assert_eq!(
            serde_json::from_str::<Term>("\"same-day\"").unwrap(),
            Term::SameDay
        );
    }

    #[test]
    fn bad_terms_are_refused() {
        for (s, needle) in [
            ("-3wd", "âm"),
            ("0wd", "lớn hơn 0"),
            ("3", "cần dạng"),
            ("wd", "thiếu số"),
            ("3 tuần", "cần dạng"),
            ("99999999999wd", "quá lớn"),
            ("", "cần dạng"),
            ("3.5wd", "cần dạng"),
        ] {
            let e = s.parse::<Term>().unwrap_err().to_string();
            assert!(e.contains(needle), "{s}: {e}");
        }
        assert!(serde_json::from_str::<Term>("\"3x\"").is_err());
    }

    #[test]
    fn clock_hours_run_through_the_night_and_rest_days() {
        let cal = WorkCalendar::with_builtin();
        let t = |s: &str| super::super::parse_datetime(s).unwrap();
        // A protective order received Friday 16:30: 12 hours later is Saturday 04:30.
        let due = cal
            .due(t("2026-12-04T16:30"), Term::ClockHours(12))
            .unwrap();
        assert_eq!(due.at, t("2026-12-05T04:30"));
        assert!(cal.explain_vi(&due).contains("giờ đồng hồ"));
    }

    #[test]
    fn months_end_on_the_same_day_number_or_the_month_end() {
        let cal = WorkCalendar::with_builtin();
        let t = |s: &str| super::super::parse_datetime(s).unwrap();
        // 1 month from Wednesday 07/10/2026: Saturday 07/11 → Monday 09/11 at closing.
        let due = cal.due(t("2026-10-07T09:00"), Term::Months(1)).unwrap();
        assert_eq!(due.at, t("2026-11-09T17:00"));
        // 31/01 + 1 month: 28/02/2027 is a Sunday → Monday 01/03/2027.
        assert_eq!(
            add_months(NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(), 1),
            NaiveDate::from_ymd_opt(2027, 2, 28)
        );
        assert_eq!(
            add_months(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), 3),
            NaiveDate::from_ymd_opt(2027, 2, 28)
        );
        assert_eq!(
            add_months(NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(), 12),
            NaiveDate::from_ymd_opt(2027, 12, 15)
        );
        let due = cal.due(t("2027-01-31T09:00"), Term::Months(1)).unwrap();
        assert_eq!(due.at, t("2027-03-01T17:00"));
    }

    #[test]
    fn zero_terms_built_directly_are_refused() {
        let cal = WorkCalendar::with_builtin();
        let t = super::super::parse_datetime("2026-03-10T09:00").unwrap();
        assert!(cal.due(t, Term::WorkingDays(0)).is_err());
        assert!(cal.due(t, Term::CalendarDays(0)).is_err());
    }
}
