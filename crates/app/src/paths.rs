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

/// Creates `dir` (and parents), the last component readable by the app's user only:
/// mode 0700 on Unix, an access list granting the user alone on Windows (inherited by
/// what is created in it). Every folder it creates has its name flushed to the disk (its
/// parent synced) before this returns: after a power cut the folder is still there.
pub fn create_private_dir(dir: &Path) -> Result<(), AppError> {
    let mut created = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        created.push(d.to_path_buf());
        at = d.parent();
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| AppError::file(format!("không tạo được thư mục {}", dir.display()), e))?;
    motcua_win::fs::make_private_dir(dir)
        .map_err(|e| AppError::file(format!("không đặt được quyền cho {}", dir.display()), e))?;
    for d in created.iter().rev() {
        let parent = match d.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        motcua_win::fs::sync_dir(parent).map_err(|e| {
            AppError::file(
                format!("không ghi được thư mục {} xuống đĩa", parent.display()),
                e,
            )
        })?;
    }
    Ok(())
}

/// Flushes the names of the files in `dir` to the disk (new files, renames).
pub fn sync_dir(dir: &Path) -> Result<(), AppError> {
    motcua_win::fs::sync_dir(dir).map_err(|e| {
        AppError::file(
            format!("không ghi được thư mục {} xuống đĩa", dir.display()),
            e,
        )
    })
}

/// What to do when the file to write already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse: the existing file stays as it was (the default for a file the user names).
    Refuse,
    /// Replace it (`--force`, or a file of the data directory).
    Replace,
}

/// Writes `bytes` to the file the user named, owner-only (the forms carry personal data),
/// the safe way: into a new temporary file in the same folder, synced to disk, then
/// renamed into place. A failure (a full disk, …) removes the temporary file and leaves
/// no partial file behind; an existing file is refused unless `existing` says replace; a
/// symbolic link at `path` is always refused, never followed (see [`write_output_with`]).
pub fn write_output(path: &Path, existing: Existing, bytes: &[u8]) -> Result<(), AppError> {
    write_output_with(path, existing, |_, f| {
        use std::io::Write;
        f.write_all(bytes)
            .map_err(|e| AppError::file(format!("không ghi được tệp {}", path.display()), e))
    })
}

/// Like [`write_output`], but `fill` writes the content: it gets the temporary file's path
/// and its open handle (empty, owner-only). After `fill` the file is synced and renamed to
/// `path`; on any failure it is removed together with `<temp>-journal`, which SQLite
/// writes beside a database being filled.
///
/// `path` must not be a symbolic link, even with [`Existing::Replace`]: the link and the
/// file it points to are both left alone. With [`Existing::Refuse`] the rename cannot
/// replace a file that appeared meanwhile (a hard link publishes it where the file system
/// has them).
pub fn write_output_with(
    path: &Path,
    existing: Existing,
    fill: impl FnOnce(&Path, &mut std::fs::File) -> Result<(), AppError>,
) -> Result<(), AppError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(AppError::Refused(format!(
                "{} là một liên kết tượng trưng (symlink); để an toàn, phần mềm không ghi qua liên kết, kể cả khi có --force; hãy chọn một tên tệp thường",
                path.display()
            )));
        }
        Ok(m) if !m.is_file() => {
            return Err(AppError::Refused(format!(
                "{} đã có và không phải là tệp thường; hãy chọn tên khác",
                path.display()
            )));
        }
        Ok(_) if existing == Existing::Refuse => {
            return Err(AppError::Refused(format!(
                "tệp {} đã có; hãy chọn tên khác, hoặc thêm --force để ghi đè",
                path.display()
            )));
        }
        _ => {}
    }
    write_atomically(path, existing, true, fill)
}

/// Writes `path` through a new temporary file in the same folder and a rename; synced
/// (file and folder) when `durable`.
fn write_atomically(
    path: &Path,
    existing: Existing,
    durable: bool,
    fill: impl FnOnce(&Path, &mut std::fs::File) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let fail = |e| AppError::file(format!("không ghi được tệp {}", path.display()), e);
    let (tmp, mut file) = create_temp_beside(path).map_err(fail)?;
    let cleanup = |tmp: &Path| {
        let _ = std::fs::remove_file(tmp);
        let mut j = tmp.as_os_str().to_owned();
        j.push("-journal");
        let _ = std::fs::remove_file(PathBuf::from(j));
    };
    let done = fill(&tmp, &mut file)
        .and_then(|()| {
            if durable {
                file.sync_all().map_err(fail)
            } else {
                Ok(())
            }
        })
        .and_then(|()| {
            drop(file);
            publish(&tmp, path, existing)
        });
    if let Err(e) = done {
        cleanup(&tmp);
        return Err(e);
    }
    // A replacing rename has synced its folder already (motcua_win::fs::replace).
    if durable && existing != Existing::Replace {
        sync_dir_of(path);
    }
    Ok(())
}

/// Moves the finished temporary file to `path`.
fn publish(tmp: &Path, path: &Path, existing: Existing) -> Result<(), AppError> {
    let fail = |e| AppError::file(format!("không ghi được tệp {}", path.display()), e);
    if existing == Existing::Replace {
        return motcua_win::fs::replace(tmp, path).map_err(fail);
    }
    match std::fs::hard_link(tmp, path) {
        Ok(()) => {
            let _ = std::fs::remove_file(tmp);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(AppError::Refused(format!(
            "tệp {} vừa được tạo bởi chương trình khác; không ghi đè",
            path.display()
        ))),
        // No hard links on this file system (a FAT USB stick, …): check, then rename.
        Err(_) => {
            if std::fs::symlink_metadata(path).is_ok() {
                return Err(AppError::Refused(format!(
                    "tệp {} vừa được tạo bởi chương trình khác; không ghi đè",
                    path.display()
                )));
            }
            std::fs::rename(tmp, path).map_err(fail)
        }
    }
}

/// Creates a new, empty, owner-only file `.<name>.<pid>-<n>.tmp` beside `path` (never an
/// existing one, never through a link).
fn create_temp_beside(path: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    loop {
        let tmp = dir.join(format!(
            ".{name}.{}-{}.tmp",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).read(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        match opts.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Flushes the folder holding `path`, so a rename in it survives a power cut (best
/// effort: the data is already safe in the file).
fn sync_dir_of(path: &Path) {
    let dir = path.parent().unwrap_or(Path::new("."));
    let _ = motcua_win::fs::sync_dir(dir);
}

/// Writes a file of the data directory, owner-only, replacing it, and syncs it: through a
/// new temporary file renamed over it, so a failure leaves the old file or the new one.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    write_atomically(path, Existing::Replace, true, |_, f| {
        use std::io::Write;
        f.write_all(bytes)
            .map_err(|e| AppError::file(format!("không ghi được tệp {}", path.display()), e))
    })
}

/// Replaces `path` with `bytes`, owner-only, through a new temporary file renamed over it:
/// a crash or a full disk leaves the old file or the new one, never half of one (a link
/// at `path` is replaced, not followed). Synced to the disk (the file, then the rename)
/// before it returns: a kept receipt the clerk printed is still there after a power cut.
pub fn replace_private(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    write_atomically(path, Existing::Replace, true, |_, f| {
        use std::io::Write;
        f.write_all(bytes)
            .map_err(|e| AppError::file(format!("không ghi được tệp {}", path.display()), e))
    })
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
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp left"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn outputs_never_overwrite_unless_asked_and_never_follow_links() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.pdf");
        write_output(&p, Existing::Refuse, b"first").unwrap();
        let e = write_output(&p, Existing::Refuse, b"second").unwrap_err();
        assert!(e.to_string().contains("--force"), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"first");
        write_output(&p, Existing::Replace, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let target = dir.path().join("target");
            std::fs::write(&target, b"keep me").unwrap();
            let link = dir.path().join("link.pdf");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            for existing in [Existing::Refuse, Existing::Replace] {
                let e = write_output(&link, existing, b"evil").unwrap_err();
                assert!(e.to_string().contains("liên kết"), "{e}");
            }
            assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
            assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
            // A dangling link is refused too (creating through it would follow it).
            let dangling = dir.path().join("dangling.pdf");
            std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
            assert!(write_output(&dangling, Existing::Refuse, b"x").is_err());
            assert!(!dir.path().join("nowhere").exists());
        }
        let names = |d: &Path| {
            let mut v: Vec<String> = std::fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        let before = names(dir.path());
        let failed = write_output_with(&dir.path().join("half.pdf"), Existing::Refuse, |_, f| {
            use std::io::Write;
            f.write_all(b"half of a PDF").unwrap();
            Err(AppError::file(
                "đĩa đầy",
                std::io::Error::from_raw_os_error(28),
            ))
        });
        assert!(failed.is_err());
        assert_eq!(
            names(dir.path()),
            before,
            "no partial or temporary file left"
        );
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
