//! Supplement pauses and the early / on-time / late classification of dossiers.
//!
//! While a dossier waits for the citizen's supplement the clock stops: the due instant moves
//! by the **working time** of the pause (requested → completed), so a pause of two working
//! days moves a due of Fri 20/3 to Tue 24/3. Overlapping pauses count once; a pause still
//! open counts up to the instant of the classification.
//!
//! Classification (Biểu 06 columns), against the due instant moved by the pauses:
//!
//! * finished: **trước hạn** when finished on a date before the due date; **đúng hạn** on the
//!   due date and not after the due instant; **quá hạn** after the due instant;
//! * pending: **trong hạn** until the due instant, **quá hạn** after it.
//!
//! More than one supplement request is flagged: the national on-time indicator counts such
//! a dossier as overdue whatever its dates ([`Classification::counts_as_overdue`]).

use super::CalendarError;
use super::work::WorkCalendar;
use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

/// One supplement request (yêu cầu bổ sung hồ sơ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplement {
    /// When the supplement was requested (the clock stops).
    pub requested: NaiveDateTime,
    /// When the citizen completed it (the clock restarts); `None` while still waiting.
    pub completed: Option<NaiveDateTime>,
}

/// Where a dossier stands at the moment of classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Processing ended at this instant (đã giải quyết).
    Finished(NaiveDateTime),
    /// Still being processed; classified as of this instant ("now").
    Pending(NaiveDateTime),
}

impl Progress {
    /// The instant the classification is made at.
    fn instant(self) -> NaiveDateTime {
        match self {
            Progress::Finished(t) | Progress::Pending(t) => t,
        }
    }
}

/// The timeliness of a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Finished before the due date (trước hạn).
    Early,
    /// Finished on the due date, by the due instant (đúng hạn).
    OnTime,
    /// Finished after the due instant (quá hạn).
    Late,
    /// Pending, not yet due (trong hạn).
    WithinTime,
    /// Pending and past due (quá hạn).
    Overdue,
}

impl Timeliness {
    /// The report column: "Trước hạn", "Đúng hạn", "Quá hạn", "Trong hạn", "Quá hạn".
    pub fn label_vi(self) -> &'static str {
        match self {
            Timeliness::Early => "Trước hạn",
            Timeliness::OnTime => "Đúng hạn",
            Timeliness::Late | Timeliness::Overdue => "Quá hạn",
            Timeliness::WithinTime => "Trong hạn",
        }
    }

    /// The full phrase, e.g. "đã giải quyết trước hạn", "đang giải quyết quá hạn".
    pub fn describe_vi(self) -> String {
        let group = if self.is_finished() {
            "đã giải quyết"
        } else {
            "đang giải quyết"
        };
        format!("{group} {}", self.label_vi().to_lowercase())
    }

    /// Whether this is a finished dossier's class.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            Timeliness::Early | Timeliness::OnTime | Timeliness::Late
        )
    }

    /// Whether the dossier is (or was) past its due instant.
    pub fn is_late(self) -> bool {
        matches!(self, Timeliness::Late | Timeliness::Overdue)
    }
}

/// The result of [`WorkCalendar::classify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// Early, on time, late, within time or overdue.
    pub timeliness: Timeliness,
    /// The due instant after the pauses.
    pub due: NaiveDateTime,
    /// Working time the clock was stopped for supplements.
    #[serde(skip)]
    pub paused: TimeDelta,
    /// How many supplement requests the dossier had.
    pub supplement_requests: usize,
    /// More than one supplement request (flagged by the national indicator).
    pub multiple_supplements: bool,
    /// What the national on-time indicator counts: late/overdue, or more than one supplement.
    pub counts_as_overdue: bool,
}

impl WorkCalendar {
    /// Working time the clock was stopped by `supplements`, up to `until` (an open request
    /// counts up to `until`; overlapping requests count once).
    pub fn paused_time(
        &self,
        supplements: &[Supplement],
        until: NaiveDateTime,
    ) -> Result<TimeDelta, CalendarError> {
        let mut spans: Vec<(NaiveDateTime, NaiveDateTime)> = supplements
            .iter()
            .map(|s| (s.requested, s.completed.unwrap_or(until).min(until)))
            .filter(|(a, b)| a < b)
            .collect();
        spans.sort();
        let mut total = TimeDelta::zero();
        let mut current: Option<(NaiveDateTime, NaiveDateTime)> = None;
        for (a, b) in spans {
            match current {
                Some((ca, cb)) if a <= cb => current = Some((ca, cb.max(b))),
                Some((ca, cb)) => {
                    total += self.working_time_between(ca, cb)?;
                    current = Some((a, b));
                }
                None => current = Some((a, b)),
            }
        }
        if let Some((ca, cb)) = current {
            total += self.working_time_between(ca, cb)?;
        }
        Ok(total)
    }

    /// The due instant moved by the working time of the supplement pauses up to `until`.
    pub fn adjusted_due(
        &self,
        due: NaiveDateTime,
        supplements: &[Supplement],
        until: NaiveDateTime,
    ) -> Result<NaiveDateTime, CalendarError> {
        let paused = self.paused_time(supplements, until)?;
        self.add_working_time(due, paused)
    }

    /// Classifies a dossier due at `due` (as computed at receipt) with its supplement
    /// requests, finished or pending as `progress` says.
    pub fn classify(
        &self,
        due: NaiveDateTime,
        supplements: &[Supplement],
        progress: Progress,
    ) -> Result<Classification, CalendarError> {
        let now = progress.instant();
        let paused = self.paused_time(supplements, now)?;
        let due = self.add_working_time(due, paused)?;
        let timeliness = match progress {
            Progress::Finished(t) if t > due => Timeliness::Late,
            Progress::Finished(t) if t.date() < due.date() => Timeliness::Early,
            Progress::Finished(_) => Timeliness::OnTime,
            Progress::Pending(t) if t > due => Timeliness::Overdue,
            Progress::Pending(_) => Timeliness::WithinTime,
        };
        let multiple = supplements.len() > 1;
        Ok(Classification {
            timeliness,
            due,
            paused,
            supplement_requests: supplements.len(),
            multiple_supplements: multiple,
            counts_as_overdue: timeliness.is_late() || multiple,
        })
    }
}
