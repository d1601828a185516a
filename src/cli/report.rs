//! `motcua report …`: Biểu 06 (receiving and resolving dossiers, 13 columns) and the
//! national index's ratios, over this station's register, for a period closed on the
//! station's `report-start-day`.

use super::open;
use crate::cli::out::{self, outln};
use crate::paths::Paths;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use motcua_app::report::{Asked, COLUMNS, csv};
use motcua_core::report::Report;
use std::path::PathBuf;

/// Which period: one of `--month`, `--quarter`, `--half`, `--year`, or `--from`/`--to`.
#[derive(Debug, clap::Args)]
pub struct PeriodArgs {
    /// A month, YYYY-MM (closed on the report-start-day setting: 15 → the 15th of the
    /// month before to the 14th).
    #[arg(long, value_name = "YYYY-MM", group = "period")]
    month: Option<String>,
    /// A quarter, YYYY-Q (e.g. 2026-4).
    #[arg(long, value_name = "YYYY-Q", group = "period")]
    quarter: Option<String>,
    /// Half a year, YYYY-H (1: first six months, 2: last).
    #[arg(long, value_name = "YYYY-H", group = "period")]
    half: Option<String>,
    /// A year.
    #[arg(long, value_name = "YYYY", group = "period")]
    year: Option<i32>,
    /// First day of a range of days (with --to).
    #[arg(long, value_parser = crate::cli::date_arg, requires = "to", group = "period")]
    from: Option<NaiveDate>,
    /// Last day of the range.
    #[arg(long, value_parser = crate::cli::date_arg, requires = "from")]
    to: Option<NaiveDate>,
}

impl PeriodArgs {
    fn asked(&self) -> Result<Asked> {
        let pair = |s: &str, what: &str| -> Result<(i32, u32)> {
            motcua_core::report::year_and_number(s)
                .ok_or_else(|| anyhow::anyhow!("{what} «{s}» phải có dạng năm-số (ví dụ 2026-11)"))
        };
        Ok(if let Some(m) = &self.month {
            let (year, month) = pair(m, "tháng")?;
            Asked::Month { year, month }
        } else if let Some(q) = &self.quarter {
            let (year, quarter) = pair(q, "quý")?;
            Asked::Quarter { year, quarter }
        } else if let Some(h) = &self.half {
            let (year, half) = pair(h, "nửa năm")?;
            Asked::Half { year, half }
        } else if let Some(y) = self.year {
            Asked::Year(y)
        } else if let (Some(from), Some(to)) = (self.from, self.to) {
            Asked::Range { from, to }
        } else {
            bail!("cần chọn kỳ báo cáo: --month, --quarter, --half, --year hoặc --from và --to")
        })
    }
}

/// Report subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ReportCmd {
    /// Biểu 06: dossiers received, resolved and pending per field (lĩnh vực).
    Bieu06 {
        #[command(flatten)]
        period: PeriodArgs,
        /// pdf (the form, landscape A4), xlsx (a workbook with number cells), csv, json or
        /// text (the default: a table on the terminal).
        #[arg(long, default_value = "text")]
        format: String,
        /// On the PDF: who prepared it (under «Người lập biểu»).
        #[arg(long, default_value = "")]
        prepared_by: String,
        /// On the PDF: the unit the report goes to (Đơn vị nhận báo cáo).
        #[arg(long, default_value = "")]
        to_unit: String,
        /// Write to this file instead of the terminal (pdf, xlsx, csv or json; a new file,
        /// see --force).
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        #[arg(long)]
        force: bool,
    },
    /// The national index's ratios the counter's data decides (on time, online), and
    /// those it cannot measure yet with the reason.
    Chiso {
        #[command(flatten)]
        period: PeriodArgs,
        #[arg(long)]
        json: bool,
    },
}

/// Runs a report subcommand.
pub fn run(cmd: ReportCmd, paths: &Paths) -> Result<()> {
    match cmd {
        ReportCmd::Bieu06 {
            period,
            format,
            prepared_by,
            to_unit,
            output,
            force,
        } => {
            let mut counter = open(paths)?;
            let r = counter.report(counter.report_period(period.asked()?)?)?;
            let agency = counter.station()?.agency_name;
            let body: Vec<u8> = match format.as_str() {
                "pdf" if output.is_none() => bail!("--format pdf cần -o TỆP"),
                "pdf" => counter.report_pdf(&r, prepared_by.trim(), to_unit.trim())?,
                "xlsx" if output.is_none() => bail!("--format xlsx cần -o TỆP"),
                "xlsx" => motcua_app::report::xlsx_bytes(&r, &agency)?,
                "csv" => csv(&r, &agency).into_bytes(),
                "json" => (serde_json::to_string_pretty(&r)? + "\n").into_bytes(),
                "text" if output.is_none() => text(&r, &agency).into_bytes(),
                "text" => {
                    bail!(
                        "--format text chỉ in ra màn hình; ghi tệp thì dùng pdf, xlsx, csv hoặc json"
                    )
                }
                other => bail!("định dạng «{other}» không có; dùng pdf, xlsx, csv, json hoặc text"),
            };
            match output {
                Some(path) => {
                    let what = format!("Biểu 06 kỳ {} ({format})", r.period.label());
                    counter.export_report(&what, &body, &path, super::existing(force))?;
                    out::after_saving(
                        format!("Tệp {} ĐÃ được ghi đầy đủ", path.display()),
                        || {
                            outln!(
                                "Đã ghi Biểu 06 kỳ {} ({} hồ sơ) vào {}.",
                                r.period.label(),
                                r.total.received_total,
                                path.display()
                            )?;
                            Ok(())
                        },
                    )
                }
                None => {
                    outln!("{}", String::from_utf8_lossy(&body).trim_end_matches('\n'))?;
                    Ok(())
                }
            }
        }
        ReportCmd::Chiso { period, json } => {
            let counter = open(paths)?;
            let r = counter.report(counter.report_period(period.asked()?)?)?;
            if json {
                return crate::cli::print_json(&serde_json::json!({
                    "period": r.period,
                    "ratios": r.ratios,
                    "not_measured": r.not_measured,
                }));
            }
            outln!("Kỳ: {} ({})", r.period.label(), r.period.days())?;
            for x in &r.ratios {
                let pct = x
                    .percent
                    .as_deref()
                    .map_or("chưa có hồ sơ".to_string(), |p| format!("{p} %"));
                outln!(
                    "{}: {pct} ({}/{}) — {}",
                    x.name,
                    x.numerator,
                    x.denominator,
                    x.rule
                )?;
            }
            for x in &r.not_measured {
                outln!("{}: chưa đo được — {}", x.name, x.reason)?;
            }
            Ok(())
        }
    }
}

/// The report as a table on the terminal.
fn text(r: &Report, agency: &str) -> String {
    let mut s = format!(
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH\nKỳ báo cáo: {} ({})\nĐơn vị báo cáo: {agency}\n",
        r.period.label(),
        r.period.days()
    );
    for (k, row) in r.rows.iter().chain([&r.total]).enumerate() {
        let n = if k < r.rows.len() {
            (k + 1).to_string()
        } else {
            String::new()
        };
        s += &format!("{n:>3} {:<40}", row.field);
        for c in row.counts() {
            s += &format!(" {c:>6}");
        }
        s += "\n";
    }
    s += &format!("Cột: {}\n", COLUMNS[2..].join(" | "));
    for note in &r.notes {
        s += &format!("Ghi chú: {note}\n");
    }
    s
}
