//! `motcua access-log`: the access log for the office head, with its filters.

use super::{admin, date_arg, open, print_json};
use crate::cli::out::outln;
use crate::paths::Paths;
use anyhow::Result;
use chrono::NaiveDate;
use motcua_app::access::AccessQuery;

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
    let by = admin(&counter, acting.as_deref())?;
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
