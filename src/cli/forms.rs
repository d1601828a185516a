//! `motcua receipt | form … | ledger | print`: official forms from the register.
//!
//! The register's records are mapped onto the renderer's plain input types here; the
//! renderer (`motcua-receipt`) is pure. Every rendered PDF is also kept under
//! `<data dir>/receipts/<year>/` for reprint.

use super::{config, now_vn, open_store, parse_local_time};
use crate::paths::Paths;
use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use motcua_core::code::DossierCode;
use motcua_core::dossier::{Dossier, ResultDelivery};
use motcua_receipt as receipt;
use motcua_store::Store;
use std::path::{Path, PathBuf};

/// Arguments shared by the dossier forms.
#[derive(Debug, clap::Args)]
pub struct Out {
    /// Where to write the PDF.
    #[arg(short = 'o', long)]
    output: PathBuf,
}

/// Form subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum FormCmd {
    /// Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
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
    Refusal {
        code: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        out: Out,
    },
    /// Mẫu 05: Phiếu xin lỗi và hẹn lại ngày trả kết quả.
    Apology {
        code: String,
        #[arg(long)]
        reason: String,
        /// The new appointment, YYYY-MM-DDTHH:MM.
        #[arg(long)]
        new_due: String,
        #[command(flatten)]
        out: Out,
    },
}

/// The header every form starts with.
fn header(store: &Store) -> Result<receipt::AgencyHeader> {
    let st = store.station()?;
    let place = match config::get(store, "place")? {
        p if !p.is_empty() => p,
        _ => place_from(&st.agency_name),
    };
    Ok(receipt::AgencyHeader {
        parent_name: st.parent_name.unwrap_or_default(),
        name: st.agency_name,
        place,
    })
}

/// The place name of the date line from an agency name: "UBND xã Tân Lập" → "Tân Lập".
fn place_from(agency_name: &str) -> String {
    let mut rest = agency_name.trim();
    for prefix in [
        "Ủy ban nhân dân",
        "Uỷ ban nhân dân",
        "UBND",
        "xã",
        "phường",
        "thị trấn",
        "đặc khu",
    ] {
        let folded = motcua_core::text::fold(rest);
        if folded.starts_with(&motcua_core::text::fold(prefix)) {
            rest = rest[prefix.len().min(rest.len())..].trim_start();
        }
    }
    if rest.is_empty() {
        agency_name.trim().to_string()
    } else {
        rest.to_string()
    }
}

/// "03 ngày làm việc", "trong ngày", … as the form's line 3 wants it.
fn statutory_time(term: &str) -> String {
    use motcua_core::calendar::Term;
    match term.parse::<Term>() {
        Ok(Term::WorkingDays(n)) => format!("{n:02} ngày làm việc"),
        Ok(Term::WorkingHours(n)) => format!("{n:02} giờ làm việc"),
        Ok(Term::CalendarDays(n)) => format!("{n:02} ngày"),
        Ok(Term::SameDay) => "trong ngày".to_string(),
        Err(_) => term.to_string(),
    }
}

fn delivery(d: &Dossier, agency: &str) -> String {
    match &d.result_delivery {
        ResultDelivery::Counter => format!("Bộ phận tiếp nhận và trả kết quả, {agency}"),
        ResultDelivery::Post { address } => {
            format!("Qua dịch vụ bưu chính công ích, địa chỉ: {address}")
        }
    }
}

fn clerk_name(store: &Store, username: &str) -> String {
    store
        .user(username)
        .map(|u| u.full_name)
        .unwrap_or_else(|_| username.to_string())
}

fn ledger_book(store: &Store, year: i32) -> Result<String> {
    Ok(config::get(store, "ledger-book")?.replace("{năm}", &year.to_string()))
}

/// The lookup URL printed in the QR: base + code + secret, no personal data.
fn lookup_url(store: &Store, d: &Dossier) -> Result<String> {
    let base = config::get(store, "lookup-url")?;
    let sep = if base.contains('?') { '&' } else { '?' };
    Ok(format!("{base}{sep}ma={}&mk={}", d.code, d.lookup_secret))
}

/// The receipt (Mẫu 01) of a dossier.
pub fn receipt_data(store: &Store, d: &Dossier) -> Result<receipt::ReceiptData> {
    let header = header(store)?;
    let agency = header.name.clone();
    Ok(receipt::ReceiptData {
        code: d.code.to_string(),
        lookup_secret: d.lookup_secret.clone(),
        lookup_url: lookup_url(store, d)?,
        applicant_name: d.applicant.full_name.clone(),
        owner_name: d.owner.as_ref().map(|o| o.full_name.clone()),
        id_number: d.applicant.id_number.clone(),
        address: d.applicant.address.clone().unwrap_or_default(),
        phone: d.applicant.phone.clone().unwrap_or_default(),
        email: d.applicant.email.clone().unwrap_or_default(),
        procedure_name: d.procedure.name.clone(),
        documents: d
            .documents
            .iter()
            .map(|doc| receipt::DocumentLine {
                name: doc.name.clone(),
                kind: doc.kind.label().to_string(),
                count: doc.count,
            })
            .collect(),
        sets: d.sets,
        statutory_time: statutory_time(&d.procedure.term),
        received_at: d.received_at,
        due_at: d.due_at,
        result_delivery: delivery(d, &agency),
        ledger_book: ledger_book(store, d.received_at.year())?,
        ledger_entry: format!("{:04}", store.ledger_entry(d)?),
        clerk_name: clerk_name(store, &d.clerk),
        header,
    })
}

fn layout(store: &Store, explicit: Option<&str>) -> Result<receipt::Layout> {
    let name = match explicit {
        Some(l) => l.to_string(),
        None => config::get(store, "receipt-layout")?,
    };
    match name.as_str() {
        "a4x2" => Ok(receipt::Layout::A4x2),
        "a5x2" => Ok(receipt::Layout::A5x2),
        other => bail!("khổ giấy «{other}» không hợp lệ (a4x2 hoặc a5x2)"),
    }
}

/// Writes `bytes` to `path` (owner-only: the forms carry personal data).
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("không ghi được tệp {}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("không ghi được tệp {}", path.display()))
}

/// Keeps a copy of a rendered form under `receipts/<year>/<code>-<form>.pdf`.
fn keep_copy(paths: &Paths, d: &Dossier, form: &str, bytes: &[u8]) -> Result<PathBuf> {
    let dir = paths.receipts.join(d.received_at.year().to_string());
    crate::paths::create_private_dir(&paths.receipts)?;
    crate::paths::create_private_dir(&dir)?;
    let file = dir.join(format!("{}-{form}.pdf", d.code));
    write_private(&file, bytes)?;
    Ok(file)
}

fn load(paths: &Paths, code: &str) -> Result<(Store, Dossier)> {
    let code: DossierCode = code.parse()?;
    let store = open_store(paths)?;
    let d = store.dossier(&code)?;
    Ok((store, d))
}

/// Renders the receipt, keeps a copy and returns the kept file.
fn render_and_keep(
    paths: &Paths,
    store: &Store,
    d: &Dossier,
    layout_name: Option<&str>,
) -> Result<(PathBuf, Vec<u8>)> {
    let data = receipt_data(store, d)?;
    let bytes = receipt::render_receipt(&data, layout(store, layout_name)?)?;
    let kept = keep_copy(paths, d, "mau01", &bytes)?;
    Ok((kept, bytes))
}

/// `motcua receipt CODE -o FILE [--layout]`.
pub fn receipt_cmd(
    code: &str,
    output: &Path,
    layout_name: Option<&str>,
    paths: &Paths,
) -> Result<()> {
    let (store, d) = load(paths, code)?;
    let (_, bytes) = render_and_keep(paths, &store, &d, layout_name)?;
    write_private(output, &bytes)?;
    println!(
        "Đã tạo giấy tiếp nhận hồ sơ {} tại {}.",
        d.code,
        output.display()
    );
    Ok(())
}

/// `motcua form …`.
pub fn form_cmd(cmd: FormCmd, paths: &Paths) -> Result<()> {
    let today = now_vn().date_naive();
    let (form, code, output, bytes) = match cmd {
        FormCmd::Supplement {
            code,
            items,
            reason,
            out,
        } => {
            let (store, d) = load(paths, &code)?;
            let clerk = clerk_name(&store, &d.clerk);
            let data = receipt::SupplementData {
                header: header(&store)?,
                number: None,
                code: Some(d.code.to_string()),
                issued_on: today,
                applicant_name: d.applicant.full_name.clone(),
                procedure_name: d.procedure.name.clone(),
                address: d.applicant.address.clone().unwrap_or_default(),
                phone: d.applicant.phone.clone().unwrap_or_default(),
                email: d.applicant.email.clone().unwrap_or_default(),
                items,
                reason: reason.unwrap_or_default(),
                contact_name: clerk.clone(),
                contact_phone: config::get(&store, "office-phone")?,
                guide_name: clerk,
            };
            ("mau02", d, out.output, receipt::render_supplement(&data)?)
        }
        FormCmd::Refusal { code, reason, out } => {
            let (store, d) = load(paths, &code)?;
            let data = receipt::RefusalData {
                header: header(&store)?,
                issued_on: today,
                applicant_name: d.applicant.full_name.clone(),
                address: d.applicant.address.clone().unwrap_or_default(),
                phone: d.applicant.phone.clone().unwrap_or_default(),
                email: d.applicant.email.clone().unwrap_or_default(),
                procedure_name: d.procedure.name.clone(),
                reason,
                clerk_name: clerk_name(&store, &d.clerk),
            };
            ("mau03", d, out.output, receipt::render_refusal(&data)?)
        }
        FormCmd::Apology {
            code,
            reason,
            new_due,
            out,
        } => {
            let (store, d) = load(paths, &code)?;
            let new_due = parse_local_time(&new_due)?;
            let Some(original_due) = d.due_at else {
                bail!(
                    "hồ sơ {} chưa có ngày hẹn trả nên không lập phiếu hẹn lại",
                    d.code
                );
            };
            if new_due <= original_due {
                bail!(
                    "ngày hẹn mới phải sau ngày hẹn cũ ({})",
                    original_due.format("%H:%M ngày %d/%m/%Y")
                );
            }
            let header = header(&store)?;
            let data = receipt::ApologyData {
                number: None,
                issued_on: today,
                recipient: d.applicant.full_name.clone(),
                received_at: d.received_at,
                procedure_name: d.procedure.name.clone(),
                code: d.code.to_string(),
                original_due,
                reason,
                new_due,
                signer_title: format!("TM. {}", header.name.to_uppercase()),
                signer_name: String::new(),
                header,
            };
            ("mau05", d, out.output, receipt::render_apology(&data)?)
        }
    };
    keep_copy(paths, &code, form, &bytes)?;
    write_private(&output, &bytes)?;
    println!(
        "Đã tạo {} cho hồ sơ {} tại {}.",
        form_title(form),
        code.code,
        output.display()
    );
    Ok(())
}

fn form_title(form: &str) -> &'static str {
    match form {
        "mau02" => "phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "mau03" => "phiếu từ chối tiếp nhận giải quyết hồ sơ",
        _ => "phiếu xin lỗi và hẹn lại ngày trả kết quả",
    }
}

/// Ledger entry numbers of dossiers listed in book order (as `received_between` returns
/// them): only the first dossier of each year is looked up with `first`, the rest follow
/// on. One lookup per row was measured at 330 s for a day of 2,740 dossiers late in the
/// year; this takes 0.32 s for the whole ledger.
fn entry_numbers(
    dossiers: &[Dossier],
    mut first: impl FnMut(&Dossier) -> Result<u64>,
) -> Result<Vec<u64>> {
    let mut out = Vec::with_capacity(dossiers.len());
    let mut last: Option<(i32, u64)> = None;
    for d in dossiers {
        let year = d.received_at.year();
        let n = match last {
            Some((y, n)) if y == year => n + 1,
            _ => first(d)?,
        };
        last = Some((year, n));
        out.push(n);
    }
    Ok(out)
}

/// `motcua ledger --from --to -o FILE`.
pub fn ledger_cmd(from: NaiveDate, to: NaiveDate, output: &Path, paths: &Paths) -> Result<()> {
    if to < from {
        bail!("ngày kết thúc {to} trước ngày bắt đầu {from}");
    }
    let store = open_store(paths)?;
    let header = header(&store)?;
    let dossiers = store.received_between(from, to)?;
    let numbers = entry_numbers(&dossiers, |d| Ok(store.ledger_entry(d)?))?;
    let mut rows = Vec::with_capacity(dossiers.len());
    for (d, number) in dossiers.iter().zip(numbers) {
        rows.push(receipt::LedgerRow {
            number: number.to_string(),
            code: d.code.to_string(),
            procedure_name: d.procedure.name.clone(),
            applicant_name: d.applicant.full_name.clone(),
            address: d.applicant.address.clone().unwrap_or_default(),
            phone: d.applicant.phone.clone().unwrap_or_default(),
            handling_agency: header.name.clone(),
            received_at: d.received_at,
            due_at: d.due_at,
            returned_at: store.returned_at(d)?,
            delivery: match d.result_delivery {
                ResultDelivery::Counter => "Trực tiếp".to_string(),
                ResultDelivery::Post { .. } => "Bưu chính".to_string(),
            },
        });
    }
    let data = receipt::LedgerData {
        book: ledger_book(&store, from.year())?,
        header,
        from,
        to,
        rows,
    };
    let bytes = receipt::render_ledger(&data)?;
    write_private(output, &bytes)?;
    println!(
        "Đã tạo sổ theo dõi hồ sơ từ {from} đến {to} ({} hồ sơ) tại {}.",
        dossiers.len(),
        output.display()
    );
    Ok(())
}

/// `motcua print CODE [--printer] [--copies]`: the receipt, to a real printer.
pub fn print_cmd(code: &str, printer: Option<&str>, copies: u32, paths: &Paths) -> Result<()> {
    let (store, d) = load(paths, code)?;
    let (kept, _) = render_and_keep(paths, &store, &d, None)?;
    let configured = config::get(&store, "printer")?;
    let printer = printer.or((!configured.is_empty()).then_some(configured.as_str()));
    let title = format!("GiayTiepNhan-{}", d.code);
    let job = crate::print::print_pdf(&kept, printer, copies, &title).with_context(|| {
        format!(
            "hồ sơ {} vẫn được lưu an toàn; bản PDF để in lại: {}",
            d.code,
            kept.display()
        )
    })?;
    println!(
        "Đã gửi giấy tiếp nhận hồ sơ {} tới máy in {} ({} bản, lệnh in {}).",
        d.code, job.printer, copies, job.id
    );
    Ok(())
}

/// `motcua printers`: what CUPS offers.
pub fn printers_cmd() -> Result<()> {
    let default = crate::print::default_printer()?;
    let list = crate::print::printers()?;
    if list.is_empty() {
        println!("Chưa có máy in nào được cài đặt.");
    }
    for p in list {
        let mark = if default.as_deref() == Some(p.as_str()) {
            " (mặc định)"
        } else {
            ""
        };
        println!("{p}{mark}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_names() {
        assert_eq!(place_from("UBND xã Tân Lập"), "Tân Lập");
        assert_eq!(place_from("Ủy ban nhân dân phường Ba Đình"), "Ba Đình");
        assert_eq!(place_from("Xã Đông Sơn"), "Đông Sơn");
        assert_eq!(place_from("UBND"), "UBND");
    }

    #[test]
    fn entry_numbers_look_up_once_per_year() {
        let base: Dossier =
            serde_json::from_str(include_str!("../../tests/fixtures/dossier.json")).unwrap();
        let at = |s: &str| {
            let mut d = base.clone();
            d.received_at = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
            d
        };
        let list = [
            at("2025-12-31T09:00"),
            at("2025-12-31T10:00"),
            at("2026-01-02T08:00"),
            at("2026-01-02T09:00"),
        ];
        let mut lookups = Vec::new();
        let numbers = entry_numbers(&list, |d| {
            lookups.push(d.received_at.year());
            Ok(if d.received_at.year() == 2025 {
                2740
            } else {
                1
            })
        })
        .unwrap();
        assert_eq!(numbers, [2740, 2741, 1, 2]);
        assert_eq!(lookups, [2025, 2026]);
    }

    #[test]
    fn statutory_times() {
        assert_eq!(statutory_time("3wd"), "03 ngày làm việc");
        assert_eq!(statutory_time("same-day"), "trong ngày");
        assert_eq!(statutory_time("30d"), "30 ngày");
        assert_eq!(statutory_time("4wh"), "04 giờ làm việc");
    }
}
