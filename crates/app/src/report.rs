//! The periodic reports: Biểu 06 and the national index's ratios over this station's
//! register, for a period closed on the station's `report-start-day`, and their CSV.

use crate::counter::Counter;
use crate::error::{AppError, Result};
use motcua_core::report::{Period, Report};

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

/// The heading of the report's table columns (3) … (13), with the two before them.
pub const COLUMNS: [&str; 13] = [
    "STT",
    "Lĩnh vực",
    "Tiếp nhận: Tổng số",
    "Tiếp nhận: Trực tuyến",
    "Tiếp nhận: Trực tiếp và dịch vụ bưu chính",
    "Tiếp nhận: Từ kỳ trước",
    "Đã giải quyết: Tổng số",
    "Đã giải quyết: Trước hạn",
    "Đã giải quyết: Đúng hạn",
    "Đã giải quyết: Quá hạn",
    "Đang giải quyết: Tổng số",
    "Đang giải quyết: Trong hạn",
    "Đang giải quyết: Quá hạn",
];

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

    /// Biểu 06 and the index ratios for `period`, from the register and its journal.
    pub fn report(&self, period: Period) -> Result<Report> {
        let facts = self.store.report_facts(period.end())?;
        Ok(motcua_core::report::report(period, &facts))
    }
}

/// Quotes a CSV cell when it needs it.
fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The report as CSV (UTF-8 with a byte-order mark, so a spreadsheet opens the
/// Vietnamese right): the title lines, the 13 columns, one row per field, the totals.
pub fn csv(r: &Report, agency: &str) -> String {
    let mut out = String::from("\u{feff}");
    let line =
        |cells: Vec<String>| cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",") + "\r\n";
    out += &line(vec![
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH".to_string(),
    ]);
    out += &line(vec![format!(
        "Kỳ báo cáo: {} ({})",
        r.period.label(),
        r.period.days()
    )]);
    out += &line(vec![format!("Đơn vị báo cáo: {agency}")]);
    out += &line(vec!["Đơn vị tính: Số hồ sơ TTHC".to_string()]);
    out += &line(COLUMNS.iter().map(|c| c.to_string()).collect());
    for (k, row) in r.rows.iter().enumerate() {
        let mut cells = vec![(k + 1).to_string(), row.field.clone()];
        cells.extend(row.counts().iter().map(u64::to_string));
        out += &line(cells);
    }
    let mut cells = vec![String::new(), r.total.field.clone()];
    cells.extend(r.total.counts().iter().map(u64::to_string));
    out += &line(cells);
    out
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
        let settings = self.settings()?;
        let header = self.header(&settings)?;
        let row = |x: &motcua_core::report::Row| (x.field.clone(), x.counts());
        let data = motcua_receipt::ReportData {
            reporting_unit: header.name.clone(),
            header,
            issued_on: self.now().date_naive(),
            period: r.period.label(),
            days: r.period.days(),
            receiving_unit: receiving_unit.to_string(),
            rows: r.rows.iter().map(row).collect(),
            total: row(&r.total),
            notes: r.notes.clone(),
            prepared_by: prepared_by.to_string(),
        };
        Ok(motcua_receipt::render_report(&data)?.pdf)
    }
}
