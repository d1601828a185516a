//! `motcua access-log`: the access log for the office head, with its filters; `motcua
//! correct`: a person's data on a dossier corrected at their request; `motcua person-data`:
//! a person's request to see their data answered.

use super::{date_arg, open, print_json, reviewer};
use crate::cli::out::{self, outln};
use crate::paths::Paths;
use anyhow::Result;
use chrono::NaiveDate;
use motcua_app::access::AccessQuery;
use motcua_app::paths::write_output;
use motcua_core::correction::{CorrectionInput, Role};

#[derive(Debug, clap::Args)]
pub struct AccessLogArgs {
    /// Entries about this citizen's dossiers (applicant, owner or authorised person), by
    /// their whole ID number; the review itself is logged.
    #[arg(long, value_name = "SỐ_ĐỊNH_DANH")]
    id_number: Option<String>,
    /// Entries by this account.
    #[arg(long)]
    clerk: Option<String>,
    /// From this day (YYYY-MM-DD).
    #[arg(long, value_parser = date_arg)]
    from: Option<NaiveDate>,
    /// To this day (YYYY-MM-DD).
    #[arg(long, value_parser = date_arg)]
    to: Option<NaiveDate>,
    /// A single day (YYYY-MM-DD): --from and --to at once.
    #[arg(long, value_parser = date_arg, conflicts_with_all = ["from", "to"])]
    day: Option<NaiveDate>,
    /// Most entries, newest first.
    #[arg(long, default_value_t = 200)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

/// Lists the access log's entries.
pub fn access_log(args: AccessLogArgs, acting: Option<String>, paths: &Paths) -> Result<()> {
    let mut counter = open(paths)?;
    let by = reviewer(&counter, acting.as_deref())?;
    let q = AccessQuery {
        id_number: args.id_number,
        clerk: args.clerk,
        from: args.day.or(args.from),
        to: args.day.or(args.to),
        limit: args.limit,
    };
    let entries = counter.access_log(&q, &by)?;
    if args.json {
        return print_json(&entries);
    }
    if entries.is_empty() {
        outln!("Không có lượt truy cập nào khớp điều kiện lọc.")?;
    }
    for e in entries {
        let at = chrono::DateTime::parse_from_rfc3339(&e.at)
            .map(|t| t.format("%d/%m/%Y %H:%M:%S").to_string())
            .unwrap_or(e.at);
        let mut line = format!(
            "#{}  {at}  {}  {}: {}",
            e.seq,
            e.clerk,
            e.access.action.label(),
            e.access.what
        );
        if let Some(s) = &e.access.subject {
            line.push_str(&format!(" [người được hỏi: {s}]"));
        }
        if !e.access.dossiers.is_empty() {
            line.push_str(&format!(" — hồ sơ: {}", e.access.dossiers.join(", ")));
        }
        outln!("{line}")?;
    }
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct CorrectArgs {
    /// The dossier's code.
    code: String,
    /// The clerk making the correction.
    #[arg(long)]
    clerk: String,
    /// Whose data: applicant (người nộp), owner (chủ hồ sơ) or proxy (người được ủy quyền).
    #[arg(long, default_value = "applicant", value_parser = role_arg)]
    role: Role,
    /// The corrected full name.
    #[arg(long, value_name = "HỌ_TÊN")]
    name: Option<String>,
    /// The corrected ID number (empty clears it).
    #[arg(long, value_name = "SỐ_ĐỊNH_DANH")]
    id_number: Option<String>,
    /// The corrected phone number (empty clears it).
    #[arg(long)]
    phone: Option<String>,
    /// The corrected e-mail address (empty clears it).
    #[arg(long)]
    email: Option<String>,
    /// The corrected address (empty clears it).
    #[arg(long)]
    address: Option<String>,
    /// Why: the person's request and the document shown.
    #[arg(long)]
    reason: String,
}

fn role_arg(s: &str) -> std::result::Result<Role, String> {
    Role::parse(s).ok_or_else(|| "vai trò phải là applicant, owner hoặc proxy".to_string())
}

/// Corrects a person's data on a dossier, journaled with the old values and the reason.
pub fn correct(args: CorrectArgs, paths: &Paths) -> Result<()> {
    let input = CorrectionInput {
        full_name: args.name,
        id_number: args.id_number,
        phone: args.phone,
        email: args.email,
        address: args.address,
    };
    let mut counter = open(paths)?;
    let d = counter.correct(&args.code, args.role, &input, &args.reason, &args.clerk)?;
    let saved = format!("Hồ sơ {} ĐÃ được đính chính", d.code);
    out::after_saving(saved, || {
        outln!(
            "Đã đính chính thông tin {} của hồ sơ {}. Các giấy tờ in từ nay mang thông tin mới.",
            args.role.label(),
            d.code
        )?;
        Ok(())
    })
}

#[derive(Debug, clap::Args)]
pub struct PersonDataArgs {
    /// The person's whole ID number (12 digits).
    #[arg(long, value_name = "SỐ_ĐỊNH_DANH")]
    id_number: String,
    /// Where to write the letter (PDF).
    #[arg(short = 'o', long)]
    output: std::path::PathBuf,
    /// Where to write the same data as JSON.
    #[arg(long, value_name = "TỆP")]
    json: Option<std::path::PathBuf>,
    /// Replace files that exist.
    #[arg(long)]
    force: bool,
}

/// Answers a person's request to see their data: the letter and the JSON file.
pub fn person_data(args: PersonDataArgs, acting: Option<String>, paths: &Paths) -> Result<()> {
    let mut counter = open(paths)?;
    let by = reviewer(&counter, acting.as_deref())?;
    let data = counter.person_data(&args.id_number, &by)?;
    let letter = counter.person_letter(&data)?;
    let existing = super::existing(args.force);
    write_output(&args.output, existing, &letter.pdf)?;
    if let Some(json) = &args.json {
        write_output(json, existing, &data.json()?)?;
    }
    outln!(
        "Đã lập thư trả lời ({} hồ sơ có số định danh {}) tại {}.",
        data.dossiers.len(),
        motcua_core::text::mask_id(&data.id_number),
        args.output.display()
    )?;
    if let Some(json) = &args.json {
        outln!("Dữ liệu dạng JSON tại {}.", json.display())?;
    }
    Ok(())
}
