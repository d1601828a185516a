//! Where the app keeps its data: the only place that resolves the data directory — the
//! `--data-dir` flag, else `MOTCUA_DATA_DIR`, else the platform's data directory:
//! `~/.local/share/motcua` on Linux, `%LOCALAPPDATA%\motcua` on Windows (the local,
//! not the roaming, application data: a roaming profile is copied to a server at log-off,
//! which an open SQLite database does not survive). The files inside it are named by the
//! application layer's [`motcua_app::Paths`].

use anyhow::{Context, Result};
use std::path::PathBuf;

pub use motcua_app::Paths;

/// Resolves the data directory (nothing is created).
pub fn resolve(explicit: Option<PathBuf>) -> Result<Paths> {
    let data_dir = match explicit {
        Some(d) => d,
        None => platform_data_dir()
            .context("không xác định được thư mục dữ liệu; hãy dùng --data-dir")?,
    };
    Ok(Paths::in_dir(data_dir))
}

/// The platform's data directory for the app.
fn platform_data_dir() -> Option<PathBuf> {
    if cfg!(windows) {
        directories::BaseDirs::new().map(|b| b.data_local_dir().join("motcua"))
    } else {
        directories::ProjectDirs::from("vn", "motcua", "motcua").map(|p| p.data_dir().to_path_buf())
    }
}
