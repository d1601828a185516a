//! Vietnamese lunar calendar (âm lịch), computed astronomically at UTC+7.
//!
//! This follows Hồ Ngọc Đức's published method ("Thuật toán tính âm lịch"): new moons and
//! the sun's longitude from Meeus' simplified series; a month starts on the local day of the
//! new moon; the winter solstice always falls in month 11; in a year with 13 months between
//! two months 11, the first month after month 11 without a principal solar term is the leap
//! month and takes the number of the month before it. Vietnam computes all of this at 105°E
//! (UTC+7), China at UTC+8, so the two calendars occasionally differ (Tết 1985, 2007, 2030,
//! 2053 …). The zone is a parameter so the Chinese reading can be shown for comparison.
//!
//! Corrections to the reference code, all caught by the round-trip test: the month start
//! of a solar date steps back until it is not after the date (the reference trusts the
//! mean-month guess and gives "day 0" on 2054-05-07); a leap month placed right after month
//! 12 is numbered 12 (the reference gives 0); asking for a leap month in a year that has
//! none, or a day 30 in a 29-day month, is an error instead of a silent wrong date.

use super::{CalendarError, MAX_YEAR, MIN_YEAR, check_date};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::f64::consts::PI;

/// Vietnam's zone (UTC+7), used by every conversion unless told otherwise.
pub const VIETNAM_ZONE: i32 = 7;
/// China's zone (UTC+8), for comparing with the Chinese calendar.
pub const CHINA_ZONE: i32 = 8;

/// Julian day number of 0001-01-01 minus one (`JDN = days from CE + this`).
const JDN_OF_CE: i64 = 1_721_425;
/// Mean length of a synodic month, in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// Julian day of the new moon numbered 0 (near 1900-01-01), as in the reference method.
const NEW_MOON_EPOCH: f64 = 2_415_021.076_998_695;

/// A date of the Vietnamese lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct LunarDate {
    /// Day of the month, 1–30.
    pub day: u32,
    /// Month, 1–12 (a leap month carries the number of the month before it).
    pub month: u32,
    /// Lunar year number (the solar year in which its month 1 begins).
    pub year: i32,
    /// True for the leap (intercalary) month.
    pub leap: bool,
}

/// One month of a lunar year, as listed by [`LunarDate::months_of_year`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LunarMonth {
    /// Month number, 1–12.
    pub month: u32,
    /// True for the leap month.
    pub leap: bool,
    /// Solar date of day 1.
    pub start: NaiveDate,
    /// Number of days, 29 or 30.
    pub len: u32,
}

impl LunarDate {
    /// Builds and checks a lunar date (bounds, leap month, month length) in Vietnam's zone.
    pub fn new(day: u32, month: u32, year: i32, leap: bool) -> Result<LunarDate, CalendarError> {
        let date = LunarDate {
            day,
            month,
            year,
            leap,
        };
        date.to_solar()?;
        Ok(date)
    }

    /// The lunar date of a solar date, in Vietnam's zone (UTC+7).
    pub fn from_solar(date: NaiveDate) -> Result<LunarDate, CalendarError> {
        LunarDate::from_solar_in_zone(date, VIETNAM_ZONE)
    }

    /// The lunar date of a solar date computed in another zone (whole hours east of UTC),
    /// e.g. [`CHINA_ZONE`] to show the Chinese reading.
    pub fn from_solar_in_zone(date: NaiveDate, zone: i32) -> Result<LunarDate, CalendarError> {
        let tz = zone_hours(zone)?;
        check_date(date)?;
        Ok(solar_to_lunar(date, tz))
    }

    /// The solar date of this lunar date, in Vietnam's zone (UTC+7).
    pub fn to_solar(&self) -> Result<NaiveDate, CalendarError> {
        self.to_solar_in_zone(VIETNAM_ZONE)
    }

    /// The solar date of this lunar date computed in another zone.
    pub fn to_solar_in_zone(&self, zone: i32) -> Result<NaiveDate, CalendarError> {
        let tz = zone_hours(zone)?;
        if !(1..=12).contains(&self.month) {
            return Err(CalendarError::BadLunarDate(format!(
                "tháng {} (tháng âm lịch từ 1 đến 12)",
                self.month
            )));
        }
        if !(1..=30).contains(&self.day) {
            return Err(CalendarError::BadLunarDate(format!(
                "ngày {} (ngày âm lịch từ 1 đến 30)",
                self.day
            )));
        }
        // Lunar year MIN_YEAR - 1 still has days in January of MIN_YEAR.
        if !(MIN_YEAR - 1..=MAX_YEAR).contains(&self.year) {
            return Err(CalendarError::YearOutOfRange(i64::from(self.year)));
        }
        let k = month_number_index(self.month, self.year, self.leap, tz)?;
        let start = new_moon_day(k, tz);
        let len = new_moon_day(k + 1, tz) - start;
        if i64::from(self.day) > len {
            return Err(CalendarError::DayBeyondMonth {
                day: self.day,
                month: self.month,
                leap: if self.leap { " nhuận" } else { "" },
                year: self.year,
                len: len as u32,
            });
        }
        let date = from_jdn(start + i64::from(self.day) - 1)
            .ok_or_else(|| CalendarError::YearOutOfRange(i64::from(self.year)))?;
        check_date(date)
    }

    /// Can-chi name of the lunar year, e.g. "Bính Ngọ" for 2026.
    pub fn year_name(&self) -> String {
        year_name(self.year)
    }

    /// The months of lunar year `year` (12 or 13) in Vietnam's zone, in order.
    pub fn months_of_year(year: i32) -> Result<Vec<LunarMonth>, CalendarError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(CalendarError::YearOutOfRange(i64::from(year)));
        }
        let tz = f64::from(VIETNAM_ZONE);
        let first = month_number_index(1, year, false, tz)?;
        let next = month_number_index(1, year + 1, false, tz)?;
        let mut months = Vec::with_capacity(13);
        for k in first..next {
            let start = new_moon_day(k, tz);
            let start_date =
                from_jdn(start).ok_or_else(|| CalendarError::YearOutOfRange(i64::from(year)))?;
            let label = solar_to_lunar(start_date, tz);
            months.push(LunarMonth {
                month: label.month,
                leap: label.leap,
                start: start_date,
                len: (new_moon_day(k + 1, tz) - start) as u32,
            });
        }
        Ok(months)
    }

    /// The leap month of lunar year `year` in Vietnam's zone, if it has one.
    pub fn leap_month(year: i32) -> Result<Option<u32>, CalendarError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(CalendarError::YearOutOfRange(i64::from(year)));
        }
        Ok(leap_month_of_year(year, f64::from(VIETNAM_ZONE)))
    }
}

impl std::fmt::Display for LunarDate {
    /// `1/6/2025`, or `1/6 nhuận/2025` for a leap month.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let leap = if self.leap { " nhuận" } else { "" };
        write!(f, "{}/{}{}/{}", self.day, self.month, leap, self.year)
    }
}

/// Can-chi (sexagenary) name of a lunar year: heavenly stem + earthly branch.
pub fn year_name(year: i32) -> String {
    const CAN: [&str; 10] = [
        "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
    ];
    const CHI: [&str; 12] = [
        "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
    ];
    let can = CAN[(year + 6).rem_euclid(10) as usize];
    let chi = CHI[(year + 8).rem_euclid(12) as usize];
    format!("{can} {chi}")
}

/// Hours east of UTC as a float, refusing offsets no place uses.
fn zone_hours(zone: i32) -> Result<f64, CalendarError> {
    if (-12..=14).contains(&zone) {
        Ok(f64::from(zone))
    } else {
        Err(CalendarError::BadZone(zone))
    }
}

/// Julian day number of a date.
pub(crate) fn jdn(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JDN_OF_CE
}

/// Date of a Julian day number.
pub(crate) fn from_jdn(jdn: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(jdn - JDN_OF_CE).ok()?)
}

/// Julian day (UT, fractional) of the k-th new moon after the epoch (Meeus, simplified).
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85; // Julian centuries from 1900 January 0.5
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin(); // mean new moon
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3; // sun's mean anomaly
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3; // moon's
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3; // latitude arg.
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The sun's apparent longitude in radians, 0 ≤ L < 2π, at Julian day `jd` (UT).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0; // Julian centuries from 2000-01-01 12:00 UT
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// Which 30° sector (0–11) the sun is in at local midnight starting day `day`.
fn sun_sector(day: i64, tz: f64) -> i64 {
    (sun_longitude(day as f64 - 0.5 - tz / 24.0) / PI * 6.0).floor() as i64
}

/// Julian day number of the local day containing the k-th new moon.
fn new_moon_day(k: i64, tz: f64) -> i64 {
    (new_moon(k) + 0.5 + tz / 24.0).floor() as i64
}

/// Index `k` of the new moon nearest before-or-at day `day` (a rough first guess).
fn month_index_guess(day: i64) -> i64 {
    ((day as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64
}

/// Start (JDN) of lunar month 11 of solar year `year`: the month containing the solstice.
fn lunar_month_11(year: i32, tz: f64) -> i64 {
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).map_or(0, jdn);
    let k = ((dec31 - 2_415_021) as f64 / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k, tz);
    if sun_sector(nm, tz) >= 9 {
        new_moon_day(k - 1, tz)
    } else {
        nm
    }
}

/// Index `k` of the new moon that starts the month beginning at JDN `a11`.
fn index_of_month_start(a11: i64) -> i64 {
    (0.5 + (a11 as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64
}

/// In a 13-month span starting at month 11 (JDN `a11`), the offset (1–13) of the leap month:
/// the first month whose start lies in the same solar sector as the next month's start,
/// i.e. a month with no principal term. Scans at most up to offset `limit`.
fn leap_offset_upto(a11: i64, tz: f64, limit: i64) -> Option<i64> {
    let k = index_of_month_start(a11);
    let mut last = sun_sector(new_moon_day(k + 1, tz), tz);
    for i in 2..14 {
        if i - 1 > limit {
            return None;
        }
        let arc = sun_sector(new_moon_day(k + i, tz), tz);
        if arc == last {
            return Some(i - 1);
        }
        last = arc;
    }
    // The reference method falls back to the last offset; a 13-month span always has a
    // month without a principal term, so this is not reached in practice.
    (13 <= limit).then_some(13)
}

/// Month number (1–12) of the leap month found at `offset` months after month 11.
fn leap_month_number(offset: i64) -> u32 {
    ((9 + offset).rem_euclid(12) + 1) as u32
}

/// The leap month belonging to lunar year `year` (months 1–10 between the months 11 of
/// `year - 1` and `year`; months 11–12 after the month 11 of `year`).
fn leap_month_of_year(year: i32, tz: f64) -> Option<u32> {
    let early = {
        let a11 = lunar_month_11(year - 1, tz);
        let b11 = lunar_month_11(year, tz);
        (b11 - a11 > 365)
            .then(|| leap_offset_upto(a11, tz, 13).map(leap_month_number))
            .flatten()
            .filter(|m| *m <= 10)
    };
    early.or_else(|| {
        let a11 = lunar_month_11(year, tz);
        let b11 = lunar_month_11(year + 1, tz);
        (b11 - a11 > 365)
            .then(|| leap_offset_upto(a11, tz, 13).map(leap_month_number))
            .flatten()
            .filter(|m| *m >= 11)
    })
}

/// New-moon index `k` of the first day of month `month` (leap or not) of lunar year `year`.
fn month_number_index(month: u32, year: i32, leap: bool, tz: f64) -> Result<i64, CalendarError> {
    let (a11, b11) = if month < 11 {
        (lunar_month_11(year - 1, tz), lunar_month_11(year, tz))
    } else {
        (lunar_month_11(year, tz), lunar_month_11(year + 1, tz))
    };
    let k = index_of_month_start(a11);
    let mut off = (i64::from(month) - 11).rem_euclid(12);
    let leap_offset = if b11 - a11 > 365 {
        leap_offset_upto(a11, tz, 13)
    } else {
        None
    };
    match leap_offset {
        Some(lo) => {
            let leap_month = leap_month_number(lo);
            if leap && month != leap_month {
                return Err(no_leap(month, year, Some(leap_month)));
            }
            if leap || off >= lo {
                off += 1;
            }
        }
        None if leap => {
            // The leap month of the year may sit in the other span (months 11–12 vs 1–10).
            return Err(no_leap(month, year, leap_month_of_year(year, tz)));
        }
        None => {}
    }
    Ok(k + off)
}

/// The error for a leap month the year does not have, naming the one it has.
fn no_leap(month: u32, year: i32, actual: Option<u32>) -> CalendarError {
    let hint = match actual {
        Some(m) => format!(" (năm này nhuận tháng {m})"),
        None => " (năm này không có tháng nhuận)".to_string(),
    };
    CalendarError::NoSuchLeapMonth { month, year, hint }
}

/// Solar → lunar at zone `tz` (hours). The date must be within the supported range.
fn solar_to_lunar(date: NaiveDate, tz: f64) -> LunarDate {
    let day = jdn(date);
    // The guess from the mean month can be one too high when the true new moon falls after
    // the mean one (2054-05-07 gave "day 0" in the reference code), so step back as needed.
    let mut k = month_index_guess(day) + 1;
    let mut month_start = new_moon_day(k, tz);
    while month_start > day {
        k -= 1;
        month_start = new_moon_day(k, tz);
    }
    let yy = date.year();
    let mut a11 = lunar_month_11(yy, tz);
    let b11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = yy;
        b11 = a11;
        a11 = lunar_month_11(yy - 1, tz);
    } else {
        lunar_year = yy + 1;
        b11 = lunar_month_11(yy + 1, tz);
    }
    let lunar_day = (day - month_start + 1) as u32;
    let diff = (month_start - a11).div_euclid(29);
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365
        && let Some(leap_diff) = leap_offset_upto(a11, tz, diff)
    {
        month = diff + 10;
        leap = diff == leap_diff;
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    LunarDate {
        day: lunar_day,
        month: month as u32,
        year: lunar_year,
        leap,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn julian_day_numbers() {
        assert_eq!(jdn(d(2000, 1, 1)), 2_451_545);
        assert_eq!(from_jdn(2_451_545), Some(d(2000, 1, 1)));
    }

    #[test]
    fn chinese_zone_differs_in_1985() {
        let tz8 = LunarDate::from_solar_in_zone(d(1985, 1, 21), CHINA_ZONE).unwrap();
        assert_eq!(
            (tz8.day, tz8.month, tz8.year, tz8.leap),
            (1, 12, 1984, false)
        );
        assert!(LunarDate::from_solar_in_zone(d(1985, 1, 21), 15).is_err());
    }

    #[test]
    fn leap_month_numbers() {
        assert_eq!(leap_month_number(1), 11);
        assert_eq!(leap_month_number(2), 12);
        assert_eq!(leap_month_number(3), 1);
        assert_eq!(leap_month_number(8), 6);
    }

    #[test]
    fn leap_month_eleven_of_2033() {
        // 2033 is the famous year whose leap month comes after month 11.
        assert_eq!(LunarDate::leap_month(2033).unwrap(), Some(11));
        let months = LunarDate::months_of_year(2033).unwrap();
        assert_eq!(months.len(), 13);
        let leap = months.iter().find(|m| m.leap).unwrap();
        assert_eq!(leap.month, 11);
        let back = LunarDate::from_solar(leap.start).unwrap();
        assert_eq!(
            (back.day, back.month, back.year, back.leap),
            (1, 11, 2033, true)
        );
    }
}
