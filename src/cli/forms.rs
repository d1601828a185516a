//! `motcua receipt | form … | ledger | print | printers`: official forms from the register,
//! in the station's form set (`form-set`: 2025 by default, or 2018). Every rendered
//! dossier form is also kept under `<data dir>/receipts/<year>/` for reprint.

use super::{open, parse_local_time};
use crate::cli::out::{self, outln};
use crate::paths::Paths;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use motcua_app::AppError;
use motcua_app::change::{Change, Paper};
use motcua_app::forms::{Delivered, PrintRequest, Rendered};
use motcua_app::paths::Existing;
use motcua_app::settings::ReceiptLayout;
use std::path::{Path, PathBuf};

/// Arguments shared by the dossier forms.
#[derive(Debug, clap::Args)]
pub struct Out {
    /// Where to write the PDF (a new file; see --force).
    #[arg(short = 'o', long)]
    output: PathBuf,
    /// Replace the file if it exists. A symbolic link is never written through, not even
    /// with --force: it is refused and neither it nor its target is touched.
    #[arg(long)]
    force: bool,
}

/// Form subcommands, each also named by its 2025 number (`mau02` … `mau06`, `02` … `06`).
#[derive(Debug, clap::Subcommand)]
pub enum FormCmd {
    /// Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
    #[command(visible_alias = "mau02", alias = "02")]
    Supplement {
        code: String,
        /// What the citizen must add or correct (repeat for each item).
        #[arg(long = "item", required = true)]
        items: Vec<String>,
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        out: Out,
    },
    /// Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ.
    #[command(visible_alias = "mau03", alias = "03")]
    Refusal {
        code: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        out: Out,
    },
    /// Mẫu 04: Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết (2018: … và hẹn
    /// lại ngày trả kết quả). Records the new appointment in the register (journaled,
    /// synced, shown on the lookup page): only for a dossier late or due within a working
    /// day, and once.
    #[command(visible_alias = "mau04", alias = "04")]
    Apology {
        code: String,
        #[arg(long)]
        reason: String,
        /// The new appointment, YYYY-MM-DDTHH:MM.
        #[arg(long)]
        new_due: String,
        /// The clerk who records it.
        #[arg(long)]
        clerk: String,
        #[command(flatten)]
        out: Out,
    },
    /// Mẫu 05 (2025): Thông báo dừng giải quyết hồ sơ, for a dossier withdrawn or
    /// stopped (`motcua transition CODE withdrawn|stopped` first). Its wording is not
    /// confirmed by any published source yet.
    #[command(visible_alias = "mau05", alias = "05")]
    Stop {
        code: String,
        /// The reason printed (default: the note of the withdrawal or stop).
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        out: Out,
    },
    /// Mẫu 06 (2025): Phiếu kiểm soát quá trình giải quyết hồ sơ, filled from the
    /// dossier's journal, with blank blocks for the handovers written by hand.
    #[command(visible_alias = "mau06", alias = "06")]
    Control {
        code: String,
        #[command(flatten)]
        out: Out,
    },
}

fn layout(name: Option<&str>) -> Result<Option<ReceiptLayout>> {
    match name {
        None => Ok(None),
        Some(n) => match ReceiptLayout::parse(n) {
            Some(l) => Ok(Some(l)),
            None => bail!("khổ giấy «{n}» không hợp lệ (a4x2 hoặc a5x2)"),
        },
    }
}

/// `motcua receipt CODE -o FILE [--layout]`.
pub fn receipt_cmd(
    code: &str,
    output: &Path,
    force: bool,
    layout_name: Option<&str>,
    paths: &Paths,
) -> Result<()> {
    let layout = layout(layout_name)?;
    let mut counter = open(paths)?;
    let r = counter.receipt(code, layout)?;
    counter.export(&r, output, super::existing(force))?;
    out::after_saving(written(output), || {
        outln!(
            "Đã tạo giấy tiếp nhận hồ sơ {} tại {}.",
            r.code,
            output.display()
        )?;
        Ok(())
    })
}

/// What was saved once an output file is written.
fn written(output: &Path) -> String {
    format!("Tệp {} ĐÃ được ghi đầy đủ", output.display())
}

/// `motcua form …`.
pub fn form_cmd(cmd: FormCmd, paths: &Paths) -> Result<()> {
    let mut counter = open(paths)?;
    let (rendered, output, existing): (Rendered, PathBuf, Existing) = match cmd {
        FormCmd::Supplement {
            code,
            items,
            reason,
            out,
        } => (
            counter.supplement_form(&code, &items, reason.as_deref())?,
            out.output,
            super::existing(out.force),
        ),
        FormCmd::Refusal { code, reason, out } => (
            counter.refusal_form(&code, &reason)?,
            out.output,
            super::existing(out.force),
        ),
        FormCmd::Apology {
            code,
            reason,
            new_due,
            clerk,
            out,
        } => {
            let new_due = parse_local_time(&new_due)?;
            let change = Change::Extend { reason, new_due };
            let changed = counter.change(&code, change, &clerk, &Paper::Keep)?;
            let rendered = changed
                .form
                .ok_or_else(|| anyhow::anyhow!("không lập được phiếu xin lỗi và hẹn lại"))?;
            (rendered, out.output, super::existing(out.force))
        }
        FormCmd::Stop { code, reason, out } => (
            counter.stop_form(&code, reason.as_deref())?,
            out.output,
            super::existing(out.force),
        ),
        FormCmd::Control { code, out } => (
            counter.control_form(&code)?,
            out.output,
            super::existing(out.force),
        ),
    };
    counter.export(&rendered, &output, existing)?;
    out::after_saving(written(&output), || {
        outln!(
            "Đã tạo {} cho hồ sơ {} tại {}.",
            rendered.form.title_vi(rendered.set),
            rendered.code,
            output.display()
        )?;
        Ok(())
    })
}

/// `motcua ledger --from --to -o FILE`.
pub fn ledger_cmd(
    from: NaiveDate,
    to: NaiveDate,
    output: &Path,
    force: bool,
    paths: &Paths,
) -> Result<()> {
    let mut counter = open(paths)?;
    let ledger = counter.ledger(from, to)?;
    let what = format!(
        "Sổ theo dõi hồ sơ từ {} đến {} ({} hồ sơ)",
        from.format("%d/%m/%Y"),
        to.format("%d/%m/%Y"),
        ledger.rows
    );
    counter.export_report(&what, &ledger.form.pdf, output, super::existing(force))?;
    out::after_saving(written(output), || {
        outln!(
            "Đã tạo sổ theo dõi hồ sơ từ {from} đến {to} ({} hồ sơ) tại {}.",
            ledger.rows,
            output.display()
        )?;
        Ok(())
    })
}

/// `motcua print CODE [--printer] [--copies]`: the receipt, to a real printer.
pub fn print_cmd(
    code: &str,
    printer: Option<String>,
    copies: Option<u32>,
    paths: &Paths,
) -> Result<()> {
    let p = open(paths)?.print_receipt(
        code,
        &PrintRequest {
            printer,
            copies,
            viewer_fallback: false,
        },
    )?;
    match p.delivered {
        Delivered::Printed { job, copies } => outln!(
            "Đã gửi giấy tiếp nhận hồ sơ {} tới máy in {} ({copies} bản, lệnh in {}).",
            p.code,
            job.printer,
            job.id
        )?,
        Delivered::Opened => outln!("Đã mở giấy tiếp nhận hồ sơ {} để in.", p.code)?,
    }
    Ok(())
}

/// `motcua printers`: what the system offers.
pub fn printers_cmd() -> Result<()> {
    use motcua_app::print::{Printer, SystemPrinter};
    let default = SystemPrinter.default_printer().map_err(AppError::from)?;
    let list = SystemPrinter.printers().map_err(AppError::from)?;
    if list.is_empty() {
        outln!("Chưa có máy in nào được cài đặt.")?;
    }
    for p in list {
        let mark = if default.as_deref() == Some(p.as_str()) {
            " (mặc định)"
        } else {
            ""
        };
        outln!("{p}{mark}")?;
    }
    Ok(())
}
