//! `motcua calendar …`: lunar conversion, holiday tables and appointment dates (no database).
//!
//! Works without an initialised data directory. Office-added yearly schedules are read
//! from `<data_dir>/calendar/*.json` when that folder exists and override the built-in ones
//! and those pulled from the hub for their year (see `assets/calendar/README.md`).

use crate::cli::out::{errln, outln};
use crate::paths::Paths;
use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};
use motcua_core::calendar::{
    LunarDate, Term, WorkCalendar, parse_date, parse_datetime, weekday_vi,
};
use serde_json::json;

/// Calendar subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum CalendarCmd {
    /// Solar date → Vietnamese lunar date (computed at UTC+7).
    Lunar {
        /// Solar date, YYYY-MM-DD.
        date: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Vietnamese lunar date → solar date.
    Solar {
        /// Lunar day (1–30).
        #[arg(long, allow_hyphen_values = true)]
        day: String,
        /// Lunar month (1–12).
        #[arg(long, allow_hyphen_values = true)]
        month: String,
        /// Lunar year.
        #[arg(long, allow_hyphen_values = true)]
        year: String,
        /// The leap month of that number.
        #[arg(long)]
        leap: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Days off (holidays, compensatory, swapped) and make-up working days of a year.
    Holidays {
        /// Solar year (1900–2199).
        #[arg(allow_hyphen_values = true)]
        year: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Due instant (appointment) of a dossier received at a given time.
    Due {
        /// Receipt instant, YYYY-MM-DDTHH:MM (local Vietnam time).
        #[arg(long)]
        received: String,
        /// Term: 3wd (working days), 5d (calendar days), 4wh (working hours), same-day.
        #[arg(long, allow_hyphen_values = true)]
        term: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs one calendar subcommand. The data directory may hold office-added yearly
/// schedules and, once set up, those pulled from the hub.
pub fn run(cmd: CalendarCmd, paths: &Paths) -> Result<()> {
    match cmd {
        CalendarCmd::Lunar { date, json } => lunar(&date, json),
        CalendarCmd::Solar {
            day,
            month,
            year,
            leap,
            json,
        } => solar(&day, &month, &year, leap, json),
        CalendarCmd::Holidays { year, json } => holidays(&year, json, paths),
        CalendarCmd::Due {
            received,
            term,
            json,
        } => due(&received, &term, json, paths),
    }
}

/// The working calendar of this office (built-in schedules, those pulled from the hub,
/// then `<data_dir>/calendar/*.json`; office hours from the settings). Warnings about
/// incomplete files go to stderr.
fn load_calendar(paths: &Paths) -> Result<WorkCalendar> {
    let office = motcua_app::calendar::for_data_dir(paths)?;
    for w in &office.warnings {
        errln!("Cảnh báo: {w}");
    }
    Ok(office.calendar)
}

/// `17/02/2026 (Thứ Ba)`.
fn solar_vi(date: NaiveDate) -> String {
    format!(
        "{} ({})",
        date.format("%d/%m/%Y"),
        weekday_vi(date.weekday())
    )
}

/// `ngày 1 tháng 6 nhuận năm Ất Tỵ (2025)`.
fn lunar_vi(l: &LunarDate) -> String {
    let leap = if l.leap { " nhuận" } else { "" };
    format!(
        "ngày {} tháng {}{leap} năm {} ({})",
        l.day,
        l.month,
        l.year_name(),
        l.year
    )
}

fn lunar(date: &str, json: bool) -> Result<()> {
    let date = parse_date(date)?;
    let l = LunarDate::from_solar(date)?;
    if json {
        let out = json!({"day": l.day, "month": l.month, "year": l.year, "leap": l.leap, "year_name": l.year_name()});
        outln!("{out}")?;
    } else {
        outln!("Dương lịch {} là {} âm lịch.", solar_vi(date), lunar_vi(&l))?;
    }
    Ok(())
}

/// Parses a whole number given on the command line, naming the field in the error.
fn number(what: &str, text: &str) -> Result<i64> {
    match text.trim().parse::<i64>() {
        Ok(n) => Ok(n),
        Err(_) => bail!("{what} «{}» không phải là số nguyên", text.trim()),
    }
}

fn solar(day: &str, month: &str, year: &str, leap: bool, json: bool) -> Result<()> {
    let (day, month, year) = (
        number("ngày", day)?,
        number("tháng", month)?,
        number("năm", year)?,
    );
    if !(1..=30).contains(&day) {
        bail!("ngày âm lịch không hợp lệ: ngày {day} (ngày âm lịch từ 1 đến 30)");
    }
    if !(1..=12).contains(&month) {
        bail!("ngày âm lịch không hợp lệ: tháng {month} (tháng âm lịch từ 1 đến 12)");
    }
    let Ok(year) = i32::try_from(year) else {
        bail!("năm {year} nằm ngoài phạm vi lịch hỗ trợ (1900 – 2199)");
    };
    let l = LunarDate {
        day: day as u32,
        month: month as u32,
        year,
        leap,
    };
    let date = l.to_solar()?;
    if json {
        outln!("{}", json!({"date": date.format("%Y-%m-%d").to_string()}))?;
    } else {
        outln!("Âm lịch {} là dương lịch {}.", lunar_vi(&l), solar_vi(date))?;
    }
    Ok(())
}

fn holidays(year: &str, json: bool, paths: &Paths) -> Result<()> {
    let year = number("năm", year)?;
    let Ok(year) = i32::try_from(year) else {
        bail!("năm {year} nằm ngoài phạm vi lịch hỗ trợ (1900 – 2199)");
    };
    let cal = load_calendar(paths)?;
    let days = cal.days_of_year(year)?;
    if json {
        let out: Vec<_> = days
            .iter()
            .map(|e| json!({"date": e.date.format("%Y-%m-%d").to_string(), "name": e.name, "kind": e.kind.as_str()}))
            .collect();
        outln!("{}", serde_json::Value::Array(out))?;
        return Ok(());
    }
    let origin = if cal.schedule(year).is_some() {
        "theo lịch công bố"
    } else {
        "tính theo Bộ luật Lao động, chưa có lịch công bố"
    };
    outln!("Ngày nghỉ lễ, Tết năm {year} ({origin}):")?;
    for e in days {
        let unsure = if e.confirmed {
            ""
        } else {
            " (chưa xác nhận)"
        };
        outln!(
            "  {}  {} – {}{unsure}",
            solar_vi(e.date),
            e.name,
            e.kind.label_vi()
        )?;
    }
    Ok(())
}

fn due(received: &str, term: &str, json: bool, paths: &Paths) -> Result<()> {
    let received = parse_datetime(received)?;
    let term: Term = term.parse()?;
    let cal = load_calendar(paths)?;
    let due = cal.due(received, term)?;
    if json {
        let skipped: Vec<_> = due
            .skipped
            .iter()
            .map(|s| json!({"date": s.date.format("%Y-%m-%d").to_string(), "name": s.name}))
            .collect();
        let out = json!({"due": due.at.format("%Y-%m-%dT%H:%M").to_string(), "skipped": skipped});
        outln!("{out}")?;
    } else {
        outln!("{}", cal.explain_vi(&due))?;
    }
    Ok(())
}
