//! `motcua receive | list | show | transition`: the dossier register.

use super::{now_vn, open_store, parse_local_time, print_json};
use crate::paths::Paths;
use anyhow::{Result, bail};
use chrono::NaiveDateTime;
use motcua_core::code::DossierCode;
use motcua_core::dossier::{Channel, Dossier, DossierInput, ProcedureRef, parse_document_arg};
use motcua_core::status::Status;
use motcua_store::ReceiveRequest;
use serde::Serialize;

/// How far ahead of the station clock a typed receipt time may be (clock drift between
/// the clerk's watch and the PC).
const FUTURE_TOLERANCE_MINUTES: i64 = 10;

/// Arguments of `motcua receive`.
#[derive(Debug, clap::Args)]
pub struct ReceiveArgs {
    /// Username of the receiving clerk.
    #[arg(long)]
    clerk: String,
    /// National procedure code, e.g. 1.001193.
    #[arg(long)]
    procedure: String,
    /// Applicant's full name.
    #[arg(long)]
    applicant: String,
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
    /// Local time of receipt, YYYY-MM-DDTHH:MM (default: now).
    #[arg(long)]
    received_at: Option<String>,
    #[arg(long)]
    json: bool,
}

/// Receives one dossier and prints its code, lookup secret and appointment.
pub fn receive(args: ReceiveArgs, paths: &Paths) -> Result<()> {
    let now = now_vn();
    let received_at = match &args.received_at {
        Some(t) => parse_local_time(t)?,
        None => now.naive_local(),
    };
    if received_at > now.naive_local() + chrono::Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
        bail!("thời gian nhận hồ sơ {received_at} ở tương lai so với đồng hồ máy");
    }
    let input = DossierInput {
        applicant_name: args.applicant,
        id_number: args.id_number,
        phone: args.phone,
        email: args.email,
        address: args.address,
        owner_name: args.owner,
        owner_id_number: args.owner_id_number,
        owner_address: args.owner_address,
        documents: args
            .documents
            .iter()
            .map(|d| parse_document_arg(d))
            .collect(),
        sets: args.sets,
        channel: if args.channel == "postal" {
            Channel::Postal
        } else {
            Channel::Direct
        },
        post_address: args.post_address,
        fee: args.fee,
        note: args.note,
    };
    let valid = input
        .validate(now.date_naive())
        .map_err(motcua_store::StoreError::Invalid)?;
    let mut store = open_store(paths)?;
    let (procedure, version) = store.procedure(&args.procedure)?;
    let (due_at, explanation) = due_for_term(&procedure.term, received_at, paths)?;
    let req = ReceiveRequest {
        input: valid,
        procedure: ProcedureRef {
            code: procedure.code,
            name: procedure.name,
            catalog_version: version,
            term: procedure.term,
        },
        received_at,
        due_at: Some(due_at),
        clerk: args.clerk,
    };
    let d = store.receive(&req, now)?;
    if args.json {
        print_json(&d)
    } else {
        println!(
            "Đã tiếp nhận hồ sơ {} — mã tra cứu {} — hẹn trả: {}",
            d.code,
            d.lookup_secret,
            due_at.format("%H:%M ngày %d/%m/%Y")
        );
        println!("{explanation}");
        Ok(())
    }
}

/// The appointment for a procedure term on the working-day calendar (built-in yearly
/// schedules plus those the office added), with the clerk's explanation of the date.
pub fn due_for_term(
    term: &str,
    received_at: NaiveDateTime,
    paths: &Paths,
) -> Result<(NaiveDateTime, String)> {
    let term: motcua_core::calendar::Term = term.parse()?;
    let calendar = super::calendar::load_calendar(&paths.data_dir)?;
    let due = calendar.due(received_at, term)?;
    Ok((due.at, calendar.explain_vi(&due)))
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
    let store = open_store(paths)?;
    let rows = store.search(args.search.as_deref().unwrap_or(""), status, args.limit)?;
    if args.json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        println!("Không có hồ sơ nào.");
    }
    for r in rows {
        println!(
            "{}  {}  {}  {}  {}",
            r.code,
            r.received_at.format("%d/%m/%Y %H:%M"),
            r.status.label(),
            r.applicant_name,
            r.procedure_name
        );
    }
    Ok(())
}

/// A dossier as `show` prints it: the record plus what is derived from it now.
#[derive(Debug, Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    dossier: &'a Dossier,
    status_label: &'static str,
    /// Derived, never stored: pending and past its appointment.
    overdue: bool,
    ledger_entry: u64,
}

/// Whether a pending dossier is past its appointment at `now`.
fn is_overdue(d: &Dossier, now: NaiveDateTime) -> bool {
    !d.status.is_finished() && d.due_at.is_some_and(|due| now > due)
}

fn parse_code(code: &str) -> Result<DossierCode> {
    Ok(code.parse::<DossierCode>()?)
}

/// Shows one dossier.
pub fn show(code: &str, json: bool, paths: &Paths) -> Result<()> {
    let code = parse_code(code)?;
    let store = open_store(paths)?;
    let d = store.dossier(&code)?;
    let shown = Shown {
        dossier: &d,
        status_label: d.status.label(),
        overdue: is_overdue(&d, now_vn().naive_local()),
        ledger_entry: store.ledger_entry(&d)?,
    };
    if json {
        return print_json(&shown);
    }
    print_human(&shown);
    Ok(())
}

fn print_human(s: &Shown<'_>) {
    let d = s.dossier;
    println!("Mã hồ sơ: {}   Mã tra cứu: {}", d.code, d.lookup_secret);
    println!("Người nộp: {}", d.applicant.full_name);
    println!("Thủ tục: {} {}", d.procedure.code, d.procedure.name);
    println!("Nhận lúc: {}", d.received_at.format("%H:%M ngày %d/%m/%Y"));
    if let Some(due) = d.due_at {
        println!("Hẹn trả: {}", due.format("%H:%M ngày %d/%m/%Y"));
    }
    println!(
        "Trạng thái: {}{}",
        s.status_label,
        if s.overdue { " (QUÁ HẠN)" } else { "" }
    );
    for (i, doc) in d.documents.iter().enumerate() {
        println!(
            "  {}. {} ({}, {} bản)",
            i + 1,
            doc.name,
            doc.kind.label(),
            doc.count
        );
    }
}

/// Parses the chip ID card's QR and prints the prefill (no database needed).
pub fn card_qr(text: &str, json: bool) -> Result<()> {
    let p = motcua_core::identity::parse_card_qr(text, now_vn().date_naive())?;
    if json {
        return print_json(&p);
    }
    println!("Số định danh: {}", motcua_core::text::mask_id(&p.id_number));
    println!("Họ và tên: {}", p.full_name);
    println!(
        "Ngày sinh: {}   Giới tính: {}",
        p.birth_date.format("%d/%m/%Y"),
        p.sex.label()
    );
    println!("Nơi thường trú: {}", p.address);
    println!("Ngày cấp: {}", p.issued_on.format("%d/%m/%Y"));
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
    let code = parse_code(code)?;
    let to: Status = status.parse()?;
    let mut store = open_store(paths)?;
    let d = store.transition(&code, to, clerk, note, now_vn())?;
    println!(
        "Hồ sơ {} chuyển sang trạng thái «{}».",
        d.code,
        d.status.label()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_is_derived() {
        let mut d: Dossier =
            serde_json::from_str(include_str!("../../tests/fixtures/dossier.json")).unwrap();
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
        d.due_at = Some(t("2026-04-29T17:00"));
        assert!(!is_overdue(&d, t("2026-04-29T17:00")));
        assert!(is_overdue(&d, t("2026-05-04T08:00")));
        d.status = Status::Returned;
        assert!(!is_overdue(&d, t("2026-05-04T08:00")));
    }
}
