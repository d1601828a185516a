//! The office head's dashboard: the period's Biểu 06 counts and index ratios, the
//! on-time rate week by week, the dossiers overdue now with who received each, and the
//! procedures received most; the report printed (a kept PDF) or exported (a kept XLSX).
//! Only an admin or the office head opens it: the figures name clerks and list citizens'
//! dossiers.

use crate::accounts::Reviewer;
use crate::counter::Counter;
use crate::error::Result;
use crate::forms::{Form, Rendered};
use crate::paths::{create_private_dir, replace_private};
use chrono::{Datelike, NaiveDateTime};
use motcua_core::report::{self, Overdue, Period, PeriodKind, Report, Week};
use std::path::PathBuf;

/// How many procedures the dashboard ranks.
pub const BUSIEST: usize = 5;

/// What the dashboard shows for a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub report: Report,
    pub weeks: Vec<Week>,
    /// Overdue at `as_of`, the latest first.
    pub overdue: Vec<Overdue>,
    /// (procedure, received in the period), the most first.
    pub busiest: Vec<(String, u64)>,
    /// Now, or the period's end for a period already over.
    pub as_of: NaiveDateTime,
}

impl Counter {
    /// The period of `kind` that holds today, closed on the station's `report-start-day`.
    pub fn current_period(&self, kind: PeriodKind) -> Result<Period> {
        let day = self.settings()?.report_start_day;
        Period::containing(kind, self.now().date_naive(), day).ok_or_else(|| {
            crate::error::AppError::Refused("không xác định được kỳ báo cáo".to_string())
        })
    }

    /// The period before (`step` < 0) or after `p`, of the same kind.
    pub fn step_period(&self, p: &Period, step: i64) -> Result<Period> {
        let day = self.settings()?.report_start_day;
        Ok(p.step(step, day).unwrap_or(*p))
    }

    /// The dashboard of `period`, for an admin or the office head.
    pub fn dashboard(&self, period: Period, _by: &Reviewer) -> Result<Dashboard> {
        let facts = self.store.report_facts(period.end())?;
        let as_of = self.now().naive_local().min(period.end());
        // Who received each overdue dossier, by name.
        let names: std::collections::HashMap<String, String> = self
            .users()?
            .into_iter()
            .map(|u| (u.username, u.full_name))
            .collect();
        let mut overdue = report::overdue(as_of, &facts);
        for o in &mut overdue {
            if let Some(name) = names.get(&o.clerk) {
                o.clerk.clone_from(name);
            }
        }
        Ok(Dashboard {
            weeks: report::weeks(&period, &facts, as_of),
            overdue,
            busiest: report::busiest(&period, &facts, BUSIEST),
            report: report::report_as_of(period, &facts, as_of),
            as_of,
        })
    }

    /// Biểu 06 as a PDF kept under the receipts folder
    /// (`<year>/<from>_<to>-bieu06.pdf`), ready to print.
    pub fn report_kept(&self, r: &Report, prepared_by: &str) -> Result<Rendered> {
        let drawn = self.report_form(r, prepared_by, "")?;
        let settings = self.settings()?;
        self.keep_as(
            Form::Report,
            settings.form_set,
            r.period.to.year(),
            period_tag(&r.period),
            drawn,
        )
    }

    /// Biểu 06 as an XLSX workbook kept beside the PDF (`<from>_<to>-bieu06.xlsx`); the
    /// path.
    pub fn report_xlsx_kept(&self, r: &Report) -> Result<PathBuf> {
        let agency = self.station()?.agency_name;
        let bytes = super::xlsx_bytes(r, &agency)?;
        let pdf = self.paths.kept_form(
            r.period.to.year(),
            &period_tag(&r.period),
            Form::Report.file_tag(),
        );
        let kept = pdf.with_extension("xlsx");
        create_private_dir(&self.paths.receipts)?;
        if let Some(dir) = kept.parent() {
            create_private_dir(dir)?;
        }
        replace_private(&kept, &bytes)?;
        Ok(kept)
    }
}

/// The file name part of a period: its first and last day.
fn period_tag(p: &Period) -> String {
    format!("{}_{}", p.from.format("%Y%m%d"), p.to.format("%Y%m%d"))
}
