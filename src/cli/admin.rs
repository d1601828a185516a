//! `motcua verify | backup | restore`: support staff's tools.

use super::{open, print_json};
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
        println!(
            "Nhật ký toàn vẹn: {} sự kiện, {} hồ sơ; đầu nhật ký đã ký hợp lệ (sự kiện số {}).",
            summary.events, summary.dossiers, summary.head_seq
        );
        Ok(())
    }
}

/// Writes an online backup copy.
pub fn backup(out: &Path, paths: &Paths) -> Result<()> {
    open(paths)?.backup(out)?;
    println!("Đã sao lưu vào {}.", out.display());
    Ok(())
}

/// Replaces the database with a backup (the current one is kept aside).
pub fn restore(file: &Path, paths: &Paths) -> Result<()> {
    let r = Counter::restore(paths, &Env::system(), file)?;
    if let Some(a) = r.aside {
        println!("Cơ sở dữ liệu cũ được giữ lại tại {}.", a.display());
    }
    println!(
        "Đã khôi phục từ {}: {} hồ sơ, nhật ký toàn vẹn ({} sự kiện).",
        file.display(),
        r.summary.dossiers,
        r.summary.events
    );
    Ok(())
}
