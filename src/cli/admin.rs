//! `motcua verify | backup | restore`: support staff's tools.

use super::{now_vn, open_store, print_json};
use crate::paths::Paths;
use anyhow::Result;
use motcua_store::Store;
use std::path::Path;

/// Checks the journal chain, the signed head and the register; exits non-zero on the
/// first problem, naming the event.
pub fn verify(json: bool, paths: &Paths) -> Result<()> {
    let store = open_store(paths)?;
    let summary = store.verify()?;
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
    let store = open_store(paths)?;
    store.backup(out)?;
    println!("Đã sao lưu vào {}.", out.display());
    Ok(())
}

/// Replaces the database with a backup (the current one is kept aside).
pub fn restore(file: &Path, paths: &Paths) -> Result<()> {
    paths.create_data_dir()?;
    let stamp = now_vn().format("%Y%m%d%H%M%S").to_string();
    let aside = Store::restore(file, &paths.db, &stamp)?;
    let store = open_store(paths)?;
    let summary = store.verify()?;
    if let Some(a) = aside {
        println!("Cơ sở dữ liệu cũ được giữ lại tại {}.", a.display());
    }
    println!(
        "Đã khôi phục từ {}: {} hồ sơ, nhật ký toàn vẹn ({} sự kiện).",
        file.display(),
        summary.dossiers,
        summary.events
    );
    Ok(())
}
