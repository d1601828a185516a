//! Finding and following dossiers: the register as a long list (filters, sorts, pages,
//! overdue and due-soon derived from the clock and the office calendar, never stored),
//! one dossier with its journal and the transitions it may take, the returns queue, and
//! the status changes that print a form (supplement request, refusal, withdrawal or stop)
//! or record who took the result.

use crate::counter::{Counter, Shown};
use crate::error::{AppError, Result};
use crate::forms::{PrintRequest, Printed, Rendered};
use chrono::{NaiveDate, NaiveDateTime};
use motcua_core::journal::EventKind;
use motcua_core::status::Status;
use motcua_store::{DossierSummary, RegisterFilter, StatusChange};

pub use motcua_store::{LIST_CAP, Sort};

/// A register filter on the appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DueFilter {
    #[default]
    Any,
    /// Pending and past the appointment.
    Overdue,
    /// Pending, and due within one working day from now.
    DueSoon,
}

/// What the clerk asked the register for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterQuery {
    /// Words of the name, code or a piece of it, ID number, phone (marks optional).
    pub text: String,
    pub status: Option<Status>,
    /// A procedure code.
    pub procedure: Option<String>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub due: DueFilter,
    pub sort: Sort,
}

/// How a pending dossier stands against its appointment (derived, never stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    OnTime,
    /// Due within one working day.
    DueSoon,
    Overdue,
}

/// A line of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    pub summary: DossierSummary,
    pub timeliness: Timeliness,
}

/// The size of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListSize {
    /// Rows the list can show.
    pub rows: u64,
    /// More dossiers match than the list shows (narrow the search).
    pub capped: bool,
}

/// "Now" and the end of the next working day, for deriving overdue and due soon.
#[derive(Debug, Clone, Copy)]
struct Clock {
    now: NaiveDateTime,
    soon: NaiveDateTime,
}

/// The statuses of a dossier still being dealt with.
fn pending() -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|s| !s.is_finished())
        .collect()
}

/// One event of a dossier's journal, as the clerk reads it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JournalLine {
    pub seq: u64,
    /// Station time, `dd/mm/yyyy HH:MM`.
    pub at: String,
    /// Who: the clerk's full name, or "Cấp trên" for a change from the hub.
    pub who: String,
    /// What happened, in Vietnamese.
    pub what: String,
    pub note: Option<String>,
    /// The change came from the province's processing system.
    pub upstream: bool,
    /// Written while the station clock was off the hub's by this many minutes.
    pub clock_skew_minutes: Option<i64>,
}

/// A dossier as its detail screen shows it.
#[derive(Debug, Clone)]
pub struct Detail {
    pub shown: Shown,
    pub clerk_name: String,
    pub journal: Vec<JournalLine>,
    /// The statuses it may move to from where it stands.
    pub next: Vec<Status>,
    /// Why the apology with a new appointment (Mẫu 04) may not be given now; `None` when
    /// it may ([`Counter::extension_refused`]).
    pub extension_refused: Option<String>,
}

/// How long the end of the next working day, worked out for a list, is used again: lists
/// are read page by page as the clerk scrolls, and the office calendar need not be built
/// for every page. A minute is far below the resolution of "due within a working day".
const CLOCK_REUSE: chrono::Duration = chrono::Duration::seconds(60);

impl Counter {
    /// The end of the next working day from now: an appointment before it is due soon.
    pub(crate) fn due_soon_limit(&self) -> Result<NaiveDateTime> {
        Ok(self.clock()?.soon)
    }

    fn clock(&self) -> Result<Clock> {
        let now = self.now().naive_local();
        if let Some((at, soon)) = self.list_clock.get()
            && now >= at
            && now - at < CLOCK_REUSE
        {
            return Ok(Clock { now, soon });
        }
        let cal = self.calendar()?.calendar;
        let day = cal.config().day_length();
        let soon = cal.add_working_time(now, day)?;
        self.list_clock.set(Some((now, soon)));
        Ok(Clock { now, soon })
    }

    fn filter(&self, q: &RegisterQuery, clock: &Clock) -> RegisterFilter {
        let mut f = RegisterFilter {
            text: q.text.clone(),
            statuses: q.status.into_iter().collect(),
            procedure: q.procedure.clone().filter(|p| !p.trim().is_empty()),
            received_from: q.received_from,
            received_to: q.received_to,
            due_from: None,
            due_before: None,
            sort: q.sort,
        };
        match q.due {
            DueFilter::Any => {}
            DueFilter::Overdue => {
                f.due_before = Some(clock.now);
            }
            DueFilter::DueSoon => {
                f.due_from = Some(clock.now);
                f.due_before = Some(clock.soon);
            }
        }
        if q.due != DueFilter::Any {
            let pending = pending();
            f.statuses = if f.statuses.is_empty() {
                pending
            } else {
                f.statuses.retain(|s| pending.contains(s));
                if f.statuses.is_empty() {
                    // A finished status is never overdue: nothing matches.
                    f.received_from = Some(NaiveDate::MAX);
                }
                f.statuses
            };
        }
        f
    }

    fn row(summary: DossierSummary, clock: &Clock) -> RegisterRow {
        let timeliness = match summary.due_at {
            Some(due) if !summary.status.is_finished() && clock.now > due => Timeliness::Overdue,
            Some(due) if !summary.status.is_finished() && due <= clock.soon => Timeliness::DueSoon,
            _ => Timeliness::OnTime,
        };
        RegisterRow {
            summary,
            timeliness,
        }
    }

    /// How many rows the list of `q` has.
    pub fn register_size(&self, q: &RegisterQuery) -> Result<ListSize> {
        let clock = self.clock()?;
        let n = self.store.register_count(&self.filter(q, &clock))?;
        let whole = q == &RegisterQuery::default();
        Ok(if !whole && n > LIST_CAP {
            ListSize {
                rows: LIST_CAP,
                capped: true,
            }
        } else {
            ListSize {
                rows: n,
                capped: false,
            }
        })
    }

    /// Rows `offset .. offset + limit` of the list of `q`.
    /// The dossiers shown are gathered into one search entry of the access log with the
    /// other pages of the same list (`access.rs`).
    pub fn register_page(
        &mut self,
        q: &RegisterQuery,
        offset: u64,
        limit: usize,
    ) -> Result<Vec<RegisterRow>> {
        let clock = self.clock()?;
        let rows = self
            .store
            .register_page(&self.filter(q, &clock), offset, limit)?;
        self.gather_page(q, rows.iter().map(|s| s.code.clone()).collect())?;
        Ok(rows.into_iter().map(|s| Self::row(s, &clock)).collect())
    }

    /// The returns queue: dossiers whose result is ready, oldest first, optionally found
    /// by code, name or ID number.
    pub fn returns(&mut self, text: &str, limit: usize) -> Result<Vec<RegisterRow>> {
        self.register_page(
            &RegisterQuery {
                text: text.to_string(),
                status: Some(Status::ResultReady),
                sort: Sort::ReceivedOldest,
                ..RegisterQuery::default()
            },
            0,
            limit,
        )
    }

    /// A dossier with its journal and the transitions it may take; opening it is logged
    /// as a view under the reader (`access.rs`).
    pub fn detail(&mut self, code: &str) -> Result<Detail> {
        let detail = self.detail_after_change(code)?;
        self.log_view(&detail.shown.dossier)?;
        Ok(detail)
    }

    /// [`Counter::detail`] read again after the reader changed or printed it (which
    /// their own journal event or log entry records), without another entry.
    pub fn detail_after_change(&self, code: &str) -> Result<Detail> {
        let shown = self.shown(code)?;
        let mut names = std::collections::HashMap::new();
        let mut name = |username: &str| -> String {
            names
                .entry(username.to_string())
                .or_insert_with(|| {
                    self.store
                        .user(username)
                        .map(|u| u.full_name)
                        .unwrap_or_else(|_| username.to_string())
                })
                .clone()
        };
        let mut journal = Vec::new();
        for de in self.store.events_of(&shown.dossier.id)? {
            let e = de.event;
            let at = chrono::DateTime::parse_from_rfc3339(&e.wall_time)
                .map(|t| {
                    t.with_timezone(&motcua_core::vn_offset())
                        .format("%d/%m/%Y %H:%M")
                        .to_string()
                })
                .unwrap_or_else(|_| e.wall_time.clone());
            let (what, note, upstream) = match e.kind {
                EventKind::DossierReceived => ("Tiếp nhận hồ sơ".to_string(), None, false),
                EventKind::StatusChanged | EventKind::UpstreamStatus => {
                    let c: StatusChange = serde_json::from_str(&e.payload).map_err(|err| {
                        AppError::Refused(format!("sự kiện số {} hỏng: {err}", e.seq))
                    })?;
                    (
                        format!("{} → {}", c.from.label(), c.to.label()),
                        c.note,
                        e.kind == EventKind::UpstreamStatus,
                    )
                }
                EventKind::AppointmentExtended => {
                    let x: motcua_core::journal::Extension = serde_json::from_str(&e.payload)
                        .map_err(|err| {
                            AppError::Refused(format!("sự kiện số {} hỏng: {err}", e.seq))
                        })?;
                    let at = |t: NaiveDateTime| t.format("%H:%M %d/%m/%Y").to_string();
                    (
                        format!("Hẹn lại ngày trả: {} → {}", at(x.from), at(x.to)),
                        Some(x.reason),
                        false,
                    )
                }
                EventKind::DataCorrected => {
                    let c: motcua_core::correction::Correction = serde_json::from_str(&e.payload)
                        .map_err(|err| {
                        AppError::Refused(format!("sự kiện số {} hỏng: {err}", e.seq))
                    })?;
                    (
                        format!("Đính chính thông tin {}", c.role.label()),
                        Some(format!("{}. Lý do: {}", c.lines().join("; "), c.reason)),
                        false,
                    )
                }
                other => (other.as_str().to_string(), None, false),
            };
            journal.push(JournalLine {
                seq: e.seq,
                at,
                who: if upstream {
                    "Cấp trên".to_string()
                } else {
                    name(&e.clerk)
                },
                what,
                note,
                upstream,
                clock_skew_minutes: de.clock_offset_ms.map(|ms| ms / 60_000),
            });
        }
        let extension_refused = self.extension_refused(&shown.dossier)?;
        Ok(Detail {
            extension_refused,
            clerk_name: name(&shown.dossier.clerk),
            next: shown.dossier.status.next().to_vec(),
            journal,
            shown,
        })
    }

    /// Prints a rendered form to the station's printer (or opens it); the form is kept
    /// whatever printing says.
    fn print_form(
        &mut self,
        rendered: Rendered,
    ) -> (Rendered, std::result::Result<Printed, AppError>) {
        let printed = self.print_rendered(
            &rendered,
            &PrintRequest {
                viewer_fallback: true,
                ..PrintRequest::default()
            },
        );
        (rendered, printed)
    }

    /// Prints the control slip (Mẫu 06) of a dossier as the journal stands.
    pub fn print_control(
        &mut self,
        code: &str,
    ) -> Result<(Rendered, std::result::Result<Printed, AppError>)> {
        let form = self.control_form(code)?;
        Ok(self.print_form(form))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counter::testing::*;
    use chrono::Duration;

    #[test]
    fn the_register_derives_overdue_and_due_soon_and_filters_by_them() {
        let mut f = fixture();
        let a = f.counter.receive(&form("Đặng Thị Hằng")).unwrap().dossier;
        f.clock.advance(Duration::days(1));
        let b = f.counter.receive(&form("Lê Văn Cường")).unwrap().dossier;
        let all = RegisterQuery::default();
        assert_eq!(f.counter.register_size(&all).unwrap().rows, 2);
        // Tue 01/12 10:00: a (due Mon 30/11 09:30) is overdue; b (due Tue 01/12 09:30)…
        f.clock
            .set(chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00+07:00").unwrap());
        let rows = f.counter.register_page(&all, 0, 10).unwrap();
        let by = |code: &str| {
            rows.iter()
                .find(|r| r.summary.code == code)
                .unwrap()
                .timeliness
        };
        assert_eq!(by(&a.code.to_string()), Timeliness::Overdue);
        assert_eq!(by(&b.code.to_string()), Timeliness::DueSoon);
        let overdue = RegisterQuery {
            due: DueFilter::Overdue,
            ..RegisterQuery::default()
        };
        let rows = f.counter.register_page(&overdue, 0, 10).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].summary.code, a.code.to_string());
        f.counter
            .transition(&a.code.to_string(), Status::ResultReady, "lan", None)
            .unwrap();
        assert!(
            f.counter.register_page(&overdue, 0, 10).unwrap().is_empty(),
            "finished"
        );
        let soon = RegisterQuery {
            due: DueFilter::DueSoon,
            ..RegisterQuery::default()
        };
        assert_eq!(f.counter.register_page(&soon, 0, 10).unwrap().len(), 1);
        let ready = f.counter.returns("dang thi", 10).unwrap();
        assert_eq!(ready.len(), 1);
        assert_eq!(ready[0].timeliness, Timeliness::OnTime);
    }

    #[test]
    fn detail_shows_the_journal_and_only_the_legal_transitions() {
        let mut f = fixture();
        let d = f.counter.receive(&form("Vũ Thị Mai")).unwrap().dossier;
        let code = d.code.to_string();
        f.counter
            .transition(&code, Status::Processing, "lan", Some("chuyển tư pháp"))
            .unwrap();
        let detail = f.counter.detail(&code).unwrap();
        assert_eq!(detail.clerk_name, "Trần Thị Lan");
        assert_eq!(detail.journal.len(), 2);
        assert_eq!(detail.journal[0].what, "Tiếp nhận hồ sơ");
        assert_eq!(detail.journal[1].what, "Được tiếp nhận → Đang xử lý");
        assert_eq!(detail.journal[1].note.as_deref(), Some("chuyển tư pháp"));
        assert_eq!(detail.journal[1].who, "Trần Thị Lan");
        assert!(detail.next.contains(&Status::SupplementRequested));
        assert!(!detail.next.contains(&Status::Returned));
    }
}
