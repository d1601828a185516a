//! A person's data on a dossier corrected at their request (the personal data law's right
//! to have wrong data corrected): the rule for the window and the command line alike. The
//! correction is journaled with each field's old and new value and the reason, never an
//! edit of the past; the forms printed after it carry the corrected data, the hub's
//! register and lookup page the corrected name.

use crate::counter::Counter;
use crate::error::{AppError, Result};
use motcua_core::correction::{Correction, CorrectionInput, Role};
use motcua_core::dossier::Dossier;

impl Counter {
    /// Corrects `role`'s data on the dossier `code` as `clerk`, for `reason` (the person's
    /// request and the document shown). Each new value is checked as at the counter; only
    /// the fields that change are recorded. Allowed in every status: a finished dossier's
    /// record is corrected too (the result already handed over is not reissued here).
    pub fn correct(
        &mut self,
        code: &str,
        role: Role,
        input: &CorrectionInput,
        reason: &str,
        clerk: &str,
    ) -> Result<Dossier> {
        let d = self.dossier(code)?;
        let now = self.now();
        let c = Correction::between(&d, role, input, reason, now.date_naive())
            .map_err(AppError::Invalid)?;
        Ok(self.store.correct(&c, clerk, now)?)
    }
}

#[cfg(test)]
mod tests {
    use crate::counter::testing::*;
    use motcua_core::correction::{CorrectionInput, Role};

    #[test]
    fn a_correction_is_on_the_timeline_and_on_the_next_receipt() {
        let mut f = fixture();
        let r = f.counter.receive(&form("Nguyễn Văn Anh")).unwrap();
        let code = r.dossier.code.to_string();
        let input = CorrectionInput {
            full_name: Some("Nguyễn Văn An".into()),
            ..CorrectionInput::default()
        };
        let e = f
            .counter
            .correct(&code, Role::Applicant, &input, " ", "lan")
            .unwrap_err();
        assert!(e.to_string().contains("lý do đính chính"), "{e}");
        let after = f
            .counter
            .correct(
                &code,
                Role::Applicant,
                &input,
                "Theo thẻ CCCD công dân xuất trình",
                "lan",
            )
            .unwrap();
        assert_eq!(after.applicant.full_name, "Nguyễn Văn An");
        let detail = f.counter.detail(&code).unwrap();
        let line = detail.journal.last().unwrap();
        assert_eq!(line.what, "Đính chính thông tin người nộp hồ sơ");
        assert_eq!(
            line.note.as_deref(),
            Some(
                "Họ và tên: Nguyễn Văn Anh → Nguyễn Văn An. Lý do: Theo thẻ CCCD công dân xuất trình"
            )
        );
        assert_eq!(detail.shown.dossier.applicant.full_name, "Nguyễn Văn An");
        // The receipt rendered now carries the corrected name.
        let r = f.counter.receipt(&code, None).unwrap();
        let runs: Vec<&str> = (r.pages.iter().flat_map(|p| &p.items))
            .filter_map(|i| match i {
                motcua_receipt::drawing::DrawItem::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(runs.iter().any(|t| t.contains("Nguyễn Văn An")), "{runs:?}");
        assert!(
            !runs.iter().any(|t| t.contains("Nguyễn Văn Anh")),
            "{runs:?}"
        );
    }
}
