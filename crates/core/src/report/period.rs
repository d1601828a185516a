//! Reporting periods. Figures are closed on a day of the month (the setting
//! `report-start-day`, 15 by default: a month's period runs from the 15th of the month
//! before to the 14th; 1: calendar months); a quarter, a half year and a year are made of
//! those months.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;

/// What kind of period a report is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
    Half,
    Year,
    /// Any range of days.
    Range,
}

/// A reporting period: whole days, `from` and `to` included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    pub kind: PeriodKind,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: NaiveDate,
    /// "Tháng 11 năm 2026", "Quý IV năm 2026", "6 tháng đầu năm 2026", "Năm 2026", or
    /// the range.
    #[serde(skip)]
    label_kind: (i32, u32),
}

/// "2026-11" as (2026, 11): a year and a month, quarter or half (the command lines'
/// `--month`, `--quarter`, `--half`); None when it is not that shape.
pub fn year_and_number(s: &str) -> Option<(i32, u32)> {
    let (y, n) = s.trim().split_once('-')?;
    Some((y.parse().ok()?, n.parse().ok()?))
}

/// The years a period may be of: before 1900 there were no one-stop reports, and a year
/// 0 closed on the 15th would start in year −1, which no date format writes.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

impl Period {
    /// A period written `YYYY` (a year), `YYYY-MM` (a month), `YYYY-Qn` (a quarter) or
    /// `YYYY-Hn` (half a year), closed on `start_day`; None when it is none of these.
    pub fn parse(s: &str, start_day: u32) -> Option<Period> {
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        let number = |t: &str, n: usize| digits(t, n).then(|| t.parse::<u32>().ok()).flatten();
        let Some((y, rest)) = s.split_once('-') else {
            return Period::year(number(s, 4)? as i32, start_day);
        };
        let year = number(y, 4)? as i32;
        if let Some(q) = rest.strip_prefix('Q') {
            Period::quarter(year, number(q, 1)?, start_day)
        } else if let Some(h) = rest.strip_prefix('H') {
            Period::half(year, number(h, 1)?, start_day)
        } else {
            Period::month(year, number(rest, 2)?, start_day)
        }
    }

    /// Days `from` to `to`, both included; None when `to` is before `from`.
    pub fn range(from: NaiveDate, to: NaiveDate) -> Option<Period> {
        (from <= to).then_some(Period {
            kind: PeriodKind::Range,
            from,
            to,
            label_kind: (0, 0),
        })
    }

    /// Month `month` of `year`, closed on `start_day` (1–28).
    pub fn month(year: i32, month: u32, start_day: u32) -> Option<Period> {
        Period::months(year, month, month, start_day, PeriodKind::Month, month)
    }

    /// Quarter 1–4 of `year`.
    pub fn quarter(year: i32, q: u32, start_day: u32) -> Option<Period> {
        (1..=4).contains(&q).then_some(())?;
        Period::months(year, q * 3 - 2, q * 3, start_day, PeriodKind::Quarter, q)
    }

    /// Half 1–2 of `year`.
    pub fn half(year: i32, h: u32, start_day: u32) -> Option<Period> {
        (1..=2).contains(&h).then_some(())?;
        Period::months(year, h * 6 - 5, h * 6, start_day, PeriodKind::Half, h)
    }

    /// The period of `kind` (month, quarter, half or year, closed on `start_day`) that
    /// holds `day`; a range is the day alone.
    pub fn containing(kind: PeriodKind, day: NaiveDate, start_day: u32) -> Option<Period> {
        // The month whose period holds the day: with a closing day after the 1st, the
        // days from it on belong to the next month's period.
        let (mut year, mut month) = (day.year(), day.month());
        if start_day > 1 && day.day() >= start_day {
            if month == 12 {
                (year, month) = (year.checked_add(1)?, 1);
            } else {
                month += 1;
            }
        }
        match kind {
            PeriodKind::Month => Period::month(year, month, start_day),
            PeriodKind::Quarter => Period::quarter(year, month.div_ceil(3), start_day),
            PeriodKind::Half => Period::half(year, month.div_ceil(6), start_day),
            PeriodKind::Year => Period::year(year, start_day),
            PeriodKind::Range => Period::range(day, day),
        }
    }

    /// The period of the same kind just before (`step` -1) or after (`step` 1) this one;
    /// this one for 0.
    pub fn step(&self, step: i64, start_day: u32) -> Option<Period> {
        if step == 0 {
            return Some(*self);
        }
        let day = if step < 0 {
            self.from.pred_opt()?
        } else {
            self.to.succ_opt()?
        };
        match self.kind {
            PeriodKind::Range => {
                let len = (self.to - self.from).num_days();
                let from = if step < 0 {
                    day - chrono::TimeDelta::days(len)
                } else {
                    day
                };
                Period::range(from, from + chrono::TimeDelta::days(len))
            }
            kind => Period::containing(kind, day, start_day),
        }
    }

    /// The year `year`.
    pub fn year(year: i32, start_day: u32) -> Option<Period> {
        Period::months(year, 1, 12, start_day, PeriodKind::Year, 0)
    }

    fn months(
        year: i32,
        first: u32,
        last: u32,
        start_day: u32,
        kind: PeriodKind,
        n: u32,
    ) -> Option<Period> {
        if !(1..=28).contains(&start_day)
            || !(1..=12).contains(&first)
            || last > 12
            || !YEARS.contains(&year)
        {
            return None;
        }
        let from = if start_day == 1 {
            NaiveDate::from_ymd_opt(year, first, 1)?
        } else {
            let (y, m) = if first == 1 {
                (year.checked_sub(1)?, 12)
            } else {
                (year, first - 1)
            };
            NaiveDate::from_ymd_opt(y, m, start_day)?
        };
        let to = if start_day == 1 {
            let (y, m) = if last == 12 {
                (year.checked_add(1)?, 1)
            } else {
                (year, last + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()?
        } else {
            NaiveDate::from_ymd_opt(year, last, start_day - 1)?
        };
        Some(Period {
            kind,
            from,
            to,
            label_kind: (year, n),
        })
    }

    /// The first moment of the period.
    pub fn start(&self) -> NaiveDateTime {
        self.from.and_time(NaiveTime::MIN)
    }

    /// The first moment after the period.
    pub fn end(&self) -> NaiveDateTime {
        self.to
            .succ_opt()
            .unwrap_or(self.to)
            .and_time(NaiveTime::MIN)
    }

    /// "Tháng 11 năm 2026", "Quý IV năm 2026", "6 tháng đầu năm 2026", "Năm 2026",
    /// "Từ ngày 01/11/2026 đến ngày 30/11/2026".
    pub fn label(&self) -> String {
        let (year, n) = self.label_kind;
        match self.kind {
            PeriodKind::Month => format!("Tháng {n} năm {year}"),
            PeriodKind::Quarter => {
                let roman = ["I", "II", "III", "IV"][(n as usize).saturating_sub(1).min(3)];
                format!("Quý {roman} năm {year}")
            }
            PeriodKind::Half if n == 1 => format!("6 tháng đầu năm {year}"),
            PeriodKind::Half => format!("6 tháng cuối năm {year}"),
            PeriodKind::Year => format!("Năm {year}"),
            PeriodKind::Range => self.days(),
        }
    }

    /// "Từ ngày 15/10/2026 đến ngày 14/11/2026".
    pub fn days(&self) -> String {
        format!(
            "Từ ngày {} đến ngày {}",
            self.from.format("%d/%m/%Y"),
            self.to.format("%d/%m/%Y")
        )
    }

    /// The year the period belongs to (its last day's).
    pub fn year_of(&self) -> i32 {
        self.to.year()
    }
}
