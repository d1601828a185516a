//! The periodic reports: Biểu 06 and the national index's ratios over this station's
//! register, for a period closed on the station's `report-start-day`, and their CSV.

use crate::counter::Counter;
use crate::error::{AppError, Result};
mod dashboard;
mod xlsx;

pub use dashboard::{BUSIEST, Dashboard};

pub use motcua_core::report::{COLUMNS, csv};
use motcua_core::report::{Period, Report};
pub use xlsx::xlsx_bytes;

/// Which period a report is asked for, before the closing day names its days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Month {
        year: i32,
        month: u32,
    },
    Quarter {
        year: i32,
        quarter: u32,
    },
    Half {
        year: i32,
        half: u32,
    },
    Year(i32),
    Range {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
}

impl Counter {
    /// The days of `asked`, closed on the station's `report-start-day`.
    pub fn report_period(&self, asked: Asked) -> Result<Period> {
        let day = self.settings()?.report_start_day;
        let period = match asked {
            Asked::Month { year, month } => Period::month(year, month, day),
            Asked::Quarter { year, quarter } => Period::quarter(year, quarter, day),
            Asked::Half { year, half } => Period::half(year, half, day),
            Asked::Year(year) => Period::year(year, day),
            Asked::Range { from, to } => Period::range(from, to),
        };
        period.ok_or_else(|| {
            AppError::Refused(
                "kỳ báo cáo không hợp lệ (tháng 1–12, quý 1–4, nửa năm 1–2; ngày đầu không sau ngày cuối)"
                    .to_string(),
            )
        })
    }

    /// Biểu 06 and the index ratios for `period`, from the register and its journal; a
    /// period not over yet is counted as it stands now.
    pub fn report(&self, period: Period) -> Result<Report> {
        let facts = self.store.report_facts(period.end())?;
        let now = self.now().naive_local();
        Ok(motcua_core::report::report_as_of(period, &facts, now))
    }
}

impl Counter {
    /// Biểu 06 as a PDF in the form's layout (landscape A4): the agency's header, the
    /// period, the table, the notes and the signature blocks. `prepared_by` is printed
    /// under "NGƯỜI LẬP BIỂU"; `receiving_unit` (Đơn vị nhận báo cáo) may be empty.
    pub fn report_pdf(
        &self,
        r: &Report,
        prepared_by: &str,
        receiving_unit: &str,
    ) -> Result<Vec<u8>> {
        Ok(self.report_form(r, prepared_by, receiving_unit)?.pdf)
    }

    /// Biểu 06 drawn (see [`Counter::report_pdf`]).
    pub(crate) fn report_form(
        &self,
        r: &Report,
        prepared_by: &str,
        receiving_unit: &str,
    ) -> Result<motcua_receipt::Form> {
        let settings = self.settings()?;
        let header = self.header(&settings)?;
        let row = |x: &motcua_core::report::Row| (x.field.clone(), x.counts());
        let data = motcua_receipt::ReportData {
            reporting_unit: header.name.clone(),
            header,
            issued_on: self.now().date_naive(),
            period: r.period.label(),
            days: r.period.days(),
            counted_to: r.counted_to_line(),
            receiving_unit: receiving_unit.to_string(),
            rows: r.rows.iter().map(row).collect(),
            total: row(&r.total),
            notes: r.notes.clone(),
            prepared_by: prepared_by.to_string(),
        };
        Ok(motcua_receipt::render_report(&data)?)
    }
}
