//! Where the app keeps its files. The only place that resolves directories: the data
//! directory is `--data-dir`, else `MOTCUA_DATA_DIR`, else the platform's data directory
//! (`~/.local/share/motcua` on Linux, `%APPDATA%\motcua\data` on Windows).

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Every file and folder of one station.
#[derive(Debug, Clone)]
pub struct Paths {
    pub data_dir: PathBuf,
    /// The counter database.
    pub db: PathBuf,
    /// The station's Ed25519 secret key (0600).
    pub key: PathBuf,
    /// Rendered forms kept for reprint.
    pub receipts: PathBuf,
}

impl Paths {
    /// Resolves the data directory (nothing is created).
    pub fn resolve(explicit: Option<PathBuf>) -> Result<Paths> {
        let data_dir = match explicit {
            Some(d) => d,
            None => directories::ProjectDirs::from("vn", "motcua", "motcua")
                .map(|p| p.data_dir().to_path_buf())
                .context("không xác định được thư mục dữ liệu; hãy dùng --data-dir")?,
        };
        Ok(Paths {
            db: data_dir.join("motcua.sqlite"),
            key: data_dir.join("station.key"),
            receipts: data_dir.join("receipts"),
            data_dir,
        })
    }

    /// Creates the data directory, readable by the owner only (0700).
    pub fn create_data_dir(&self) -> Result<()> {
        create_private_dir(&self.data_dir)
    }
}

/// Creates `dir` (and parents) with mode 0700 for the last component.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("không tạo được thư mục {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("không đặt được quyền cho {}", dir.display()))?;
    }
    Ok(())
}
