//! Command-line interface: one module per command group, plus what they share.

pub mod admin;
pub mod calendar;
pub mod catalog;
pub mod config;
pub mod dev;
pub mod dossier;
pub mod forms;
pub mod station;
pub mod sync;
pub mod user;

use crate::paths::Paths;
use anyhow::{Context, Result, bail};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use motcua_store::Store;

/// The current instant in Vietnam time.
pub fn now_vn() -> DateTime<FixedOffset> {
    chrono::Utc::now().with_timezone(&motcua_core::vn_offset())
}

/// Opens the initialised station's database with its signing key.
pub fn open_store(paths: &Paths) -> Result<Store> {
    if !paths.db.exists() {
        bail!(
            "chưa có dữ liệu quầy tại {}; hãy chạy «motcua init» trước",
            paths.data_dir.display()
        );
    }
    let store = Store::open(&paths.db)?;
    store.station()?;
    let key = motcua_store::keys::load(&paths.key)
        .with_context(|| format!("không đọc được khóa quầy {}", paths.key.display()))?;
    Ok(store.with_signer(key))
}

/// Parses a local Vietnam time `YYYY-MM-DDTHH:MM` (seconds optional).
pub fn parse_local_time(s: &str) -> Result<NaiveDateTime> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .with_context(|| {
            format!(
                "thời gian «{}» không hợp lệ (dạng 2026-11-25T09:30)",
                s.chars().take(40).collect::<String>()
            )
        })
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(v: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}
