//! Command-line interface: one module per command group. Each command parses its
//! arguments, calls the application layer (`motcua_app`) and prints what it returns.

pub mod admin;
pub mod at_rest;
pub mod calendar;
pub mod catalog;
pub mod config;
pub mod dev;
pub mod dossier;
pub mod forms;
pub mod out;
pub mod privacy;
pub mod recover;
pub mod report;
pub mod station;
pub mod sync;
pub mod user;

use crate::cli::out::outln;
use crate::paths::Paths;
use anyhow::Result;
use chrono::NaiveDateTime;
use motcua_app::{Counter, Env};

/// The account named with `--as`, set once by `main` before any command runs.
pub static ACTING: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Opens the set-up station of `paths` on the machine's clock and printers. A damaged
/// high-water mark is said on stderr: reading goes on, receiving is refused.
pub fn open(paths: &Paths) -> Result<Counter> {
    let mut counter = Counter::open(paths.clone(), Env::system())?;
    // Reads are logged under the account named with `--as`, else the station's owner.
    if let Some(Some(acting)) = ACTING.get() {
        counter.set_reader(Some(acting))?;
    }
    if let Some(warning) = counter.mark_damaged() {
        crate::cli::out::errln!("Cảnh báo: {warning}");
    }
    Ok(counter)
}

/// The admin rights a command acts with: those of the account named by `--as` (refused
/// unless it is an active admin, as in the window), else the data directory's owner's.
pub fn admin(counter: &Counter, acting: Option<&str>) -> Result<motcua_app::Admin> {
    Ok(match acting {
        Some(username) => counter.admin(username)?,
        None => counter.station_owner(),
    })
}

/// The review rights a command acts with (the access log, a person's request): those of
/// the account named by `--as` (an active admin or office head), else the data
/// directory's owner's.
pub fn reviewer(counter: &Counter, acting: Option<&str>) -> Result<motcua_app::Reviewer> {
    Ok(match acting {
        Some(username) => counter.reviewer(username)?,
        None => motcua_app::Reviewer::from(&counter.station_owner()),
    })
}

/// Parses a local Vietnam time `YYYY-MM-DDTHH:MM` (seconds optional). The message is
/// Vietnamese only (the date library's English reason is not passed on).
pub fn parse_local_time(s: &str) -> Result<NaiveDateTime> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .map_err(|_| {
            anyhow::anyhow!(
                "thời gian «{}» không có thật hoặc không đúng dạng năm-tháng-ngàyTgiờ:phút (ví dụ 2026-11-25T09:30)",
                s.chars().take(40).collect::<String>()
            )
        })
}

/// A date argument `YYYY-MM-DD` (clap's value parser), refused in Vietnamese.
pub fn date_arg(s: &str) -> std::result::Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        format!(
            "ngày «{}» không có thật hoặc không đúng dạng năm-tháng-ngày (ví dụ 2026-11-25)",
            s.chars().take(40).collect::<String>()
        )
    })
}

/// What an output file command does with an existing file: replace it with `--force`.
pub fn existing(force: bool) -> motcua_app::paths::Existing {
    if force {
        motcua_app::paths::Existing::Replace
    } else {
        motcua_app::paths::Existing::Refuse
    }
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(v: &T) -> Result<()> {
    outln!("{}", serde_json::to_string_pretty(v)?)?;
    Ok(())
}
