//! Changes a clerk makes to a dossier, each with the form the law attaches to it, for the
//! window, the command line and the changes pulled from the hub alike:
//!
//! | change | form |
//! |---|---|
//! | supplement requested (with the missing items) | Mẫu 02 |
//! | refused (with the reason) | Mẫu 03 |
//! | the apology with a new appointment (dossier late or due within a working day) | Mẫu 04 |
//! | withdrawn at the applicant's request, or handling stopped | Mẫu 05 |
//! | any other status, the result handed back | none |
//!
//! The form is rendered and kept under `receipts/<year>/`; [`Paper`] says whether it is
//! also sent to a printer. The change is saved whatever printing says.

use crate::counter::Counter;
use crate::error::{AppError, Result};
use crate::forms::{PrintRequest, Printed, Rendered};
use chrono::NaiveDateTime;
use motcua_core::Field;
use motcua_core::code::DossierCode;
use motcua_core::dossier::Dossier;
use motcua_core::status::Status;

/// A change to a dossier, with what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A move to `to`. The targets that carry a form take it from here: withdrawn or
    /// stopped print Mẫu 05 (the note is its reason); refused needs the note as its
    /// reason (Mẫu 03); a supplement request needs the note as the missing items,
    /// separated by «;» (Mẫu 02).
    Status { to: Status, note: Option<String> },
    /// The citizen must add or complete documents: `items`, and why.
    Supplement {
        items: Vec<String>,
        reason: Option<String>,
    },
    /// The dossier is refused, for `reason`.
    Refuse { reason: String },
    /// The result is handed back to `recipient`, who signs for it.
    HandBack { recipient: String },
    /// The dossier is (about to be) late: the apology with the new appointment, recorded.
    Extend {
        reason: String,
        new_due: NaiveDateTime,
    },
}

/// Where the form of a change goes once rendered and kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paper {
    /// To a printer (or, in the window with no printer at all, the PDF viewer).
    Print(PrintRequest),
    /// Only kept (the command line writes it out; a change pulled from the hub waits for
    /// the clerk to print it).
    Keep,
}

impl Paper {
    /// What the window asks: the station's printer, else the viewer.
    pub fn window() -> Paper {
        Paper::Print(PrintRequest {
            viewer_fallback: true,
            ..PrintRequest::default()
        })
    }
}

/// A change saved, with its form.
#[derive(Debug, Clone)]
pub struct Changed {
    pub dossier: Dossier,
    /// The form the change carries, rendered and kept.
    pub form: Option<Rendered>,
    /// How printing went, when it was asked for (the change is saved whatever it says).
    pub printed: Option<std::result::Result<Printed, AppError>>,
}

impl Counter {
    /// Makes `change` to the dossier `code` as `clerk`, with its form (see the module).
    pub fn change(
        &mut self,
        code: &str,
        change: Change,
        clerk: &str,
        paper: &Paper,
    ) -> Result<Changed> {
        let (dossier, form) = match change {
            Change::Status { to, note } => match to {
                Status::Withdrawn | Status::Stopped => {
                    let d = self.transition(code, to, clerk, note.as_deref())?;
                    let form = self.stop_form(code, None)?;
                    (d, Some(form))
                }
                Status::Refused => {
                    return self.change(
                        code,
                        Change::Refuse {
                            reason: note.unwrap_or_default(),
                        },
                        clerk,
                        paper,
                    );
                }
                Status::SupplementRequested => {
                    let items = note
                        .unwrap_or_default()
                        .split(';')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect();
                    return self.change(
                        code,
                        Change::Supplement {
                            items,
                            reason: None,
                        },
                        clerk,
                        paper,
                    );
                }
                _ => (self.transition(code, to, clerk, note.as_deref())?, None),
            },
            Change::Supplement { items, reason } => {
                if items.iter().all(|i| i.trim().is_empty()) {
                    return Err(AppError::field(
                        Field::Document,
                        "cần chọn hoặc nêu ít nhất một giấy tờ phải bổ sung",
                    ));
                }
                let note = format!("Yêu cầu bổ sung: {}", items.join("; "));
                let d = self.transition(code, Status::SupplementRequested, clerk, Some(&note))?;
                let form = self.supplement_form(code, &items, reason.as_deref())?;
                (d, Some(form))
            }
            Change::Refuse { reason } => {
                if reason.trim().is_empty() {
                    return Err(AppError::field(Field::Note, "cần ghi lý do từ chối"));
                }
                let d = self.transition(code, Status::Refused, clerk, Some(&reason))?;
                let form = self.refusal_form(code, &reason)?;
                (d, Some(form))
            }
            Change::HandBack { recipient } => {
                let recipient =
                    motcua_core::validation::bounded(&recipient, Field::FullName, 1, 150)?;
                let note = format!("Người nhận kết quả: {recipient}");
                let d = self.transition(code, Status::Returned, clerk, Some(&note))?;
                (d, None)
            }
            Change::Extend { reason, new_due } => {
                let d = self.dossier(code)?;
                if let Some(why) = self.extension_refused(&d)? {
                    return Err(AppError::Refused(why));
                }
                if reason.trim().is_empty() {
                    return Err(AppError::field(Field::Note, "cần ghi lý do chậm trễ"));
                }
                let from = d.due_at.unwrap_or(d.received_at);
                let now = self.now();
                let d = self
                    .store
                    .extend(&d.code, from, new_due, &reason, clerk, now)?;
                let form = self.apology_form(code)?;
                (d, Some(form))
            }
        };
        let printed = match (&form, paper) {
            (Some(f), Paper::Print(req)) => Some(self.print_rendered(f, req)),
            _ => None,
        };
        Ok(Changed {
            dossier,
            form,
            printed,
        })
    }

    /// Why the apology with a new appointment (Mẫu 04) may not be given to `d` now, or
    /// `None` when it may: the dossier is still being handled, has an appointment that is
    /// past or falls before the end of the next working day («chậm nhất 01 ngày trước
    /// ngày hết hạn»), and was not given a new one before («việc hẹn lại ngày trả kết
    /// quả được thực hiện không quá một lần»: Lai Châu QĐ 88/2025/QĐ-UBND; the national
    /// text is unconfirmed, docs/forms.md §5).
    pub fn extension_refused(&self, d: &Dossier) -> Result<Option<String>> {
        if d.status.is_finished() {
            return Ok(Some(format!(
                "hồ sơ {} đã «{}»: không còn hẹn trả kết quả nên không lập phiếu xin lỗi và hẹn lại",
                d.code,
                d.status.label()
            )));
        }
        let Some(due) = d.due_at else {
            return Ok(Some(format!(
                "hồ sơ {} chưa có ngày hẹn trả nên không lập phiếu xin lỗi và hẹn lại",
                d.code
            )));
        };
        if !self.store.extensions_of(&d.id)?.is_empty() {
            return Ok(Some(format!(
                "hồ sơ {} đã được hẹn lại ngày trả một lần (đến {}); việc hẹn lại chỉ thực hiện một lần",
                d.code,
                due.format("%H:%M ngày %d/%m/%Y")
            )));
        }
        let soon = self.due_soon_limit()?;
        if due > soon {
            return Ok(Some(format!(
                "hồ sơ {} chưa trễ hạn (hẹn trả {}): phiếu xin lỗi và hẹn lại chỉ lập cho hồ sơ đã quá hạn hoặc sẽ đến hạn trong một ngày làm việc",
                d.code,
                due.format("%H:%M ngày %d/%m/%Y")
            )));
        }
        Ok(None)
    }

    /// Renders Mẫu 05 of a withdrawn or stopped dossier again and sends it to paper.
    pub fn print_stop_notice(
        &mut self,
        code: &str,
        req: &PrintRequest,
    ) -> Result<(Rendered, std::result::Result<Printed, AppError>)> {
        let form = self.stop_form(code, None)?;
        let printed = self.print_rendered(&form, req);
        Ok((form, printed))
    }

    /// Changes a dossier's status with no form (the rules of the status machine only);
    /// [`Counter::change`] is what the front ends call.
    pub(crate) fn transition(
        &mut self,
        code: &str,
        to: Status,
        clerk: &str,
        note: Option<&str>,
    ) -> Result<Dossier> {
        let code: DossierCode = code.parse()?;
        let now = self.now();
        Ok(self.store.transition(&code, to, clerk, note, now)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counter::testing::*;
    use crate::print::Recorded;
    use chrono::Duration;

    fn received(f: &mut Fixture, name: &str) -> String {
        f.counter
            .receive(&form(name))
            .unwrap()
            .dossier
            .code
            .to_string()
    }

    #[test]
    fn each_change_carries_its_form() {
        let mut f = fixture();
        let keep = Paper::Keep;
        let a = received(&mut f, "A");
        let e = f
            .counter
            .change(
                &a,
                Change::Supplement {
                    items: vec![],
                    reason: None,
                },
                "lan",
                &keep,
            )
            .unwrap_err();
        assert_eq!(e.fields()[0].field, Field::Document);
        // The command line's plain status change picks the form as the window does.
        let c = f
            .counter
            .change(
                &a,
                Change::Status {
                    to: Status::SupplementRequested,
                    note: Some("Bản sao giấy khai sinh; Ảnh 4x6".into()),
                },
                "lan",
                &Paper::window(),
            )
            .unwrap();
        assert_eq!(c.dossier.status, Status::SupplementRequested);
        assert!(c.form.unwrap().kept.ends_with(format!("{a}-mau02.pdf")));
        assert!(c.printed.unwrap().is_ok());
        let b = received(&mut f, "B");
        let refuse = |note: Option<&str>| Change::Status {
            to: Status::Refused,
            note: note.map(str::to_string),
        };
        let e = f
            .counter
            .change(&b, refuse(None), "lan", &keep)
            .unwrap_err();
        assert_eq!(e.fields()[0].field, Field::Note);
        let r = f
            .counter
            .change(&b, refuse(Some("không thuộc thẩm quyền")), "lan", &keep)
            .unwrap();
        assert_eq!(r.dossier.status, Status::Refused);
        assert!(r.form.unwrap().kept.ends_with(format!("{b}-mau03.pdf")));
        assert!(r.printed.is_none(), "kept, not printed");
        let hand = |who: &str| Change::HandBack {
            recipient: who.into(),
        };
        let e = f.counter.change(&b, hand("X"), "lan", &keep).unwrap_err();
        assert!(e.to_string().contains("không thể chuyển"), "{e}");
        let c = received(&mut f, "C");
        let w = f
            .counter
            .change(
                &c,
                Change::Status {
                    to: Status::Withdrawn,
                    note: Some("xin rút".into()),
                },
                "lan",
                &Paper::window(),
            )
            .unwrap();
        assert!(w.form.unwrap().kept.ends_with(format!("{c}-mau05.pdf")));
        let d = received(&mut f, "D");
        let ready = Change::Status {
            to: Status::ResultReady,
            note: None,
        };
        let r = f.counter.change(&d, ready, "lan", &keep).unwrap();
        assert!(r.form.is_none());
        let back = f
            .counter
            .change(&d, hand("Nguyễn Văn D"), "lan", &keep)
            .unwrap();
        assert_eq!(back.dossier.status, Status::Returned);
        let detail = f.counter.detail(&d).unwrap();
        assert_eq!(
            detail.journal.last().unwrap().note.as_deref(),
            Some("Người nhận kết quả: Nguyễn Văn D")
        );
        let printed = f
            .printer
            .recorded()
            .into_iter()
            .filter(|r| matches!(r, Recorded::Printed { .. }))
            .count();
        assert_eq!(printed, 2, "Mẫu 02 and Mẫu 05, the others kept only");
        f.counter.verify().unwrap();
    }

    #[test]
    fn an_apology_is_for_a_late_dossier_once_and_its_new_appointment_is_recorded() {
        let mut f = fixture();
        // Wed 25/11/2026 09:30 + 3 working days: due Mon 30/11 09:30.
        let a = received(&mut f, "Đặng Thị Hằng");
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
        let extend = |due: &str| Change::Extend {
            reason: "Cần xác minh thêm".into(),
            new_due: at(due),
        };
        let e = f
            .counter
            .change(&a, extend("2026-12-03T16:00"), "lan", &Paper::Keep)
            .unwrap_err();
        assert!(e.to_string().contains("chưa trễ hạn"), "{e}");
        let detail = f.counter.detail(&a).unwrap();
        assert!(detail.extension_refused.unwrap().contains("chưa trễ hạn"));
        // Fri 27/11 10:00: due within a working day (Mon 30/11 09:30) — allowed.
        f.clock
            .set(chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00+07:00").unwrap());
        assert_eq!(f.counter.detail(&a).unwrap().extension_refused, None);
        let e = f
            .counter
            .change(&a, extend("2026-11-30T09:00"), "lan", &Paper::Keep)
            .unwrap_err();
        assert_eq!(e.fields()[0].field, Field::Date, "{e}");
        let c = f
            .counter
            .change(&a, extend("2026-12-03T16:00"), "lan", &Paper::Keep)
            .unwrap();
        assert_eq!(c.dossier.due_at, Some(at("2026-12-03T16:00")));
        assert!(c.form.unwrap().kept.ends_with(format!("{a}-mau04.pdf")));
        let shown = f.counter.show(&a).unwrap();
        assert_eq!(shown.dossier.due_at, Some(at("2026-12-03T16:00")));
        // Judged against the new appointment: not overdue on Tue 01/12.
        f.clock.advance(Duration::days(4));
        assert!(!f.counter.show(&a).unwrap().overdue);
        let detail = f.counter.detail(&a).unwrap();
        let last = detail.journal.last().unwrap();
        assert_eq!(
            last.what,
            "Hẹn lại ngày trả: 09:30 30/11/2026 → 16:00 03/12/2026"
        );
        assert_eq!(last.note.as_deref(), Some("Cần xác minh thêm"));
        f.clock.advance(Duration::days(5));
        let e = f
            .counter
            .change(&a, extend("2026-12-20T16:00"), "lan", &Paper::Keep)
            .unwrap_err();
        assert!(e.to_string().contains("một lần"), "{e}");
        // A finished dossier gets none.
        let b = received(&mut f, "B");
        f.clock.advance(Duration::days(10));
        let r = Change::Status {
            to: Status::ResultReady,
            note: None,
        };
        f.counter.change(&b, r, "lan", &Paper::Keep).unwrap();
        let e = f
            .counter
            .change(&b, extend("2027-01-20T16:00"), "lan", &Paper::Keep)
            .unwrap_err();
        assert!(e.to_string().contains("không còn hẹn trả"), "{e}");
        f.counter.verify().unwrap();
    }
}
