//! Working days, working sessions and working time: the [`WorkCalendar`].
//!
//! A day is a working day unless it is a Saturday or Sunday (and not a make-up working day)
//! or a day off of its year's table. A year's table is its official [`YearSchedule`] when one
//! was given, else the computed defaults of [`super::holiday`]. Tables are built on first use
//! and kept, so a calendar answers for any year 1900–2199 and repeated questions are cheap.
//!
//! Working time is counted only inside the sessions of working days (default 07:00–11:30
//! and 13:30–17:00, 8 hours). Sessions are half-open: an instant exactly at a session's end
//! is outside it, and the next session's start is where counting resumes. Sub-second parts
//! of instants are ignored.

use super::holiday::{DayEntry, default_days};
use super::schedule::{YearSchedule, builtin_schedules};
use super::{CalendarError, MAX_YEAR, MIN_YEAR, check_date, is_weekend, next_day};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Number of years covered (1900–2199).
const YEARS: usize = (MAX_YEAR - MIN_YEAR + 1) as usize;

/// One working session of a day, `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Opening time.
    pub start: NaiveTime,
    /// Closing time.
    pub end: NaiveTime,
}

/// Office hours and the conventions of the deadline engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkConfig {
    /// Sessions of a working day, in order, not overlapping. Default 07:00–11:30, 13:30–17:00.
    pub sessions: Vec<Session>,
    /// Latest receipt time for a same-day procedure to be due the same day. Default 15:00.
    pub same_day_cutoff: NaiveTime,
    /// When a working-hour count ends exactly at the close of a day, give the start of the
    /// next working day instead (Wed 17:00 → Thu 07:00), as one province's engine prints it.
    /// Default false: the instant stays at the close.
    pub end_of_day_rolls_over: bool,
}

/// `h:m` as a time; only called with constant, valid values.
fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("constant office hours are valid times")
}

impl Default for WorkConfig {
    fn default() -> Self {
        WorkConfig {
            sessions: vec![
                Session {
                    start: hm(7, 0),
                    end: hm(11, 30),
                },
                Session {
                    start: hm(13, 30),
                    end: hm(17, 0),
                },
            ],
            same_day_cutoff: hm(15, 0),
            end_of_day_rolls_over: false,
        }
    }
}

impl WorkConfig {
    /// Checks that there is at least one session and that sessions are ordered and disjoint.
    pub fn check(&self) -> Result<(), CalendarError> {
        let bad = |why: &str| Err(CalendarError::BadConfig(why.to_string()));
        if self.sessions.is_empty() {
            return bad("cần ít nhất một buổi làm việc");
        }
        for s in &self.sessions {
            if s.start >= s.end {
                return bad("giờ bắt đầu buổi làm việc phải trước giờ kết thúc");
            }
        }
        if self.sessions.windows(2).any(|w| w[1].start < w[0].end) {
            return bad("các buổi làm việc phải theo thứ tự và không chồng nhau");
        }
        Ok(())
    }

    /// Working time of one working day (8 hours by default).
    pub fn day_length(&self) -> TimeDelta {
        self.sessions.iter().map(|s| s.end - s.start).sum()
    }

    /// Closing time of a working day (end of the last session).
    pub fn closing_time(&self) -> NaiveTime {
        self.sessions.last().map_or(NaiveTime::MIN, |s| s.end)
    }

    /// Opening time of a working day (start of the first session).
    pub fn opening_time(&self) -> NaiveTime {
        self.sessions.first().map_or(NaiveTime::MIN, |s| s.start)
    }
}

/// The days of one year, ready for fast lookups.
#[derive(Debug, Clone)]
struct YearTable {
    /// Bit `ordinal0` set = not a working day.
    off: [u64; 6],
    /// The listed days, sorted by date.
    days: Vec<DayEntry>,
}

impl YearTable {
    fn build(year: i32, days: Vec<DayEntry>) -> YearTable {
        let mut off = [0u64; 6];
        let mut set = |ord: u32, on: bool| {
            let (w, b) = ((ord / 64) as usize, ord % 64);
            if on {
                off[w] |= 1 << b
            } else {
                off[w] &= !(1 << b)
            }
        };
        let mut d = NaiveDate::from_ymd_opt(year, 1, 1);
        while let Some(day) = d.filter(|d| d.year() == year) {
            set(day.ordinal0(), is_weekend(day));
            d = day.succ_opt();
        }
        for e in &days {
            set(e.date.ordinal0(), e.kind.is_off());
        }
        YearTable { off, days }
    }

    fn is_off(&self, date: NaiveDate) -> bool {
        let ord = date.ordinal0();
        self.off[(ord / 64) as usize] & (1 << (ord % 64)) != 0
    }
}

/// Working-day calendar of one office: schedules, defaults and office hours.
#[derive(Clone)]
pub struct WorkCalendar {
    config: WorkConfig,
    /// Sessions as seconds from midnight, `(start, end)`.
    sessions: Vec<(i64, i64)>,
    schedules: BTreeMap<i32, YearSchedule>,
    tables: Box<[OnceLock<YearTable>]>,
}

impl std::fmt::Debug for WorkCalendar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkCalendar")
            .field("config", &self.config)
            .field("schedule_years", &self.schedules.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Seconds from midnight of a time (sub-second part dropped).
fn secs(t: NaiveTime) -> i64 {
    i64::from(t.num_seconds_from_midnight())
}

/// `date` at `s` seconds from midnight (`s` < 86 400).
fn at(date: NaiveDate, s: i64) -> NaiveDateTime {
    let t = NaiveTime::from_num_seconds_from_midnight_opt(s as u32, 0)
        .expect("session bounds are times of day, so s is below 86 400");
    date.and_time(t)
}

impl WorkCalendar {
    /// A calendar from official schedules (a later one for the same year wins) and office
    /// hours. Years without a schedule use the computed defaults.
    pub fn new(
        schedules: Vec<YearSchedule>,
        config: WorkConfig,
    ) -> Result<WorkCalendar, CalendarError> {
        config.check()?;
        let mut by_year = BTreeMap::new();
        for mut s in schedules {
            s.check()?;
            by_year.insert(s.year, s);
        }
        let sessions = config
            .sessions
            .iter()
            .map(|s| (secs(s.start), secs(s.end)))
            .collect();
        Ok(WorkCalendar {
            config,
            sessions,
            schedules: by_year,
            tables: (0..YEARS).map(|_| OnceLock::new()).collect(),
        })
    }

    /// A calendar with the schedules shipped with the app and the default office hours.
    pub fn with_builtin() -> WorkCalendar {
        WorkCalendar::new(builtin_schedules(), WorkConfig::default())
            .expect("built-in schedules and default hours are checked by tests")
    }

    /// The office hours and conventions in use.
    pub fn config(&self) -> &WorkConfig {
        &self.config
    }

    /// The official schedule given for `year`, if any (else the year uses defaults).
    pub fn schedule(&self, year: i32) -> Option<&YearSchedule> {
        self.schedules.get(&year)
    }

    /// The table of `year`, built on first use.
    fn table(&self, year: i32) -> Result<&YearTable, CalendarError> {
        let idx = usize::try_from(year - MIN_YEAR)
            .ok()
            .filter(|i| *i < YEARS)
            .ok_or(CalendarError::YearOutOfRange(i64::from(year)))?;
        let cell = &self.tables[idx];
        if let Some(t) = cell.get() {
            return Ok(t);
        }
        let days = match self.schedules.get(&year) {
            Some(s) => s.days.clone(),
            None => default_days(year)?,
        };
        Ok(cell.get_or_init(|| YearTable::build(year, days)))
    }

    /// The listed days of `year` (official schedule, else defaults), sorted by date:
    /// holidays (also those on a weekend), compensatory days, swapped days off, make-up days.
    pub fn days_of_year(&self, year: i32) -> Result<&[DayEntry], CalendarError> {
        Ok(&self.table(year)?.days)
    }

    /// The listed entry of `date`, if any.
    pub fn day_entry(&self, date: NaiveDate) -> Result<Option<&DayEntry>, CalendarError> {
        let days = &self.table(date.year())?.days;
        Ok(days
            .binary_search_by_key(&date, |e| e.date)
            .ok()
            .map(|i| &days[i]))
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(!self.table(date.year())?.is_off(date))
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let mut d = next_day(date)?;
        while !self.is_working_day(d)? {
            d = next_day(d)?;
        }
        Ok(d)
    }

    /// The first working day on or after `date`.
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        if self.is_working_day(check_date(date)?)? {
            Ok(date)
        } else {
            self.next_working_day(date)
        }
    }

    /// Where counting starts for an event at `t`: `t` itself if it is inside a session of a
    /// working day, else the start of the next session on a working day.
    pub fn effective_start(&self, t: NaiveDateTime) -> Result<NaiveDateTime, CalendarError> {
        let date = check_date(t.date())?;
        let tod = secs(t.time());
        if self.is_working_day(date)? {
            for &(s, e) in &self.sessions {
                if tod < s {
                    return Ok(at(date, s));
                }
                if tod < e {
                    return Ok(t.with_nanosecond(0).unwrap_or(t));
                }
            }
        }
        let next = self.next_working_day(date)?;
        Ok(at(next, self.sessions[0].0))
    }

    /// The instant at which `amount` of working time has elapsed from `from` (counting only
    /// inside sessions of working days). An end exactly at a session's close stays there,
    /// unless [`WorkConfig::end_of_day_rolls_over`] moves a day's close to the next opening.
    /// A zero or negative amount gives `from` unchanged.
    pub fn add_working_time(
        &self,
        from: NaiveDateTime,
        amount: TimeDelta,
    ) -> Result<NaiveDateTime, CalendarError> {
        let mut need = amount.num_seconds();
        let mut date = check_date(from.date())?;
        if need <= 0 {
            return Ok(from);
        }
        // Each day holds at most a day's working time: refuse at once a count that cannot
        // end before the last supported day, instead of walking there.
        let day_len = self.config.day_length().num_seconds().max(1);
        let min_days = u64::try_from((need - 1) / day_len).unwrap_or(u64::MAX);
        if date
            .checked_add_days(Days::new(min_days))
            .is_none_or(|d| d.year() > MAX_YEAR)
        {
            return Err(CalendarError::DateOutOfRange(format!(
                "{} + {} giờ làm việc",
                from.format("%d/%m/%Y %H:%M"),
                need / 3600
            )));
        }
        let mut tod = secs(from.time());
        loop {
            if self.is_working_day(date)? {
                for &(s, e) in &self.sessions {
                    if tod >= e {
                        continue;
                    }
                    let start = tod.max(s);
                    let avail = e - start;
                    if need <= avail {
                        return self.settle(at(date, start + need));
                    }
                    need -= avail;
                    tod = e;
                }
            }
            date = next_day(date)?;
            tod = 0;
        }
    }

    /// Applies the end-of-day convention to a computed end instant.
    pub(crate) fn settle(&self, end: NaiveDateTime) -> Result<NaiveDateTime, CalendarError> {
        if self.config.end_of_day_rolls_over && end.time() == self.config.closing_time() {
            let next = self.next_working_day(end.date())?;
            return Ok(at(next, self.sessions[0].0));
        }
        Ok(end)
    }

    /// Working time between two instants (zero when `to` is not after `from`).
    pub fn working_time_between(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<TimeDelta, CalendarError> {
        if to <= from {
            return Ok(TimeDelta::zero());
        }
        check_date(from.date())?;
        check_date(to.date())?;
        let mut total = 0i64;
        let mut date = from.date();
        while date <= to.date() {
            if self.is_working_day(date)? {
                let lo = if date == from.date() {
                    secs(from.time())
                } else {
                    0
                };
                let hi = if date == to.date() {
                    secs(to.time())
                } else {
                    86_400
                };
                for &(s, e) in &self.sessions {
                    total += (e.min(hi) - s.max(lo)).max(0);
                }
            }
            match date.succ_opt() {
                Some(d) => date = d,
                None => break,
            }
        }
        Ok(TimeDelta::seconds(total))
    }

    /// Whether `t` is inside a session of a working day or exactly at a session's end.
    pub fn is_in_session(&self, t: NaiveDateTime) -> Result<bool, CalendarError> {
        let tod = secs(t.time());
        Ok(self.is_working_day(t.date())?
            && self.sessions.iter().any(|&(s, e)| s <= tod && tod <= e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        super::super::parse_datetime(s).unwrap()
    }

    #[test]
    fn default_hours() {
        let c = WorkConfig::default();
        assert_eq!(c.day_length(), TimeDelta::hours(8));
        assert_eq!(c.closing_time(), hm(17, 0));
        c.check().unwrap();
    }

    #[test]
    fn refuses_bad_hours() {
        let mut c = WorkConfig::default();
        c.sessions.reverse();
        assert!(WorkCalendar::new(vec![], c).is_err());
        let c = WorkConfig {
            sessions: vec![],
            ..WorkConfig::default()
        };
        assert!(WorkCalendar::new(vec![], c).is_err());
        let c = WorkConfig {
            sessions: vec![Session {
                start: hm(9, 0),
                end: hm(8, 0),
            }],
            ..WorkConfig::default()
        };
        assert!(
            WorkCalendar::new(vec![], c)
                .unwrap_err()
                .to_string()
                .contains("trước giờ kết thúc")
        );
    }

    #[test]
    fn effective_start_moves_to_the_next_session() {
        let cal = WorkCalendar::with_builtin();
        assert_eq!(
            cal.effective_start(t("2026-03-10T06:00")).unwrap(),
            t("2026-03-10T07:00")
        );
        assert_eq!(
            cal.effective_start(t("2026-03-10T09:15")).unwrap(),
            t("2026-03-10T09:15")
        );
        assert_eq!(
            cal.effective_start(t("2026-03-10T11:30")).unwrap(),
            t("2026-03-10T13:30")
        );
        assert_eq!(
            cal.effective_start(t("2026-03-10T12:00")).unwrap(),
            t("2026-03-10T13:30")
        );
        assert_eq!(
            cal.effective_start(t("2026-03-10T17:30")).unwrap(),
            t("2026-03-11T07:00")
        );
        // Friday evening → Monday; Sunday 26/4/2026 → Tuesday 28/4 (27/4 compensatory).
        assert_eq!(
            cal.effective_start(t("2026-03-13T17:00")).unwrap(),
            t("2026-03-16T07:00")
        );
        assert_eq!(
            cal.effective_start(t("2026-04-26T10:00")).unwrap(),
            t("2026-04-28T07:00")
        );
    }

    #[test]
    fn working_time_between_instants() {
        let cal = WorkCalendar::with_builtin();
        let w = |a, b| cal.working_time_between(t(a), t(b)).unwrap();
        assert_eq!(
            w("2026-03-16T10:00", "2026-03-18T10:00"),
            TimeDelta::hours(16)
        );
        assert_eq!(
            w("2026-03-13T16:00", "2026-03-16T08:00"),
            TimeDelta::hours(2)
        );
        assert_eq!(w("2026-03-10T12:00", "2026-03-10T13:00"), TimeDelta::zero());
        assert_eq!(w("2026-03-10T13:00", "2026-03-10T12:00"), TimeDelta::zero());
    }

    #[test]
    fn counts_may_end_on_the_last_supported_day() {
        let cal = WorkCalendar::with_builtin();
        // Mon 2199-12-30 07:00 + 2 days of work ends Tue 31/12 17:00, the last instant.
        let end = cal.add_working_time(t("2199-12-30T07:00"), TimeDelta::hours(16));
        assert_eq!(end.unwrap(), t("2199-12-31T17:00"));
        assert!(
            cal.add_working_time(t("2199-12-30T07:00"), TimeDelta::hours(17))
                .is_err()
        );
        assert!(
            cal.add_working_time(t("2000-01-03T07:00"), TimeDelta::hours(i64::from(u32::MAX)))
                .is_err()
        );
    }

    #[test]
    fn makeup_saturday_is_a_working_day() {
        let cal = WorkCalendar::with_builtin();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert!(cal.is_working_day(d(2025, 4, 26)).unwrap());
        assert!(!cal.is_working_day(d(2025, 5, 2)).unwrap());
        assert!(!cal.is_working_day(d(2026, 4, 27)).unwrap());
        assert!(cal.is_working_day(d(2026, 4, 28)).unwrap());
        assert!(cal.is_working_day(d(2200, 1, 1)).is_err());
    }
}
