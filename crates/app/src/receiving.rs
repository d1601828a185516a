//! Receiving a dossier: every field checked at once, the case and channel's term chosen,
//! the appointment computed, the dossier saved with its journal event and outbox row in
//! one transaction; and receive-and-print, which renders the receipt from the dossier
//! just saved (no second read) and sends it to paper.

use crate::counter::{Counter, DueInfo, FUTURE_TOLERANCE_MINUTES, ReceiveForm, Received};
use crate::error::{AppError, Result};
use crate::forms::{PrintRequest, Printed};
use chrono::Duration;
use motcua_core::dossier::{Dossier, ProcedureRef};
use motcua_core::{Field, ValidationError};
use motcua_store::ReceiveRequest;

/// A dossier received and its receipt sent to paper.
#[derive(Debug, Clone)]
pub struct ReceivedPrinted {
    pub received: Received,
    /// The receipt's printing: the dossier is saved whatever this says, and the receipt
    /// kept for reprint unless its rendering failed.
    pub print: std::result::Result<Printed, AppError>,
}

impl Counter {
    /// Receives a dossier ([`Counter::receive`]), then renders, keeps and prints its
    /// receipt from the dossier in hand.
    pub fn receive_and_print(
        &mut self,
        form: &ReceiveForm,
        req: &PrintRequest,
    ) -> Result<ReceivedPrinted> {
        let received = self.receive(form)?;
        let print = self
            .receipt_of(&received.dossier, None)
            .and_then(|r| self.print_rendered(&r, req));
        Ok(ReceivedPrinted { received, print })
    }

    /// Receives a dossier: checks every field (time, procedure, applicant, documents, …)
    /// and reports every problem at once; computes the appointment; saves the dossier,
    /// its journal event and its outbox row in one transaction, durable on return.
    pub fn receive(&mut self, form: &ReceiveForm) -> Result<Received> {
        if let Some(id) = &form.request_id
            && let Some(dossier) = self.store.requested(id)?
        {
            return self.replayed(form, dossier);
        }
        let now = self.now();
        let received_at = form.received_at.unwrap_or_else(|| now.naive_local());
        let mut errors = Vec::new();
        if received_at > now.naive_local() + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
            errors.push(ValidationError::new(
                Field::Date,
                format!("thời gian nhận hồ sơ {received_at} ở tương lai so với đồng hồ máy"),
            ));
        } else {
            let back = i64::from(self.settings()?.max_backdate_days);
            if received_at.date() < now.date_naive() - Duration::days(back) {
                errors.push(ValidationError::new(
                    Field::Date,
                    format!(
                        "ngày nhận {} sớm hơn {back} ngày trước hôm nay; kiểm tra lại năm và tháng (hồ sơ nhận trên sổ giấy chỉ được ghi lùi ngày tối đa {back} ngày, theo thiết lập max-backdate-days)",
                        received_at.format("%d/%m/%Y")
                    ),
                ));
            }
        }
        let valid = form
            .input
            .validate(now.date_naive())
            .map_err(|mut e| errors.append(&mut e))
            .ok();
        let procedure = match self.store.procedure(&form.procedure) {
            Ok(p) => Some(p),
            Err(motcua_store::StoreError::UnknownProcedure(c)) => {
                errors.insert(
                    0,
                    ValidationError::new(
                        Field::Procedure,
                        format!("không có thủ tục mã «{c}» trong danh mục hiện hành"),
                    ),
                );
                None
            }
            Err(e) => return Err(e.into()),
        };
        // The case and the channel decide the term: refused right after the procedure.
        let (choice, appointment) = match self.term_input(
            &crate::catalog::TermDraft {
                choice: form.input.term_choice.clone(),
                appointment: form.input.appointment.clone(),
                ..Default::default()
            },
            received_at,
        ) {
            Ok(v) => v,
            Err(mut e) => {
                errors.append(&mut e);
                (None, None)
            }
        };
        let applied = match &procedure {
            Some((p, _)) => crate::catalog::choose(
                p,
                crate::catalog::TermInput {
                    case: form.input.case_code.as_deref(),
                    channel: form.input.channel,
                    typed: form.input.term_typed.as_deref(),
                    choice,
                    appointment,
                },
            )
            .map_err(|e| errors.insert(0, e))
            .ok(),
            None => None,
        };
        let (Some(valid), Some((procedure, version)), Some(applied), true) =
            (valid, procedure, applied, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };
        let due = self.due_of(&applied, received_at)?;
        let req = ReceiveRequest {
            input: valid,
            procedure: ProcedureRef {
                code: procedure.code,
                name: procedure.name,
                catalog_version: version,
                term: applied.term,
                case: applied.case,
                term_source: Some(applied.source),
                field: Some(procedure.field).filter(|f| !f.trim().is_empty()),
            },
            received_at,
            due_at: Some(due.at),
            clerk: form.clerk.clone(),
        };
        let (dossier, replayed) = match &form.request_id {
            Some(id) => self.store.receive_once(&req, id, now)?,
            None => (self.store.receive(&req, now)?, false),
        };
        if replayed {
            return self.replayed(form, dossier);
        }
        Ok(Received {
            dossier,
            due,
            replayed: false,
        })
    }

    /// The answer to a retried request: the dossier saved the first time, its appointment
    /// as it was given then. A request id reused for another citizen or procedure is
    /// refused, naming the dossier it belongs to: the retry of a request carries the same
    /// applicant (name, ID number) and procedure.
    fn replayed(&self, form: &ReceiveForm, dossier: Dossier) -> Result<Received> {
        let norm = |s: &str| motcua_core::text::clean(s).to_lowercase();
        let same = norm(&form.input.applicant_name) == norm(&dossier.applicant.full_name)
            && form
                .input
                .id_number
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                == dossier.applicant.id_number.as_deref()
            && form.procedure.trim() == dossier.procedure.code;
        if !same {
            return Err(AppError::Refused(format!(
                "mã yêu cầu (request id) này đã được dùng cho hồ sơ {} của {} ({}); yêu cầu lần này có nội dung khác nên không được lưu; mỗi hồ sơ mới cần một mã yêu cầu mới",
                dossier.code, dossier.applicant.full_name, dossier.procedure.code
            )));
        }
        let explanation = dossier
            .procedure
            .term
            .and_then(|t| self.due_for(t, dossier.received_at).ok())
            .map(|d| d.explanation)
            .unwrap_or_default();
        let at = dossier.due_at.unwrap_or(dossier.received_at);
        Ok(Received {
            dossier,
            due: DueInfo { at, explanation },
            replayed: true,
        })
    }
}
