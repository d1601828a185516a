//! `motcua verify | backup | restore`: support staff's tools.

use super::{open, print_json};
use crate::cli::out::{self, outln};
use crate::paths::Paths;
use anyhow::Result;
use motcua_app::{Counter, Env};
use std::path::Path;

/// Checks the journal chain, the signed head and the register; exits non-zero on the
/// first problem, naming the event.
pub fn verify(json: bool, paths: &Paths) -> Result<()> {
    let summary = open(paths)?.verify()?;
    if json {
        print_json(&summary)
    } else {
        outln!(
            "Nhật ký toàn vẹn: {} sự kiện, {} hồ sơ; đầu nhật ký đã ký hợp lệ (sự kiện số {}).",
            summary.events,
            summary.dossiers,
            summary.head_seq
        )?;
        Ok(())
    }
}

/// Writes an online backup copy (an existing file only with `force`; never through a link).
pub fn backup(output: &Path, force: bool, acting: Option<String>, paths: &Paths) -> Result<()> {
    let counter = open(paths)?;
    let by = super::admin(&counter, acting.as_deref())?;
    counter.backup_to(&by, output, super::existing(force))?;
    let saved = format!("Bản sao lưu ĐÃ được ghi vào {}", output.display());
    out::after_saving(saved, || {
        outln!("Đã sao lưu vào {}.", output.display())?;
        Ok(())
    })
}

/// Replaces the database with a backup (the current one is kept aside).
pub fn restore(file: &Path, paths: &Paths) -> Result<()> {
    let r = Counter::restore(paths, &Env::system(), file)?;
    let saved = match &r.aside {
        Some(a) => format!(
            "Đã khôi phục từ {}; cơ sở dữ liệu cũ được giữ lại tại {}",
            file.display(),
            a.display()
        ),
        None => format!("Đã khôi phục từ {}", file.display()),
    };
    out::after_saving(saved, || {
        if let Some(a) = &r.aside {
            outln!("Cơ sở dữ liệu cũ được giữ lại tại {}.", a.display())?;
        }
        outln!(
            "Đã khôi phục từ {}: {} hồ sơ, nhật ký toàn vẹn ({} sự kiện).",
            file.display(),
            r.summary.dossiers,
            r.summary.events
        )?;
        for line in r.recovery.lines() {
            outln!("{line}")?;
        }
        Ok(())
    })
}
