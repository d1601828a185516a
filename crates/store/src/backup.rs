//! Online backup through SQLite's backup API, and restore from such a copy.
//!
//! A restore checks everything on a private copy of the backup before the live database
//! is touched: integrity, schema version, that it is this station's (agency, station
//! number and the public key of `station.key`) and that its journal verifies. Only then is
//! the live database copied aside (a new file every time, never over an earlier one) and
//! the checked copy renamed into its place.

use crate::cipher::RegisterKey;
use crate::migrate::{CURRENT_VERSION, ensure_private_file};
use crate::station::station_in;
use crate::{Result, Store, StoreError, VerifySummary};
use ed25519_dalek::SigningKey;
use rusqlite::{Connection, OpenFlags};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

impl Store {
    /// Writes a consistent copy of the database into `dest`, which must be absent or an
    /// empty file (never an existing copy), owner-only, while the app keeps running; then
    /// checks the copy's integrity.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        if let Ok(m) = std::fs::symlink_metadata(dest)
            && (!m.is_file() || m.len() > 0)
        {
            return Err(StoreError::Setup(format!(
                "tệp {} đã tồn tại; hãy chọn tên khác",
                dest.display()
            )));
        }
        ensure_private_file(dest)?;
        crate::cipher::copy(&self.conn, dest, self.key.as_ref())?;
        check_copy(dest, self.key.as_ref())?;
        Ok(())
    }

    /// Replaces the database at `db` with the backup `src`, for the station whose key is
    /// `key`. Everything is checked first, on a private copy of the backup beside `db`:
    /// integrity, version, the station (agency, station number, public key) and the
    /// journal (whose summary is returned); a refused backup leaves `db` as it was. Then
    /// the current file is copied
    /// aside to a new `<db>.before-restore-<stamp>` (`-2`, `-3`, … when that name is
    /// taken), which is returned, its stale `-wal`/`-shm` are removed and the checked copy
    /// is renamed over it. Close the app first.
    pub fn restore(
        src: &Path,
        db: &Path,
        key: &SigningKey,
        stamp: &str,
    ) -> Result<(Option<PathBuf>, VerifySummary)> {
        if !src.is_file() {
            return Err(StoreError::Setup(format!(
                "không có tệp sao lưu {}",
                src.display()
            )));
        }
        // An encrypted register's key opens its backups; a plain backup (one made before
        // the register was encrypted) is encrypted under it before it takes its place.
        let rkey = crate::cipher::key_for(db)?;
        let plain_src = crate::cipher::is_plain_file(src);
        if rkey.is_none() && !plain_src {
            return Err(refused(
                src,
                &StoreError::Setup(
                    "bản sao lưu này đã được mã hóa, còn sổ đăng ký ở đây thì không: không có khóa để đọc nó".into(),
                ),
            ));
        }
        let src_key = if plain_src { None } else { rkey.as_ref() };
        let mut work = WorkCopy::create(db)?;
        open_untouched(src, src_key)
            .and_then(|c| crate::cipher::copy(&c, &work.path, src_key))
            .map_err(|e| refused(src, &e))?;
        check_copy(&work.path, src_key).map_err(|e| refused(src, &e))?;
        if let (Some(k), true) = (&rkey, plain_src) {
            crate::cipher::encrypt_copy(&work.path, k).map_err(|e| refused(src, &e))?;
        }
        let live = live_station(db, rkey.as_ref());
        let summary;
        {
            let copy = Store::open_with_key(&work.path, rkey.clone())
                .map_err(|e| refused(src, &e))?
                .with_signer(key.clone());
            let theirs = match copy.station() {
                Ok(s) => s,
                Err(StoreError::NotInitialized) => {
                    return Err(refused(
                        src,
                        &StoreError::Setup("bản sao lưu chưa có thông tin quầy".into()),
                    ));
                }
                Err(e) => return Err(refused(src, &e)),
            };
            let ours = crate::keys::public_hex(key);
            if let Some(live) = &live
                && (live.agency_id != theirs.agency_id || live.station_no != theirs.station_no)
            {
                return Err(refused(
                    src,
                    &StoreError::Setup(format!(
                        "đây là bản sao lưu của quầy khác ({} — {}, quầy số {}), không phải của quầy này ({} — {}, quầy số {})",
                        theirs.agency_id,
                        theirs.agency_name,
                        theirs.station_no.get(),
                        live.agency_id,
                        live.agency_name,
                        live.station_no.get()
                    )),
                ));
            }
            if theirs.public_key != ours {
                return Err(refused(
                    src,
                    &StoreError::Setup(format!(
                        "bản sao lưu là của quầy khác: khóa công khai trong đó không khớp tệp khóa station.key của quầy này (bản sao lưu ghi {} — {}, quầy số {})",
                        theirs.agency_id,
                        theirs.agency_name,
                        theirs.station_no.get()
                    )),
                ));
            }
            summary = copy.verify().map_err(|e| refused(src, &e))?;
            // A self-contained file: everything in the main file, no -wal to carry along.
            copy.conn
                .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                    r.get::<_, String>(0)
                })
                .map_err(|e| refused(src, &StoreError::from(e)))?;
        }
        work.sync()?;

        let aside = if db.exists() {
            Some(set_aside(db, stamp, rkey.as_ref())?)
        } else {
            None
        };
        remove_wal_of(db, rkey.as_ref())?;
        motcua_win::fs::replace(&work.path, db).map_err(|e| StoreError::io(db, e))?;
        work.disarm();
        Ok((aside, summary))
    }
}

/// A refused restore: why, and that the live database is as it was.
fn refused(src: &Path, why: &StoreError) -> StoreError {
    StoreError::Setup(format!(
        "không khôi phục từ {}: {why}. Cơ sở dữ liệu hiện tại không bị thay đổi.",
        src.display()
    ))
}

/// The station recorded in the live database, read without writing to it; None when there
/// is no database or it cannot be read (the key still decides).
fn live_station(db: &Path, key: Option<&RegisterKey>) -> Option<crate::StationInfo> {
    if !db.exists() {
        return None;
    }
    let c = open_untouched(db, key).ok()?;
    station_in(&c).ok().flatten()
}

/// Opens a database to read it without writing anything: not the file, and no `-wal` or
/// `-shm` beside it (a read-only connection would create them and leave them behind).
/// When there is no `-wal`, the file holds everything and is opened as immutable.
pub(crate) fn open_untouched(path: &Path, key: Option<&RegisterKey>) -> Result<Connection> {
    if with_suffix(path, "-wal").exists() {
        return crate::cipher::open_with(path, OpenFlags::SQLITE_OPEN_READ_ONLY, key);
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for b in abs.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'_' | b'-' | b'~' => {
                uri.push(char::from(*b));
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    crate::cipher::open_with(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        key,
    )
}

/// `path` with `suffix` appended to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p: OsString = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// Creates `path` new (never an existing file, never through a link), owner-only.
fn create_new_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// Copies the live database (with what its -wal holds) to a new
/// `<db>.before-restore-<stamp>[-n]`; a database SQLite cannot read is copied byte for
/// byte, its -wal beside the copy.
fn set_aside(db: &Path, stamp: &str, key: Option<&RegisterKey>) -> Result<PathBuf> {
    let mut n = 1u32;
    let aside = loop {
        let name = if n == 1 {
            format!(".before-restore-{stamp}")
        } else {
            format!(".before-restore-{stamp}-{n}")
        };
        let p = with_suffix(db, &name);
        match create_new_private(&p) {
            Ok(_) => break p,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
            Err(e) => return Err(StoreError::io(&p, e)),
        }
    };
    let copied = crate::cipher::open_with(db, OpenFlags::SQLITE_OPEN_READ_WRITE, key)
        .and_then(|c| crate::cipher::copy(&c, &aside, key));
    if copied.is_err() {
        std::fs::copy(db, &aside).map_err(|e| StoreError::io(&aside, e))?;
        let wal = with_suffix(db, "-wal");
        if wal.exists() {
            let dest = with_suffix(&aside, "-wal");
            std::fs::copy(&wal, &dest).map_err(|e| StoreError::io(&dest, e))?;
        }
    }
    let _ = std::fs::remove_file(with_suffix(&aside, "-journal"));
    sync_file(&aside).map_err(|e| StoreError::io(&aside, e))?;
    Ok(aside)
}

/// Folds the live database's -wal into it where SQLite can, then removes any -wal and
/// -shm left: they belong to the old file and must never be replayed into the new one.
fn remove_wal_of(db: &Path, key: Option<&RegisterKey>) -> Result<()> {
    if db.exists()
        && let Ok(c) = crate::cipher::open_with(db, OpenFlags::SQLITE_OPEN_READ_WRITE, key)
    {
        let _ = c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    for suffix in ["-wal", "-shm"] {
        let p = with_suffix(db, suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(&p, e)),
        }
    }
    Ok(())
}

/// Flushes a file's data to the disk. Opened for writing: Windows flushes only through a
/// handle that may write (`FlushFileBuffers`).
fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .sync_all()
}

/// The private copy of a backup being checked, beside the database; removed (with its
/// -wal, -shm, -journal and an upgrade's `.v<N>.bak`) unless it took the database's place.
struct WorkCopy {
    path: PathBuf,
    armed: bool,
}

impl WorkCopy {
    fn create(db: &Path) -> Result<WorkCopy> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = match db.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
        let name = db
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "motcua.sqlite".into());
        loop {
            let path = dir.join(format!(
                ".{name}.restore-{}-{}.tmp",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            match create_new_private(&path) {
                Ok(_) => {
                    return Ok(WorkCopy { path, armed: true });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(StoreError::io(&path, e)),
            }
        }
    }

    fn sync(&self) -> Result<()> {
        sync_file(&self.path).map_err(|e| StoreError::io(&self.path, e))
    }

    fn disarm(&mut self) {
        self.armed = false;
    }
}

impl Drop for WorkCopy {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
        }
        for suffix in ["-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(with_suffix(&self.path, suffix));
        }
        for v in 1..=CURRENT_VERSION {
            let _ = std::fs::remove_file(with_suffix(&self.path, &format!(".v{v}.bak")));
        }
    }
}

/// A backup is usable when it passes `integrity_check` and is not newer than this build.
fn check_copy(path: &Path, key: Option<&RegisterKey>) -> Result<()> {
    let c = open_untouched(path, key)?;
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(StoreError::Setup(format!(
            "bản sao lưu {} bị hỏng: {ok}",
            path.display()
        )));
    }
    let v: u32 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if v == 0 || v > CURRENT_VERSION {
        return Err(StoreError::Setup(format!(
            "{} không phải bản sao lưu hợp lệ của motcua (phiên bản {v})",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testutil::*;

    #[test]
    fn backup_and_restore_round_trip() {
        let (dir, mut s) = store();
        let a = s.receive(&request("A", "2026-11-25T09:00"), now()).unwrap();
        let bak = dir.path().join("copy.sqlite");
        s.backup(&bak).unwrap();
        assert!(s.backup(&bak).is_err(), "never overwrites");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&bak).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let b = s.receive(&request("B", "2026-11-25T09:10"), now()).unwrap();
        let db = s.path().to_path_buf();
        let key = s.signer.clone().unwrap();
        drop(s);
        let (aside, summary) = crate::Store::restore(&bak, &db, &key, "20261125").unwrap();
        let aside = aside.unwrap();
        assert_eq!(summary.dossiers, 1, "the restored journal was verified");
        let s = crate::Store::open(&db).unwrap().with_signer(key);
        assert!(s.dossier(&a.code).is_ok());
        assert!(
            s.dossier(&b.code).is_err(),
            "restored to the backup's state"
        );
        let before = crate::Store::open(&aside).unwrap();
        assert!(
            before.dossier(&b.code).is_ok(),
            "the replaced state was kept aside"
        );
    }

    #[test]
    fn restore_refuses_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk");
        std::fs::write(&junk, b"not a database at all, not even close........").unwrap();
        let key = crate::keys::generate(&dir.path().join("k")).unwrap();
        assert!(crate::Store::restore(&junk, &dir.path().join("db"), &key, "x").is_err());
        assert!(!dir.path().join("db").exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temp left"
        );
    }

    /// Every file of `dir` with its bytes.
    fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap_or_default(),
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn two_restores_in_the_same_second_keep_both_replaced_databases() {
        let (dir, mut s) = store();
        s.receive(&request("A", "2026-11-25T09:00"), now()).unwrap();
        let bak = dir.path().join("copy.sqlite");
        s.backup(&bak).unwrap();
        let b = s.receive(&request("B", "2026-11-25T09:10"), now()).unwrap();
        let db = s.path().to_path_buf();
        let key = s.signer.clone().unwrap();
        drop(s);
        let first = crate::Store::restore(&bak, &db, &key, "20261125093000")
            .unwrap()
            .0
            .unwrap();
        let second = crate::Store::restore(&bak, &db, &key, "20261125093000")
            .unwrap()
            .0
            .unwrap();
        assert_ne!(first, second);
        assert!(
            crate::Store::open(&first).unwrap().dossier(&b.code).is_ok(),
            "the first copy set aside still holds B"
        );
        assert!(
            crate::Store::open(&second)
                .unwrap()
                .dossier(&b.code)
                .is_err()
        );
    }

    #[test]
    fn a_backup_of_another_station_is_refused_and_the_database_untouched() {
        let (dir, mut s) = store();
        s.receive(&request("A", "2026-11-25T09:00"), now()).unwrap();
        let db = s.path().to_path_buf();
        let key = s.signer.clone().unwrap();
        drop(s);
        // Another station: same agency and number, another key (another PC's init).
        let (other_dir, mut other) = store();
        other
            .receive(&request("X", "2026-11-25T09:00"), now())
            .unwrap();
        let bak = other_dir.path().join("other.sqlite");
        other.backup(&bak).unwrap();
        drop(other);
        let before = snapshot(dir.path());
        let e = crate::Store::restore(&bak, &db, &key, "20261125093000").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("quầy khác"), "{msg}");
        assert!(msg.contains("không bị thay đổi"), "{msg}");
        assert_eq!(
            snapshot(dir.path()),
            before,
            "the data directory is byte-identical"
        );
    }

    #[test]
    fn a_backup_whose_journal_was_edited_is_refused() {
        let (dir, mut s) = store();
        s.receive(&request("A", "2026-11-25T09:00"), now()).unwrap();
        let bak = dir.path().join("copy.sqlite");
        s.backup(&bak).unwrap();
        let db = s.path().to_path_buf();
        let key = s.signer.clone().unwrap();
        drop(s);
        let c = rusqlite::Connection::open(&bak).unwrap();
        c.execute_batch("DROP TRIGGER IF EXISTS events_no_update")
            .ok();
        c.execute("UPDATE dossiers SET applicant_name = 'Người khác'", [])
            .unwrap();
        drop(c);
        let before = std::fs::read(&db).unwrap();
        let e = crate::Store::restore(&bak, &db, &key, "x").unwrap_err();
        assert!(e.to_string().contains("không bị thay đổi"), "{e}");
        assert_eq!(std::fs::read(&db).unwrap(), before);
    }
}
