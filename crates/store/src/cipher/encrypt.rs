//! Encrypting a plain register where it lies, with its backups.
//!
//! The order survives a power cut at any point: the key's slots are written to
//! `<db>.keys.new` first, the encrypted copy is made and checked beside the register,
//! then renamed over it, and only then is `<db>.keys.new` renamed to `<db>.keys`. Opening
//! finishes (or forgets) what a cut left (`settle`): a pending key file beside an
//! encrypted register is adopted, beside a plain one removed.

use super::{
    KeyFile, RegisterKey, apply, keys_path, new_recovery_code, parent, password_slot,
    pending_keys_path, recovery_slot, remember, windows_slot, with_suffix, write_keys,
};
use crate::{Result, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// What [`encrypt`] did.
#[derive(Debug)]
pub struct Encrypted {
    /// The recovery code, shown once: the office keeps it on paper.
    pub recovery_code: String,
    /// Whether the key was also sealed to this Windows account (opens without password).
    pub sealed_to_account: bool,
    /// The backup and before-upgrade copies encrypted along with the register.
    pub copies: Vec<PathBuf>,
    /// Dossiers in the register (the same before and after: checked).
    pub dossiers: i64,
}

/// Encrypts the plain register at `db` under a new key: slots for `user`'s `password`, a
/// recovery code and (on Windows) this account; then every plain copy of it in `copies`
/// and beside it (`<db>.v<N>.bak`, `<db>.before-restore-*`). The key stays open for the
/// process. Nobody else may have the register open: the encryption holds it exclusively
/// and is refused if it cannot.
pub fn encrypt(db: &Path, user: &str, password: &str, copies: &[PathBuf]) -> Result<Encrypted> {
    if super::is_encrypted(db)? {
        return Err(StoreError::Setup("sổ đăng ký đã được mã hóa rồi".into()));
    }
    if !db.is_file() {
        return Err(StoreError::Setup(format!(
            "không có sổ đăng ký {}",
            db.display()
        )));
    }
    let key = RegisterKey::generate();
    let recovery_code = new_recovery_code();
    let mut slots = vec![
        password_slot(&key, user, password)?,
        recovery_slot(&key, &recovery_code)?,
    ];
    let windows = windows_slot(&key);
    let sealed_to_account = windows.is_some();
    slots.extend(windows);
    let file = KeyFile {
        format: 1,
        cipher: "sqlcipher4".into(),
        slots,
    };

    let src = Connection::open(db)?;
    src.busy_timeout(std::time::Duration::from_secs(2))?;
    // Held until the new file has replaced this one: nobody writes what the copy misses.
    src.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
        .map_err(|e| match StoreError::from(e) {
            StoreError::Busy => StoreError::Setup(
                "sổ đăng ký đang được mở (cửa sổ motcua hoặc một lệnh khác): hãy đóng lại rồi mã hóa".into(),
            ),
            e => e,
        })?;
    let dossiers: i64 = src.query_row("SELECT count(*) FROM dossiers", [], |r| r.get(0))?;
    write_keys(&pending_keys_path(db), &file)?;
    let tmp = with_suffix(db, ".encrypting");
    export(&src, &tmp, &key)?;
    check(&tmp, &key, &src)?;
    drop(src);
    remove_side_files(db)?;
    motcua_win::fs::replace(&tmp, db)
        .and_then(|()| motcua_win::fs::sync_dir(parent(db)))
        .map_err(|e| StoreError::io(db, e))?;
    motcua_win::fs::replace(&pending_keys_path(db), &keys_path(db))
        .and_then(|()| motcua_win::fs::sync_dir(parent(db)))
        .map_err(|e| StoreError::io(db, e))?;
    remember(db, key.clone());

    let mut done = Vec::new();
    for copy in copies.iter().cloned().chain(siblings(db)) {
        if copy.is_file()
            && super::is_plain_file(&copy)
            && std::fs::metadata(&copy).is_ok_and(|m| m.len() > 0)
        {
            encrypt_copy(&copy, &key)?;
            done.push(copy);
        }
    }
    Ok(Encrypted {
        recovery_code,
        sealed_to_account,
        copies: done,
        dossiers,
    })
}

/// Encrypts one plain copy in place (checked, then renamed over it).
pub(crate) fn encrypt_copy(path: &Path, key: &RegisterKey) -> Result<()> {
    let src = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let tmp = with_suffix(path, ".encrypting");
    export(&src, &tmp, key)?;
    check(&tmp, key, &src)?;
    drop(src);
    remove_side_files(path)?;
    motcua_win::fs::replace(&tmp, path)
        .and_then(|()| motcua_win::fs::sync_dir(parent(path)))
        .map_err(|e| StoreError::io(path, e))
}

/// Writes the database of `src` to a new `dest` encrypted under `key`
/// (`sqlcipher_export`: every table, index, trigger and the FTS index; then the
/// user_version), synced to the disk.
fn export(src: &Connection, dest: &Path, key: &RegisterKey) -> Result<()> {
    let _ = std::fs::remove_file(dest);
    crate::migrate::ensure_private_file(dest)?;
    let name = dest.to_str().ok_or_else(|| {
        StoreError::Setup(format!("đường dẫn {} không mã hóa được", dest.display()))
    })?;
    src.execute(
        "ATTACH DATABASE ?1 AS encrypted KEY ?2",
        [name, &key.pragma()],
    )?;
    // The schema version is not among what sqlcipher_export copies.
    let exported = src
        .query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))
        .and_then(|()| src.query_row("PRAGMA main.user_version", [], |r| r.get::<_, i64>(0)))
        .and_then(|v| src.execute_batch(&format!("PRAGMA encrypted.user_version = {v}")))
        .map_err(StoreError::from);
    let detached = src.execute_batch("DETACH DATABASE encrypted");
    exported?;
    detached?;
    std::fs::OpenOptions::new()
        .write(true)
        .open(dest)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::io(dest, e))
}

/// The encrypted copy is whole and holds what the source holds.
fn check(copy: &Path, key: &RegisterKey, src: &Connection) -> Result<()> {
    let c = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    apply(&c, Some(key))?;
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let summary = |c: &Connection| -> rusqlite::Result<(i64, i64, i64)> {
        Ok((
            c.query_row("PRAGMA user_version", [], |r| r.get(0))?,
            c.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?,
            c.query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'events'",
                [],
                |r| r.get(0),
            )?,
        ))
    };
    let (theirs, ours) = (summary(&c)?, summary(src)?);
    let rows = |c: &Connection| -> rusqlite::Result<i64> {
        if summary(c)?.2 == 0 {
            return Ok(0);
        }
        c.query_row("SELECT count(*) FROM events", [], |r| r.get(0))
    };
    let (their_rows, our_rows) = (rows(&c)?, rows(src)?);
    if ok != "ok" || theirs != ours || their_rows != our_rows {
        let _ = std::fs::remove_file(copy);
        return Err(StoreError::Verify(format!(
            "bản mã hóa {} không giống bản gốc (kiểm tra: {ok}; phiên bản, số đối tượng, sự kiện: {:?} {their_rows} so với {:?} {our_rows}); sổ đăng ký không bị thay đổi",
            copy.display(),
            theirs,
            ours
        )));
    }
    Ok(())
}

/// Removes a file's `-wal`, `-shm` and `-journal` (after its last connection closed):
/// they would hold plain pages beside the encrypted file.
fn remove_side_files(path: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm", "-journal"] {
        let p = with_suffix(path, suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(&p, e)),
        }
    }
    Ok(())
}

/// The copies the store itself leaves beside the register: before an upgrade
/// (`<db>.v<N>.bak`) and before a restore (`<db>.before-restore-<stamp>`).
fn siblings(db: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (db.parent(), db.file_name().and_then(|n| n.to_str())) else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().into_string().ok()?;
            let rest = n.strip_prefix(name)?;
            let ours = (rest.starts_with(".v") && rest.ends_with(".bak"))
                || (rest.starts_with(".before-restore-")
                    && !rest.ends_with("-wal")
                    && !rest.ends_with("-shm")
                    && !rest.ends_with("-journal"));
            ours.then(|| e.path())
        })
        .collect();
    found.sort();
    found
}
