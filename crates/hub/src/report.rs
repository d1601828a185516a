//! The province's reports at the hub: Biểu 06 and the index ratios of each agency, over
//! what its stations pushed, with the rules a counter applies to its own register
//! (`motcua_core::report`), so an agency's figure is the sum of its stations'. One
//! function for the command line (`motcua-hub report`) and the API (`GET
//! /api/v1/report`).

use crate::db::Storage;
use crate::error::HubError;
use chrono::Timelike;
use motcua_core::report::{Period, Report, cut, report_from_tallies};
use serde::{Deserialize, Serialize};

/// One agency's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AgencyReport {
    pub agency_id: String,
    pub report: Report,
}

/// The default closing day of the province's reporting periods.
pub const START_DAY: u32 = 15;

/// What `GET /api/v1/report` asks for.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// The period: a year (2026), a month (2026-11), a quarter (2026-Q4) or half a year
    /// (2026-H1), closed on `start_day`.
    #[param(
        pattern = r"^(19[0-9]{2}|[2-9][0-9]{3})(-(0[1-9]|1[0-2]|Q[1-4]|H[1-2]))?$",
        example = "2026-11"
    )]
    pub period: String,
    /// The day reporting periods start on (1–28; 15 by default: the 15th of the month
    /// before to the 14th).
    #[param(minimum = 1, maximum = 28)]
    pub start_day: Option<u32>,
    /// One agency; every agency with dossiers when absent or empty.
    pub agency_id: Option<String>,
}

impl ReportQuery {
    /// The period asked for.
    pub fn period(&self) -> Result<Period, HubError> {
        Period::parse(&self.period, self.start_day.unwrap_or(START_DAY)).ok_or_else(|| {
            HubError::BadRequest(format!(
                "kỳ báo cáo không hợp lệ: «{}» (năm 2026, tháng 2026-11, quý 2026-Q4, nửa năm 2026-H1; năm từ 1900 đến 9999; ngày đầu kỳ 1–28)",
                self.period
            ))
        })
    }
}

/// The report of `agency_id` (or of every agency with dossiers, by id) for `period`,
/// counted as things stood at `now` (Vietnam's local time) when the period is not over.
pub fn reports(
    storage: &dyn Storage,
    agency_id: Option<&str>,
    period: Period,
    now: chrono::NaiveDateTime,
) -> Result<Vec<AgencyReport>, HubError> {
    let agencies: Vec<String> = match agency_id.map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => vec![a.to_string()],
        None => storage.report_agencies()?,
    };
    // Counted to a whole second, as the hub keeps each dossier's course.
    let now = now.with_nanosecond(0).unwrap_or(now);
    let tallies = storage.report_tallies(&agencies, period.start(), cut(&period, now))?;
    Ok((agencies.into_iter().zip(tallies))
        .map(|(agency_id, tallies)| AgencyReport {
            report: report_from_tallies(period, tallies, now),
            agency_id,
        })
        .collect())
}

/// Vietnam's local time now.
pub fn vietnam_now() -> chrono::NaiveDateTime {
    (chrono::Utc::now() + chrono::Duration::hours(7)).naive_utc()
}
