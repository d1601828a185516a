//! Online backup through SQLite's backup API, and restore from such a copy.

use crate::migrate::{CURRENT_VERSION, NO_PROGRESS, ensure_private_file};
use crate::{Result, Store, StoreError};
use rusqlite::{Connection, MAIN_DB, OpenFlags};
use std::path::{Path, PathBuf};

impl Store {
    /// Writes a consistent copy of the database to `dest` (which must not exist), owner-only,
    /// while the app keeps running; then checks the copy's integrity.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(StoreError::Setup(format!(
                "tệp {} đã tồn tại; hãy chọn tên khác",
                dest.display()
            )));
        }
        ensure_private_file(dest)?;
        self.conn.backup(MAIN_DB, dest, NO_PROGRESS)?;
        check_copy(dest)?;
        Ok(())
    }

    /// Replaces the database at `db` with the backup `src` after checking the backup
    /// (integrity, version). The current file is first copied aside to
    /// `<db>.before-restore-<stamp>`, which is returned. Close the app first.
    pub fn restore(src: &Path, db: &Path, stamp: &str) -> Result<Option<PathBuf>> {
        check_copy(src)?;
        let aside = if db.exists() {
            let mut p = db.as_os_str().to_owned();
            p.push(format!(".before-restore-{stamp}"));
            let p = PathBuf::from(p);
            ensure_private_file(&p)?;
            Connection::open(db)?.backup(MAIN_DB, &p, NO_PROGRESS)?;
            Some(p)
        } else {
            ensure_private_file(db)?;
            None
        };
        let mut conn = Connection::open(db)?;
        conn.restore(MAIN_DB, src, NO_PROGRESS)?;
        drop(conn);
        Store::open(db)?;
        Ok(aside)
    }
}

/// A backup is usable when it passes `integrity_check` and is not newer than this build.
fn check_copy(path: &Path) -> Result<()> {
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
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
        let aside = crate::Store::restore(&bak, &db, "20261125")
            .unwrap()
            .unwrap();
        let s = crate::Store::open(&db).unwrap().with_signer(key);
        assert!(s.dossier(&a.code).is_ok());
        assert!(
            s.dossier(&b.code).is_err(),
            "restored to the backup's state"
        );
        s.verify().unwrap();
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
        assert!(crate::Store::restore(&junk, &dir.path().join("db"), "x").is_err());
    }
}
