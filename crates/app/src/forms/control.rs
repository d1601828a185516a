//! What the journal says for the 2025 Mẫu 05 and Mẫu 06: the status change that stopped
//! a dossier, and the handovers its status steps imply.
//!
//! The register records status changes, not handovers. Each change becomes one block of
//! the control slip by a fixed reading: into processing the one-stop unit hands the
//! dossier to the deciding agency; a ready result comes back the other way (with its
//! timeliness against the appointment); a returned result goes to whoever took it; any
//! other step taken straight from reception hands the dossier back to the applicant,
//! and one taken later brings it back from the agency. The clerk who recorded a change at
//! the counter signs on the one-stop unit's side; a change from the province's system
//! leaves both names to be written by hand, as are the blocks after them.

use crate::counter::Counter;
use crate::error::{AppError, Result};
use chrono::NaiveDateTime;
use motcua_core::dossier::Dossier;
use motcua_core::journal::EventKind;
use motcua_core::status::Status;
use motcua_receipt as receipt;
use motcua_store::StatusChange;

/// The one-stop unit as the control slip names it (pre-printed in its first block).
const ONE_STOP: &str = "Bộ phận TN&TKQ";
/// The prefix of the note `hand_back` records.
const RECIPIENT_NOTE: &str = "Người nhận kết quả: ";
/// Blocks the slip has at least (the form shows four).
const MIN_BLOCKS: usize = 4;
/// Blank blocks left after the filled ones while the dossier is still moving.
const OPEN_BLANKS: usize = 2;

/// One status change of a dossier, read from its journal.
pub(super) struct Step {
    /// Station time, local.
    pub(super) at: NaiveDateTime,
    pub(super) from: Status,
    pub(super) to: Status,
    pub(super) note: Option<String>,
    /// Username of the clerk (meaningless when `upstream`).
    pub(super) clerk: String,
    /// The change came from the province's processing system.
    pub(super) upstream: bool,
}

/// How many blank blocks follow `filled` ones: at least four blocks in all, and two
/// blank while the dossier can still move.
pub(super) fn blank_blocks(filled: usize, status: Status) -> usize {
    let open = if status.is_final() { 0 } else { OPEN_BLANKS };
    MIN_BLOCKS.saturating_sub(filled).max(open)
}

/// "trước hạn", "đúng hạn" or "quá hạn" for a result ready at `at` against `due`:
/// before the appointment's day, by the appointment, after it.
fn timeliness(at: NaiveDateTime, due: Option<NaiveDateTime>) -> String {
    match due {
        None => String::new(),
        Some(due) if at > due => "quá hạn".to_string(),
        Some(due) if at.date() < due.date() => "trước hạn".to_string(),
        Some(_) => "đúng hạn".to_string(),
    }
}

impl Counter {
    /// The dossier's status changes, in journal order.
    pub(super) fn status_steps(&self, d: &Dossier) -> Result<Vec<Step>> {
        let mut steps = Vec::new();
        for de in self.store.events_of(&d.id)? {
            let e = de.event;
            if !matches!(e.kind, EventKind::StatusChanged | EventKind::UpstreamStatus) {
                continue;
            }
            let c: StatusChange = serde_json::from_str(&e.payload)
                .map_err(|err| AppError::Refused(format!("sự kiện số {} hỏng: {err}", e.seq)))?;
            let at = chrono::DateTime::parse_from_rfc3339(&e.wall_time)
                .map_err(|err| AppError::Refused(format!("sự kiện số {} hỏng: {err}", e.seq)))?
                .with_timezone(&motcua_core::vn_offset())
                .naive_local();
            steps.push(Step {
                at,
                from: c.from,
                to: c.to,
                note: c.note,
                clerk: e.clerk,
                upstream: e.kind == EventKind::UpstreamStatus,
            });
        }
        Ok(steps)
    }

    /// The change that withdrew or stopped the dossier, if the journal has it.
    pub(super) fn stop_event(&self, d: &Dossier) -> Result<Option<Step>> {
        Ok(self
            .status_steps(d)?
            .into_iter()
            .rfind(|s| matches!(s.to, Status::Withdrawn | Status::Stopped)))
    }

    /// The control slip's blocks for the dossier's status changes (see the module).
    pub(super) fn control_steps(
        &self,
        d: &Dossier,
        header: &receipt::AgencyHeader,
    ) -> Result<Vec<receipt::ControlStep>> {
        let agency = header.name.as_str();
        let applicant = d.applicant.full_name.as_str();
        let mut out = Vec::new();
        for s in self.status_steps(d)? {
            let who = if s.upstream {
                String::new()
            } else {
                self.clerk_name(&s.clerk)
            };
            let recipient = s
                .note
                .as_deref()
                .and_then(|n| n.strip_prefix(RECIPIENT_NOTE))
                .unwrap_or(applicant)
                .to_string();
            let (giver, receiver) = match (s.from, s.to) {
                (_, Status::Processing) => (ONE_STOP, agency),
                (_, Status::ResultReady) => (agency, ONE_STOP),
                (_, Status::Returned) => (ONE_STOP, recipient.as_str()),
                (Status::Received, _) => (ONE_STOP, applicant),
                _ => (agency, ONE_STOP),
            };
            let mut note = format!("{} → {}", s.from.label(), s.to.label());
            if let Some(n) = s.note.as_deref().filter(|n| !n.trim().is_empty()) {
                note.push_str(": ");
                note.push_str(n);
            }
            if s.upstream {
                note.push_str(" (hệ thống cấp trên)");
            }
            let giver_name = if giver == ONE_STOP {
                who.clone()
            } else {
                String::new()
            };
            let receiver_name = match s.to {
                Status::Returned => recipient.clone(),
                _ if receiver == ONE_STOP => who.clone(),
                _ => String::new(),
            };
            out.push(receipt::ControlStep {
                giver: giver.to_string(),
                receiver: receiver.to_string(),
                at: Some(s.at),
                result: if s.to == Status::ResultReady {
                    timeliness(s.at, d.due_at)
                } else {
                    String::new()
                },
                note,
                giver_name,
                receiver_name,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn timeliness_against_the_appointment() {
        let due = Some(at("2026-03-10 09:30"));
        assert_eq!(timeliness(at("2026-03-09 16:00"), due), "trước hạn");
        assert_eq!(timeliness(at("2026-03-10 08:00"), due), "đúng hạn");
        assert_eq!(timeliness(at("2026-03-10 09:31"), due), "quá hạn");
        assert_eq!(timeliness(at("2026-03-10 09:31"), None), "");
    }

    #[test]
    fn blanks_follow_the_filled_blocks() {
        assert_eq!(blank_blocks(0, Status::Received), 4);
        assert_eq!(blank_blocks(1, Status::Processing), 3);
        assert_eq!(blank_blocks(5, Status::Processing), 2);
        assert_eq!(blank_blocks(3, Status::Returned), 1);
        assert_eq!(blank_blocks(6, Status::Returned), 0);
    }
}
