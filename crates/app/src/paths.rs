//! Every file and folder of one station, named in one place. The data directory itself is
//! chosen by the binary (`--data-dir`, `MOTCUA_DATA_DIR` or the platform's data folder);
//! everything inside it is named here.

use crate::error::AppError;
use std::path::{Path, PathBuf};

/// The files of one station's data directory.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Paths {
    /// The data directory (0700).
    pub data_dir: PathBuf,
    /// The counter database (0600).
    pub db: PathBuf,
    /// The station's Ed25519 secret key, which signs the journal (0600).
    pub key: PathBuf,
    /// Rendered forms kept for reprint: `receipts/<year>/<code>-<form>.pdf`.
    pub receipts: PathBuf,
    /// The office's own yearly holiday schedules (`calendar/<year>.json`), which override
    /// the built-in ones and those pulled from the hub.
    pub calendar: PathBuf,
    /// The bearer credential the hub issued at enrolment (0600, never printed).
    pub sync_credential: PathBuf,
    /// The hub's private CA certificate, when one was given at enrolment.
    pub hub_ca: PathBuf,
    /// Held (an OS file lock) by whoever is pushing to the hub, so the window and a
    /// `motcua sync run` service never push at once; the OS drops it if the holder dies.
    pub sync_lock: PathBuf,
}

impl Paths {
    /// The files of the station whose data directory is `data_dir` (nothing is created).
    pub fn in_dir(data_dir: impl Into<PathBuf>) -> Paths {
        let data_dir = data_dir.into();
        Paths {
            db: data_dir.join("motcua.sqlite"),
            key: data_dir.join("station.key"),
            receipts: data_dir.join("receipts"),
            calendar: data_dir.join("calendar"),
            sync_credential: data_dir.join("sync.credential"),
            hub_ca: data_dir.join("hub-ca.pem"),
            sync_lock: data_dir.join("sync.lock"),
            data_dir,
        }
    }

    /// Where the copy of form `form` (`mau01`, `mau02`, …) of dossier `code`, received in
    /// `year`, is kept for reprint.
    pub fn kept_form(&self, year: i32, code: &str, form: &str) -> PathBuf {
        self.receipts
            .join(year.to_string())
            .join(format!("{code}-{form}.pdf"))
    }

    /// Creates the data directory, readable by the owner only (0700).
    pub fn create_data_dir(&self) -> Result<(), AppError> {
        create_private_dir(&self.data_dir)
    }
}

/// Creates `dir` (and parents) with mode 0700 for the last component.
pub fn create_private_dir(dir: &Path) -> Result<(), AppError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| AppError::file(format!("không tạo được thư mục {}", dir.display()), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| {
            AppError::file(format!("không đặt được quyền cho {}", dir.display()), e)
        })?;
    }
    Ok(())
}

/// Writes `bytes` to `path`, owner-only (the forms carry personal data), and syncs it.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let fail = |e| AppError::file(format!("không ghi được tệp {}", path.display()), e);
    let mut f = opts.open(path).map_err(fail)?;
    f.write_all(bytes).and_then(|()| f.sync_all()).map_err(fail)
}

/// Replaces `path` with `bytes`, owner-only, through a temporary file renamed over it: a
/// crash leaves the old file or the new one, never half of one. Not synced to disk: for
/// copies that can be made again from the register (the kept forms), where an fsync
/// would only slow the counter down.
pub fn replace_private(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    use std::io::Write;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let fail = |e| AppError::file(format!("không ghi được tệp {}", path.display()), e);
    opts.open(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaced_files_are_private_and_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        replace_private(&p, b"one").unwrap();
        replace_private(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert!(!dir.path().join("a.pdf.tmp").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn every_file_lives_in_the_data_directory() {
        let p = Paths::in_dir("/d");
        for f in [
            &p.db,
            &p.key,
            &p.receipts,
            &p.calendar,
            &p.sync_credential,
            &p.hub_ca,
            &p.sync_lock,
        ] {
            assert_eq!(f.parent(), Some(Path::new("/d")), "{}", f.display());
        }
        assert_eq!(
            p.kept_form(2026, "000.17.22.H56-261125-0001", "mau01"),
            Path::new("/d/receipts/2026/000.17.22.H56-261125-0001-mau01.pdf")
        );
    }
}
