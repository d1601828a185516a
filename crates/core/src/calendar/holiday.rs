//! The statutory days off of a year, used when no official schedule is known for it.
//!
//! Law applied (Bộ luật Lao động 2019, art. 111–112, and NQ 28/2026/QH16):
//!
//! * Tết Dương lịch 1/1; Ngày Chiến thắng 30/4; Ngày Quốc tế Lao động 1/5;
//! * Tết Nguyên đán, 5 days (4 before 2013): **default placement** = the last day of the
//!   old lunar year (29 or 30 tháng Chạp) + the first 4 days of the new year (3 before 2013),
//!   as in the schedules of 2020–2026;
//! * Giỗ Tổ Hùng Vương 10/3 âm lịch (from 2007);
//! * Quốc khánh 2/9 plus one adjacent day (from 2021). **Default adjacent day**, chosen to
//!   join a weekend as recent schedules did: 2/9 on Monday → 3/9; Tuesday, Wednesday,
//!   Friday, Saturday → 1/9; Thursday, Sunday → 3/9;
//! * Ngày Văn hóa Việt Nam 24/11 (from 2026; reported, not confirmed from the gazette).
//!
//! **Compensatory days** (art. 111.3): a holiday on Saturday or Sunday gives the next working
//! day off (skipping days already off). For Tết the default follows recent practice instead:
//! a Tết day on Saturday gives the working day *before* the Tết block, one on Sunday the
//! working day after it (2023: 20/1–26/1; 2024: 8/2–14/2; 2025: 27/1–1/2).
//!
//! Years before these laws simply get the same rules (with the era switches above); they
//! matter only for computations, never for dossiers.

use super::lunar::LunarDate;
use super::{CalendarError, check_year, is_weekend, weekday_vi};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// What a listed day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday (art. 112), whatever weekday it falls on.
    Holiday,
    /// A day off given back for a holiday on a weekly rest day (art. 111.3).
    Compensatory,
    /// A weekday off by a yearly swap (paid back by a make-up working day).
    DayOff,
    /// A Saturday or Sunday worked to make up a swapped day off (ngày làm bù).
    MakeupWorkday,
}

impl DayKind {
    /// Whether the day is off (everything but a make-up working day).
    pub fn is_off(self) -> bool {
        !matches!(self, DayKind::MakeupWorkday)
    }

    /// The wire name used in schedule files and CLI output.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Compensatory => "compensatory",
            DayKind::DayOff => "day_off",
            DayKind::MakeupWorkday => "makeup_workday",
        }
    }

    /// Vietnamese label for the clerk.
    pub fn label_vi(self) -> &'static str {
        match self {
            DayKind::Holiday => "ngày lễ, Tết",
            DayKind::Compensatory => "nghỉ bù",
            DayKind::DayOff => "ngày nghỉ hoán đổi",
            DayKind::MakeupWorkday => "ngày làm bù",
        }
    }
}

/// One listed day of a year: a day off, or a make-up working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayEntry {
    /// The solar date.
    pub date: NaiveDate,
    /// What the day is.
    pub kind: DayKind,
    /// Vietnamese name, e.g. "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/04)".
    pub name: String,
    /// True when the date is certain: fixed by statute, or seen in an official notice.
    /// False for an expected placement not checked against an official notice.
    #[serde(default = "yes")]
    pub confirmed: bool,
    /// Where the entry comes from (notice number, law article, "computed" …).
    #[serde(default)]
    pub source: String,
}

/// Serde default for `confirmed`.
fn yes() -> bool {
    true
}

/// Source text of every default entry.
const DEFAULT_SOURCE: &str =
    "mặc định theo BLLĐ 2019 Điều 111–112 (tính toán, không phải lịch công bố)";

/// A holiday of the default table before compensatory days are placed.
struct Fixed {
    date: NaiveDate,
    /// Short name used in "Nghỉ bù …".
    base: &'static str,
    name: String,
    confirmed: bool,
    /// The date itself is fixed by statute (not a yearly placement).
    anchored: bool,
    tet: bool,
}

/// Lunar → solar for the default table; in range by construction.
fn lunar(day: u32, month: u32, year: i32) -> Result<NaiveDate, CalendarError> {
    LunarDate {
        day,
        month,
        year,
        leap: false,
    }
    .to_solar()
}

/// Solar date of `day`/`month` of `year`.
fn ymd(year: i32, month: u32, day: u32) -> Result<NaiveDate, CalendarError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or(CalendarError::YearOutOfRange(i64::from(year)))
}

/// The statutory holidays of `year` (no compensatory days yet), sorted by date.
fn statutory(year: i32) -> Result<Vec<Fixed>, CalendarError> {
    let mut out = Vec::with_capacity(14);
    let fixed = |date, base, name: &str, confirmed| Fixed {
        date,
        base,
        name: name.to_string(),
        confirmed,
        anchored: true,
        tet: false,
    };
    out.push(fixed(
        ymd(year, 1, 1)?,
        "Tết Dương lịch",
        "Tết Dương lịch",
        true,
    ));

    let tet = lunar(1, 1, year)?;
    let eve = tet
        .pred_opt()
        .ok_or(CalendarError::YearOutOfRange(i64::from(year)))?;
    let eve_day = LunarDate::from_solar(eve)?.day;
    let after = if year >= 2013 { 4 } else { 3 };
    out.push(Fixed {
        date: eve,
        base: "Tết Nguyên đán",
        name: format!("Tết Nguyên đán ({eve_day} tháng Chạp)"),
        confirmed: false,
        anchored: false,
        tet: true,
    });
    for i in 0..after {
        out.push(Fixed {
            date: tet + Days::new(i),
            base: "Tết Nguyên đán",
            name: format!("Tết Nguyên đán (mùng {} tháng Giêng)", i + 1),
            // Mùng 1 is always off; the others depend on the yearly placement.
            confirmed: i == 0,
            anchored: i == 0,
            tet: true,
        });
    }
    if year >= 2007 {
        let date = lunar(10, 3, year)?;
        out.push(fixed(
            date,
            "Giỗ Tổ Hùng Vương",
            "Giỗ Tổ Hùng Vương (10/3 âm lịch)",
            true,
        ));
    }
    out.push(fixed(
        ymd(year, 4, 30)?,
        "Ngày Chiến thắng",
        "Ngày Chiến thắng (30/4)",
        true,
    ));
    out.push(fixed(
        ymd(year, 5, 1)?,
        "Ngày Quốc tế Lao động",
        "Ngày Quốc tế Lao động (1/5)",
        true,
    ));
    let national = ymd(year, 9, 2)?;
    out.push(fixed(national, "Quốc khánh", "Quốc khánh (2/9)", true));
    if year >= 2021 {
        let adjacent = match national.weekday() {
            Weekday::Mon | Weekday::Thu | Weekday::Sun => ymd(year, 9, 3)?,
            _ => ymd(year, 9, 1)?,
        };
        let name = format!("Quốc khánh (ngày liền kề {})", adjacent.format("%d/%m"));
        out.push(Fixed {
            anchored: false,
            ..fixed(adjacent, "Quốc khánh", &name, false)
        });
    }
    if year >= 2026 {
        let date = ymd(year, 11, 24)?;
        out.push(fixed(
            date,
            "Ngày Văn hóa Việt Nam",
            "Ngày Văn hóa Việt Nam (24/11)",
            false,
        ));
    }
    out.sort_by_key(|f| f.date);
    Ok(out)
}

/// The default table of `year`: statutory holidays and their compensatory days, by date.
pub fn default_days(year: i32) -> Result<Vec<DayEntry>, CalendarError> {
    let year = check_year(i64::from(year))?;
    let holidays = statutory(year)?;
    let mut off: Vec<NaiveDate> = holidays.iter().map(|h| h.date).collect();
    let mut out: Vec<DayEntry> = Vec::with_capacity(holidays.len() + 4);
    for h in &holidays {
        out.push(DayEntry {
            date: h.date,
            kind: DayKind::Holiday,
            name: h.name.clone(),
            confirmed: h.confirmed,
            source: DEFAULT_SOURCE.to_string(),
        });
    }
    for h in holidays.iter().filter(|h| is_weekend(h.date)) {
        let backwards = h.tet && h.date.weekday() == Weekday::Sat;
        let Some(date) = free_weekday(h.date, backwards, &off) else {
            continue;
        };
        off.push(date);
        out.push(DayEntry {
            date,
            kind: DayKind::Compensatory,
            name: format!(
                "Nghỉ bù {} (trùng {} {})",
                h.base,
                weekday_vi(h.date.weekday()),
                h.date.format("%d/%m")
            ),
            confirmed: h.confirmed && !h.tet,
            source: DEFAULT_SOURCE.to_string(),
        });
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.kind.cmp(&b.kind)));
    Ok(out)
}

/// The nearest Monday–Friday after (or before) `from` that is not already off, in the same
/// year. Holidays never sit close enough to a year's edge for this to leave the year.
fn free_weekday(from: NaiveDate, backwards: bool, off: &[NaiveDate]) -> Option<NaiveDate> {
    let mut d = from;
    for _ in 0..30 {
        d = if backwards {
            d.pred_opt()?
        } else {
            d.succ_opt()?
        };
        if d.year() != from.year() {
            return None;
        }
        if !is_weekend(d) && !off.contains(&d) {
            return Some(d);
        }
    }
    None
}

/// The statutory holidays of `year` whose dates are fixed by law, whatever the yearly
/// schedule says (1/1, mùng 1 Tết, Giỗ Tổ, 30/4, 1/5, 2/9, 24/11 from 2026). Used to warn
/// about an incomplete office-made schedule file.
pub fn fixed_statutory_dates(year: i32) -> Result<Vec<(NaiveDate, String)>, CalendarError> {
    let year = check_year(i64::from(year))?;
    Ok(statutory(year)?
        .into_iter()
        .filter(|h| h.anchored)
        .map(|h| (h.date, h.name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn off_days(year: i32) -> Vec<(NaiveDate, DayKind)> {
        default_days(year)
            .unwrap()
            .into_iter()
            .map(|e| (e.date, e.kind))
            .collect()
    }

    #[test]
    fn default_2026_matches_the_announced_shape() {
        let days = off_days(2026);
        for day in 16..=20 {
            assert!(
                days.contains(&(d(2026, 2, day), DayKind::Holiday)),
                "Tết {day}/2"
            );
        }
        assert!(days.contains(&(d(2026, 4, 26), DayKind::Holiday)));
        assert!(days.contains(&(d(2026, 4, 27), DayKind::Compensatory)));
        assert!(days.contains(&(d(2026, 9, 1), DayKind::Holiday)));
        assert!(days.contains(&(d(2026, 11, 24), DayKind::Holiday)));
        assert_eq!(days.len(), 13);
    }

    #[test]
    fn tet_on_a_weekend_follows_recent_practice() {
        // 2024: Tết Sat 10/2 → eve Fri 9/2, off Thu 8/2 … Wed 14/2.
        let days = off_days(2024);
        assert!(days.contains(&(d(2024, 2, 8), DayKind::Compensatory)));
        assert!(days.contains(&(d(2024, 2, 14), DayKind::Compensatory)));
        // 2023: Tết Sun 22/1 → off Fri 20/1 … Thu 26/1.
        let days = off_days(2023);
        assert!(days.contains(&(d(2023, 1, 20), DayKind::Compensatory)));
        assert!(days.contains(&(d(2023, 1, 26), DayKind::Compensatory)));
        // 1/1/2023 was a Sunday → Mon 2/1.
        assert!(days.contains(&(d(2023, 1, 2), DayKind::Compensatory)));
        // 2023: 2/9 Saturday → 1/9 Friday adjacent and Mon 4/9 compensatory.
        assert!(days.contains(&(d(2023, 9, 1), DayKind::Holiday)));
        assert!(days.contains(&(d(2023, 9, 4), DayKind::Compensatory)));
        // 2025: mùng 4 on Sat 1/2 → Mon 27/1.
        let days = off_days(2025);
        assert!(days.contains(&(d(2025, 1, 27), DayKind::Compensatory)));
    }

    #[test]
    fn era_switches() {
        let names = |y| {
            default_days(y)
                .unwrap()
                .into_iter()
                .map(|e| e.name)
                .collect::<Vec<_>>()
        };
        assert!(!names(2006).iter().any(|n| n.starts_with("Giỗ Tổ")));
        assert!(names(2007).iter().any(|n| n.starts_with("Giỗ Tổ")));
        assert!(!names(2020).iter().any(|n| n.contains("liền kề")));
        assert!(!names(2025).iter().any(|n| n.contains("Văn hóa")));
        assert_eq!(
            names(2012)
                .iter()
                .filter(|n| n.starts_with("Tết Nguyên đán"))
                .count(),
            4
        );
    }

    #[test]
    fn every_year_has_a_table() {
        for year in [1900, 1950, 2033, 2100, 2199] {
            let days = default_days(year).unwrap();
            assert!(days.len() >= 8, "{year}");
            assert!(days.iter().all(|e| e.date.year() == year));
        }
        assert!(default_days(1899).is_err());
        assert!(default_days(2200).is_err());
    }
}
