//! What the office head's dashboard shows beside Biểu 06: the index's on-time rate week
//! by week, the dossiers overdue with how late each is and who received it, and the
//! procedures received most. The same rules as the report ([`Facts::standing`]).

use super::{Facts, Period, Standing};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde::Serialize;
use std::collections::HashMap;

/// One week of the on-time chart (Monday to Sunday, cut to the period): the index's
/// on-time rule applied to the week as if it were a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Week {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Ended early or on time, or pending within time, at the week's end.
    pub in_time: u64,
    /// Received in the week or carried into it.
    pub counted: u64,
}

impl Week {
    /// The on-time rate in percent; None for a week with nothing to count.
    pub fn percent(&self) -> Option<f64> {
        (self.counted > 0).then(|| self.in_time as f64 * 100.0 / self.counted as f64)
    }

    fn end(&self) -> NaiveDateTime {
        (self.to + TimeDelta::days(1)).and_time(NaiveTime::MIN)
    }
}

/// The weeks of `period` up to `as_of` with the on-time rate of each, first to last
/// (the week holding `as_of` counted up to it, that second included).
///
/// Each dossier is looked at only in the weeks it lives through (from the week it was
/// received or the period's first, to the week it ended or the period's last), so a
/// year of weeks costs about as much as the year's report.
pub fn weeks(period: &Period, facts: &[Facts], as_of: NaiveDateTime) -> Vec<Week> {
    let as_of = super::cut(period, as_of);
    let monday =
        period.from - TimeDelta::days(i64::from(period.from.weekday().num_days_from_monday()));
    let mut out = Vec::new();
    let mut start = monday;
    while start <= period.to && start.and_time(NaiveTime::MIN) < as_of {
        out.push(Week {
            from: start.max(period.from),
            to: (start + TimeDelta::days(6)).min(period.to),
            in_time: 0,
            counted: 0,
        });
        start += TimeDelta::days(7);
    }
    let Some(last_week) = out.len().checked_sub(1) else {
        return out;
    };
    let index = |d: NaiveDate| -> usize {
        let k = (d - monday).num_days().max(0) / 7;
        (k as usize).min(last_week)
    };
    let (start, end) = (period.start(), as_of);
    for f in facts {
        if f.received_at >= end {
            continue;
        }
        if f.received_at < start && f.end_before(start).is_some() {
            continue;
        }
        let first = if f.received_at < start {
            0
        } else {
            index(f.received_at.date())
        };
        let last = f
            .end_before(end)
            .map_or(last_week, |(at, _)| index(at.date()));
        for w in &mut out[first..=last.max(first)] {
            let Some(s) = f.standing(w.end().min(as_of)) else {
                continue;
            };
            w.counted += 1;
            if s.in_time() {
                w.in_time += 1;
            }
        }
    }
    out
}

/// A dossier past its appointment and not ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overdue {
    pub code: String,
    pub procedure: String,
    /// Who received it.
    pub clerk: String,
    /// The appointment, moved on by the time spent waiting for a supplement.
    pub due_at: Option<NaiveDateTime>,
    /// Whole days from the appointment's day to `at`'s (0: it fell due today).
    pub days_late: i64,
    /// More than one supplement was asked, which the index counts as late whatever the
    /// date.
    pub supplements: usize,
}

/// The dossiers overdue at `at` (that second included), the latest first (then by
/// code).
pub fn overdue(at: NaiveDateTime, facts: &[Facts]) -> Vec<Overdue> {
    let cut = at + TimeDelta::seconds(1);
    let mut out: Vec<Overdue> = facts
        .iter()
        .filter(|f| f.standing(cut) == Some(Standing::PendingLate))
        .map(|f| {
            let (due_at, supplements) = f.due_before(cut);
            Overdue {
                code: f.code.clone(),
                procedure: f.procedure.clone(),
                clerk: f.clerk.clone(),
                due_at,
                days_late: due_at.map_or(0, |d| (at.date() - d.date()).num_days().max(0)),
                supplements,
            }
        })
        .collect();
    out.sort_by(|a, b| b.days_late.cmp(&a.days_late).then(a.code.cmp(&b.code)));
    out
}

/// The `n` procedures received most in `period`, with how many each, the most first
/// (then by name).
pub fn busiest(period: &Period, facts: &[Facts], n: usize) -> Vec<(String, u64)> {
    let (start, end) = (period.start(), period.end());
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for f in facts {
        if f.received_at >= start && f.received_at < end {
            *counts.entry(f.procedure.as_str()).or_default() += 1;
        }
    }
    let mut out: Vec<(String, u64)> = counts
        .into_iter()
        .map(|(p, c)| (p.to_string(), c))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.truncate(n);
    out
}
