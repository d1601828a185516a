//! `motcua receive | list | show | transition | card-qr`: the dossier register.

use super::{open, parse_local_time, print_json};
use crate::cli::out::{self, errln, outln};
use crate::paths::Paths;
use anyhow::Result;
use motcua_app::change::{Change, Paper};
use motcua_app::clock::{Clock, SystemClock};
use motcua_app::{ReceiveForm, Shown};
use motcua_core::dossier::{Channel, DossierInput, PartyKind, parse_document_arg};
use motcua_core::status::Status;

/// Arguments of `motcua receive`.
#[derive(Debug, clap::Args)]
pub struct ReceiveArgs {
    /// Username of the receiving clerk.
    #[arg(long)]
    clerk: String,
    /// National procedure code, e.g. 1.001193.
    #[arg(long)]
    procedure: String,
    /// Applicant's full name (of the person, or of the organisation with --organisation).
    #[arg(long)]
    applicant: String,
    /// The applicant is an organisation (tổ chức): --id-number is then its code (mã số
    /// doanh nghiệp / mã số thuế, 10 digits or 10-3) and --representative its legal
    /// representative.
    #[arg(long)]
    organisation: bool,
    /// The organisation's legal representative (người đại diện).
    #[arg(long, requires = "organisation")]
    representative: Option<String>,
    /// Personal identification number (12 digits), or the organisation's code.
    #[arg(long)]
    id_number: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    address: Option<String>,
    /// The dossier's owner (chủ hồ sơ) when not the applicant.
    #[arg(long)]
    owner: Option<String>,
    #[arg(long)]
    owner_id_number: Option<String>,
    #[arg(long)]
    owner_address: Option<String>,
    /// The authorised person (người được ủy quyền) handing the dossier in on the
    /// applicant's behalf.
    #[arg(long)]
    proxy: Option<String>,
    #[arg(long, requires = "proxy")]
    proxy_id_number: Option<String>,
    #[arg(long, requires = "proxy")]
    proxy_address: Option<String>,
    #[arg(long, requires = "proxy")]
    proxy_phone: Option<String>,
    #[arg(long, requires = "proxy")]
    proxy_email: Option<String>,
    /// The authorisation document (giấy tờ ủy quyền), e.g. "Giấy ủy quyền số 12/UQ ngày
    /// 01/12/2026", or the relationship when the law needs none.
    #[arg(long, requires = "proxy")]
    proxy_authorisation: Option<String>,
    /// The procedure's case (trường hợp), by its catalogue code (or its suffix, or
    /// CODE#N where the record gives two cases one code).
    #[arg(long = "case")]
    case_code: Option<String>,
    /// The processing term from the posted procedure listing ("5 ngày làm việc",
    /// "15 ngày", "4 giờ làm việc", "12 giờ", "2 tháng", "trong ngày") when the
    /// catalogue has none confirmed.
    #[arg(long = "term")]
    term_typed: Option<String>,
    /// Where the record publishes terms that disagree for the case and channel: which
    /// one applies, by its number in the list the refusal (or `catalog show`) gives.
    #[arg(long = "term-choice")]
    term_choice: Option<String>,
    /// Where the law sets no term: the appointment ("20/12/2026" or "20/12/2026 10:00").
    #[arg(long)]
    appointment: Option<String>,
    /// A document handed in, as "NAME:KIND:COUNT" (KIND: bản chính | bản sao | bản sao chứng thực).
    #[arg(long = "document")]
    documents: Vec<String>,
    /// Number of sets (bộ).
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    sets: i64,
    /// How the dossier arrived.
    #[arg(long, default_value = "direct", value_parser = ["direct", "postal"])]
    channel: String,
    /// Return the result by post to this address (default: at the counter).
    #[arg(long)]
    post_address: Option<String>,
    /// Fee collected, in đồng.
    #[arg(long, allow_negative_numbers = true)]
    fee: Option<i64>,
    #[arg(long)]
    note: Option<String>,
    /// Local time of receipt, YYYY-MM-DDTHH:MM (default: now); at most 30 days back.
    #[arg(long)]
    received_at: Option<String>,
    /// Idempotency key (1-100 printable ASCII characters): a retry with the same key
    /// prints the dossier the first attempt saved and saves nothing new.
    #[arg(long)]
    request_id: Option<String>,
    #[arg(long)]
    json: bool,
}

/// Receives one dossier and prints its code, lookup secret and appointment.
pub fn receive(args: ReceiveArgs, paths: &Paths) -> Result<()> {
    let received_at = args
        .received_at
        .as_deref()
        .map(parse_local_time)
        .transpose()?;
    let mut refused = Vec::new();
    let documents = args
        .documents
        .iter()
        .filter_map(|d| parse_document_arg(d).map_err(|e| refused.push(e)).ok())
        .collect();
    if !refused.is_empty() {
        return Err(motcua_app::AppError::Invalid(refused).into());
    }
    let form = ReceiveForm {
        clerk: args.clerk,
        procedure: args.procedure,
        input: DossierInput {
            applicant_kind: if args.organisation {
                PartyKind::Organisation
            } else {
                PartyKind::Person
            },
            representative: args.representative,
            proxy_name: args.proxy,
            proxy_id_number: args.proxy_id_number,
            proxy_address: args.proxy_address,
            proxy_phone: args.proxy_phone,
            proxy_email: args.proxy_email,
            proxy_authorisation: args.proxy_authorisation,
            case_code: args.case_code,
            term_typed: args.term_typed,
            term_choice: args.term_choice,
            appointment: args.appointment,
            applicant_name: args.applicant,
            id_number: args.id_number,
            phone: args.phone,
            email: args.email,
            address: args.address,
            owner_name: args.owner,
            owner_id_number: args.owner_id_number,
            owner_address: args.owner_address,
            documents,
            sets: args.sets,
            channel: if args.channel == "postal" {
                Channel::Postal
            } else {
                Channel::Direct
            },
            post_address: args.post_address,
            fee: args.fee,
            note: args.note,
        },
        received_at,
        request_id: args.request_id,
    };
    let r = open(paths)?.receive(&form)?;
    if r.replayed {
        errln!(
            "Yêu cầu này đã được ghi nhận trước đó (cùng mã yêu cầu): không lưu thêm hồ sơ nào."
        );
    }
    let saved = format!(
        "Hồ sơ {code} ĐÃ được tiếp nhận và lưu (in lại giấy tiếp nhận: motcua receipt {code} -o TỆP)",
        code = r.dossier.code
    );
    out::after_saving(saved, || {
        if args.json {
            return print_json(&r.dossier);
        }
        outln!(
            "Đã tiếp nhận hồ sơ {} — mã tra cứu {} — hẹn trả: {}",
            r.dossier.code,
            r.dossier.lookup_secret,
            r.due.at.format("%H:%M ngày %d/%m/%Y")
        )?;
        outln!("{}", r.due.explanation)?;
        Ok(())
    })
}

/// Arguments of `motcua list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Words to find in name, address, code, ID number or phone (marks optional).
    #[arg(long)]
    search: Option<String>,
    /// Only dossiers in this status (received, processing, …).
    #[arg(long)]
    status: Option<String>,
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

/// Lists or searches the register, newest first.
pub fn list(args: ListArgs, paths: &Paths) -> Result<()> {
    let status = args
        .status
        .as_deref()
        .map(str::parse::<Status>)
        .transpose()?;
    let rows = open(paths)?.search(args.search.as_deref().unwrap_or(""), status, args.limit)?;
    if args.json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        outln!("Không có hồ sơ nào.")?;
    }
    for r in rows {
        outln!(
            "{}  {}  {}  {}  {}",
            r.code,
            r.received_at.format("%d/%m/%Y %H:%M"),
            r.status.label(),
            match &r.id_masked {
                Some(id) => format!("{} ({id})", r.applicant_name),
                None => r.applicant_name.clone(),
            },
            r.procedure_name
        )?;
    }
    Ok(())
}

/// Shows one dossier.
pub fn show(code: &str, json: bool, paths: &Paths) -> Result<()> {
    let shown = open(paths)?.show(code)?;
    if json {
        return print_json(&shown);
    }
    print_human(&shown)
}

fn print_human(s: &Shown) -> Result<()> {
    let d = &s.dossier;
    outln!("Mã hồ sơ: {}   Mã tra cứu: {}", d.code, d.lookup_secret)?;
    outln!("Người nộp: {}", d.applicant.full_name)?;
    outln!("Thủ tục: {} {}", d.procedure.code, d.procedure.name)?;
    outln!("Nhận lúc: {}", d.received_at.format("%H:%M ngày %d/%m/%Y"))?;
    if let Some(due) = d.due_at {
        outln!("Hẹn trả: {}", due.format("%H:%M ngày %d/%m/%Y"))?;
    }
    outln!(
        "Trạng thái: {}{}",
        s.status_label,
        if s.overdue { " (QUÁ HẠN)" } else { "" }
    )?;
    for (i, doc) in d.documents.iter().enumerate() {
        outln!(
            "  {}. {} ({}, {} bản)",
            i + 1,
            doc.name,
            doc.kind.label(),
            doc.count
        )?;
    }
    Ok(())
}

/// Parses the chip ID card's QR and prints the prefill (no database needed).
pub fn card_qr(text: &str, json: bool) -> Result<()> {
    let p = motcua_core::identity::parse_card_qr(text, SystemClock.now().date_naive())?;
    if json {
        return print_json(&p);
    }
    outln!("Số định danh: {}", motcua_core::text::mask_id(&p.id_number))?;
    outln!("Họ và tên: {}", p.full_name)?;
    outln!(
        "Ngày sinh: {}   Giới tính: {}",
        p.birth_date.format("%d/%m/%Y"),
        p.sex.label()
    )?;
    outln!("Nơi thường trú: {}", p.address)?;
    outln!("Ngày cấp: {}", p.issued_on.format("%d/%m/%Y"))?;
    Ok(())
}

/// Changes a dossier's status.
pub fn transition(
    code: &str,
    status: &str,
    clerk: &str,
    note: Option<&str>,
    paths: &Paths,
) -> Result<()> {
    let to: Status = status.parse()?;
    let change = Change::Status {
        to,
        note: note.map(str::to_string),
    };
    // The form the change carries (Mẫu 02, 03 or 05) is kept, not printed: `motcua form`
    // writes it out, `motcua print` is for receipts.
    let changed = open(paths)?.change(code, change, clerk, &Paper::Keep)?;
    let d = changed.dossier;
    let saved = format!(
        "Hồ sơ {} ĐÃ chuyển sang trạng thái «{}»",
        d.code,
        d.status.label()
    );
    out::after_saving(saved, || {
        outln!(
            "Hồ sơ {} chuyển sang trạng thái «{}».",
            d.code,
            d.status.label()
        )?;
        if let Some(form) = &changed.form {
            outln!(
                "Đã lập {} và lưu tại {}.",
                form.form.title_vi(form.set),
                form.kept.display()
            )?;
        }
        Ok(())
    })
}
