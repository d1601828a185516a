//! The procedure catalogue at the counter: the built-in lists, importing a file (our
//! format or the national portal's), finding procedures, and choosing the case and
//! channel a dossier is received under, with the term and fee that follow from them.

use crate::counter::Counter;
use crate::error::{AppError, Result};
use chrono::NaiveDateTime;
use motcua_core::catalog::{Catalog, ImportOptions, Procedure};
use motcua_core::dossier::Channel;
use motcua_core::{Field, ValidationError};

/// The catalogue a new station starts with: the published list of xã Vĩnh Bảo, Hải
/// Phòng, in the national portal's format (`assets/catalog/national/`), converted when
/// the station is set up.
pub const BUILTIN_NATIONAL: &str =
    include_str!("../../../../assets/catalog/national/vinh-bao-hai-phong.json");

/// The 23-procedure list of 2025 (`assets/catalog/commune-procedures.json`, version
/// `2025.07-xa`). No new station gets it by default (`motcua init` and the window's
/// first-run setup load [`BUILTIN_NATIONAL`]); it is what the tests set their stations up
/// with ([`Counter::set_up`], the window's tests, `tests/common` through
/// `motcua init --catalog`), what a station rebuilt from the hub gets back when its
/// journal names that version, and a list a station may start on with `--catalog`.
pub const BUILTIN_2025_07: &str =
    include_str!("../../../../assets/catalog/commune-procedures.json");

/// How far back the procedures a counter received count for the picker, in days.
pub const USE_DAYS: i64 = 30;

/// The built-in commune list (Vĩnh Bảo, Hải Phòng), converted.
pub fn builtin_catalog() -> Result<Catalog> {
    motcua_core::catalog::parse_file(BUILTIN_NATIONAL, &ImportOptions::default())
        .map_err(|e| AppError::from(e).context("danh mục thủ tục đi kèm bị lỗi"))
}

/// The 23-procedure list of 2025.
pub fn builtin_2025_07() -> Result<Catalog> {
    Catalog::from_json(BUILTIN_2025_07)
        .map_err(|e| AppError::from(e).context("danh mục thủ tục đi kèm bị lỗi"))
}

/// Reads a catalogue file of either format, checked, ready to load.
pub fn read_catalog_file(file: &std::path::Path, opts: &ImportOptions) -> Result<Catalog> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| AppError::file(format!("không đọc được {}", file.display()), e))?;
    motcua_core::catalog::parse_file(&text, opts).map_err(|e| {
        AppError::from(e).context(format!(
            "tệp danh mục {} bị từ chối, không nạp gì",
            file.display()
        ))
    })
}

mod import;

pub use import::{CatalogImport, RecordFate, RecordReport, merge};
pub use motcua_core::catalog::{
    Applied, CaseChoice, TermDraft, TermInput, appointment_explained, case_choices, choose,
    term_options,
};

impl Counter {
    /// Procedures of the current catalogue offered at the counter, matching folded
    /// words or a code; an empty query lists them all. The exact code first, then the
    /// procedures this counter received most in the last [`USE_DAYS`] days. This is the
    /// window's procedure picker.
    pub fn search_procedures(&self, query: &str) -> Result<Vec<Procedure>> {
        self.find_procedures(query, false)
    }

    /// As [`Counter::search_procedures`], with `include_hidden` also the procedures not
    /// offered at the counter (cư trú).
    pub fn find_procedures(&self, query: &str, include_hidden: bool) -> Result<Vec<Procedure>> {
        let used = self.store.procedure_use(self.use_since())?;
        Ok(self.store.find_procedures(query, include_hidden, &used)?)
    }

    /// This counter's most received procedures of the last [`USE_DAYS`] days, most first
    /// (at most `limit`): what the window suggests while the procedure field is empty.
    pub fn frequent_procedures(&self, limit: usize) -> Result<Vec<Procedure>> {
        Ok(self.store.frequent_procedures(self.use_since(), limit)?)
    }

    fn use_since(&self) -> chrono::NaiveDate {
        self.now().date_naive() - chrono::Duration::days(USE_DAYS - 1)
    }

    /// A procedure of the current catalogue.
    pub fn procedure(&self, code: &str) -> Result<Procedure> {
        Ok(self.store.procedure(code)?.0)
    }

    /// The cases of a procedure with their terms and fees for a channel, for the
    /// window's case picker (empty when the procedure has none), and whether one must be
    /// chosen.
    pub fn cases(&self, code: &str, channel: Channel) -> Result<(Vec<CaseChoice>, bool)> {
        let p = self.procedure(code)?;
        Ok((case_choices(&p, channel), p.case_required()))
    }

    /// Reads the clerk's choice of a published term and appointment as typed: every
    /// problem at once. An appointment without a time is at the closing time; one not
    /// after `received_at` is refused.
    pub fn term_input(
        &self,
        draft: &TermDraft,
        received_at: NaiveDateTime,
    ) -> std::result::Result<(Option<usize>, Option<NaiveDateTime>), Vec<ValidationError>> {
        let mut errors = Vec::new();
        let choice = motcua_core::dossier::parse_term_choice(draft.choice.as_deref())
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let closing = self
            .settings()
            .map(|s| s.work.closing_time())
            .unwrap_or_else(|_| chrono::NaiveTime::from_hms_opt(17, 0, 0).expect("a valid time"));
        let appointment = match draft.appointment.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => match motcua_core::dossier::parse_appointment(raw) {
                Ok((date, time)) => {
                    let at = date.and_time(time.unwrap_or(closing));
                    if at <= received_at {
                        errors.push(ValidationError::new(
                            Field::Appointment,
                            format!(
                                "ngày hẹn {} phải sau thời gian nhận hồ sơ {}",
                                at.format("%H:%M %d/%m/%Y"),
                                received_at.format("%H:%M %d/%m/%Y")
                            ),
                        ));
                        None
                    } else {
                        Some(at)
                    }
                }
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        };
        if errors.is_empty() {
            Ok((choice, appointment))
        } else {
            Err(errors)
        }
    }

    /// The appointment of a dossier of procedure `code` as the clerk has filled it in so
    /// far, received now: the window's preview (the same rules as [`Counter::receive`]).
    pub fn preview_due(&self, code: &str, draft: &TermDraft) -> Result<crate::DueInfo> {
        let received_at = self.now().naive_local();
        let (choice, appointment) = self
            .term_input(draft, received_at)
            .map_err(AppError::Invalid)?;
        self.due_for_case(
            code,
            TermInput {
                case: draft.case.as_deref(),
                channel: draft.channel,
                typed: draft.typed.as_deref(),
                choice,
                appointment,
            },
            received_at,
        )
    }

    /// What applies to a dossier of procedure `code` as the clerk has chosen so far, as
    /// [`Counter::receive`] will take it.
    pub fn applied(&self, code: &str, input: TermInput<'_>) -> Result<Applied> {
        let p = self.procedure(code)?;
        choose(&p, input).map_err(|e| AppError::Invalid(vec![e]))
    }

    /// The appointment for a procedure as chosen so far, received at `received_at`: the
    /// window's preview.
    pub fn due_for_case(
        &self,
        code: &str,
        input: TermInput<'_>,
        received_at: NaiveDateTime,
    ) -> Result<crate::DueInfo> {
        let applied = self.applied(code, input)?;
        self.due_of(&applied, received_at)
    }

    /// The appointment of a dossier received at `received_at` under what `applied` says:
    /// the clerk's where the law sets no term, else the one its term gives.
    pub(crate) fn due_of(
        &self,
        applied: &Applied,
        received_at: NaiveDateTime,
    ) -> Result<crate::DueInfo> {
        match (applied.appointment, applied.term) {
            (Some(at), _) => Ok(crate::DueInfo {
                at,
                explanation: appointment_explained(received_at, at),
            }),
            (None, Some(term)) => self.due_for(term, received_at),
            // `choose` never answers so: a dossier without a term has an appointment.
            (None, None) => Err(AppError::Invalid(vec![ValidationError::new(
                Field::Appointment,
                "thủ tục không quy định thời hạn giải quyết; hãy ghi ngày hẹn trả kết quả",
            )])),
        }
    }

    /// How many procedures the current catalogue has: (offered at the counter, not).
    pub fn procedure_counts(&self) -> Result<(u64, u64)> {
        Ok(self.store.procedure_counts()?)
    }
}

#[cfg(test)]
mod tests;
