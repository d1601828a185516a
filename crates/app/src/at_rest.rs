//! The register encrypted at rest (see `motcua_store::cipher` for the key and its slots):
//! encrypting a station's register, opening it with a password or the recovery code, and
//! keeping each account's slot in step with its password.
//!
//! On Windows the key is also sealed to the Windows account the app runs under, so the
//! window and the background sync open the register with no password at all. Elsewhere
//! the first sign-in of the process opens it (the window's sign-in, or the command line's
//! `MOTCUA_PASSWORD_FILE`), and every store the process opens afterwards reuses the key.

use crate::counter::Counter;
use crate::counter::Env;
use crate::error::{AppError, Result};
use crate::paths::Paths;
use motcua_store::StoreError;
use motcua_store::cipher;
use std::path::{Path, PathBuf};

pub use motcua_store::cipher::{Encrypted, SlotKind};

/// The environment variable naming a file (owner-only) that holds the password, or the
/// recovery code, the command line opens an encrypted register with.
pub const PASSWORD_FILE_VAR: &str = "MOTCUA_PASSWORD_FILE";

impl AppError {
    /// Whether this is an encrypted register no key is open for.
    pub fn is_locked(&self) -> bool {
        matches!(self, AppError::Store(e) if matches!(**e, StoreError::Locked(_)))
    }
}

/// Encrypts the station's plain register and the copies named (backups kept elsewhere),
/// with those the store left beside it. `admin` must be an active admin and `password`
/// theirs: their account gets the first password slot. Nobody else may have the register
/// open. The register's key stays open for this process.
pub fn encrypt(
    paths: &Paths,
    env: &Env,
    admin: &str,
    password: &str,
    copies: &[PathBuf],
) -> Result<Encrypted> {
    {
        let counter = Counter::open(paths.clone(), env.clone())?;
        if !counter.store.check_password(admin, password)? {
            return Err(AppError::Refused(
                "tên đăng nhập hoặc mật khẩu không đúng".to_string(),
            ));
        }
        counter.admin(admin)?;
    }
    Ok(cipher::encrypt(&paths.db, admin, password, copies)?)
}

/// Encrypts plain copies of an encrypted register (backups found after it was
/// encrypted), under its key, which must be open.
pub fn encrypt_copies(paths: &Paths, copies: &[PathBuf]) -> Result<Vec<PathBuf>> {
    Ok(cipher::encrypt_copies(&paths.db, copies)?)
}

/// Whether the station's register is encrypted.
pub fn is_encrypted(paths: &Paths) -> Result<bool> {
    Ok(cipher::is_encrypted(&paths.db)?)
}

/// Whether the register can be opened now without a password.
pub fn is_open(paths: &Paths) -> Result<bool> {
    Ok(cipher::is_open_here(&paths.db)?)
}

/// Opens an encrypted register's key with an account's password or the recovery code,
/// for the rest of the process. `false`: nothing opens with it.
pub fn unlock(paths: &Paths, secret: &str) -> Result<bool> {
    Ok(cipher::unlock(&paths.db, secret)?)
}

/// Opens the register with the secret in the file `MOTCUA_PASSWORD_FILE` names, when it
/// is encrypted, not open yet, and the variable is set. A secret that opens nothing is an
/// error that says so (never which accounts exist).
pub fn unlock_from_env(paths: &Paths) -> Result<()> {
    let Some(file) = std::env::var_os(PASSWORD_FILE_VAR) else {
        return Ok(());
    };
    if !paths.db.exists() || is_open(paths)? {
        return Ok(());
    }
    let file = PathBuf::from(file);
    let text = std::fs::read_to_string(&file).map_err(|e| {
        AppError::Refused(format!(
            "không đọc được tệp mật khẩu {} ({PASSWORD_FILE_VAR}): {e}",
            file.display()
        ))
    })?;
    let secret = text.trim_end_matches(['\r', '\n']);
    if unlock(paths, secret)? {
        Ok(())
    } else {
        Err(AppError::Refused(format!(
            "mật khẩu trong tệp {} ({PASSWORD_FILE_VAR}) không mở được sổ đăng ký đã mã hóa",
            file.display()
        )))
    }
}

/// Forgets the register's key in this process: the next open needs a slot again (as
/// a new process would).
pub fn close(paths: &Paths) {
    cipher::forget(&paths.db);
}

/// Who can open the register: the kinds of slot and each password slot's account.
pub fn slots(paths: &Paths) -> Result<Vec<(SlotKind, String)>> {
    Ok(cipher::slots(&paths.db)?)
}

impl Counter {
    /// After `username` proved `password` (sign-in, a new account, a reset): the account's
    /// slot opens the register with that password from now on. Nothing for a plain
    /// register.
    pub(crate) fn keep_slot(&self, username: &str, password: &str) -> Result<()> {
        Ok(cipher::set_password_slot(self.db(), username, password)?)
    }

    /// A deactivated account's slot goes: its password no longer opens the register.
    pub(crate) fn drop_slot(&self, username: &str) -> Result<()> {
        Ok(cipher::remove_password_slot(self.db(), username)?)
    }

    /// Gives `username` a slot at sign-in when the register is encrypted and they have
    /// none yet (accounts made before the encryption, or on another PC).
    pub(crate) fn slot_at_sign_in(&self, username: &str, password: &str) -> Result<()> {
        Ok(cipher::add_missing_password_slot(
            self.db(),
            username,
            password,
        )?)
    }

    fn db(&self) -> &Path {
        &self.paths.db
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counter::AccountForm;
    use crate::counter::testing::*;
    use motcua_store::Role;

    #[test]
    fn every_account_opens_the_register_once_it_signed_in_after_an_admin() {
        let mut f = fixture();
        let lan = f.counter.admin("lan").unwrap();
        f.counter
            .add_user(
                &AccountForm {
                    username: "binh".into(),
                    full_name: "Lê Thị Bình".into(),
                    role: Role::Clerk,
                    password: "mật khẩu của Bình".into(),
                    confirm: None,
                },
                &lan,
            )
            .unwrap();
        let code = f
            .counter
            .receive(&form("Nguyễn Thị Hồng Nhung"))
            .unwrap()
            .dossier
            .code;
        let paths = f.counter.paths().clone();
        let env = f.counter.env().clone();
        drop(f.counter);

        // Only an active admin with their own password encrypts.
        let e = encrypt(&paths, &env, "binh", "mật khẩu của Bình", &[]).unwrap_err();
        assert!(e.to_string().contains("quản trị viên"), "{e}");
        let e = encrypt(&paths, &env, "lan", "sai", &[]).unwrap_err();
        assert!(e.to_string().contains("không đúng"), "{e}");
        assert!(!is_encrypted(&paths).unwrap());
        let done = encrypt(&paths, &env, "lan", "mật khẩu dài", &[]).unwrap();
        assert_eq!(done.dossiers, 1);
        // Another machine: no Windows account opens it.
        cipher::remove_account_slot(&paths.db).unwrap();

        // A new process: locked, and Bình has no slot yet.
        close(&paths);
        let e = Counter::open(paths.clone(), env.clone()).unwrap_err();
        assert!(e.is_locked(), "{e}");
        assert!(!unlock(&paths, "mật khẩu của Bình").unwrap());
        assert!(unlock(&paths, "mật khẩu dài").unwrap());
        let mut c = Counter::open(paths.clone(), env.clone()).unwrap();
        assert_eq!(
            c.dossier(&code.to_string()).unwrap().applicant.full_name,
            "Nguyễn Thị Hồng Nhung"
        );
        // Bình signs in after Lan: from now on her password opens the register too.
        c.login("binh", "mật khẩu của Bình").unwrap();
        drop(c);
        close(&paths);
        assert!(unlock(&paths, "mật khẩu của Bình").unwrap());

        // A reset password replaces her slot; a deactivated account loses it.
        let mut c = Counter::open(paths.clone(), env.clone()).unwrap();
        let lan = c.admin("lan").unwrap();
        c.reset_password("binh", "mật khẩu mới dài", "mật khẩu mới dài", &lan)
            .unwrap();
        close(&paths);
        assert!(!unlock(&paths, "mật khẩu của Bình").unwrap());
        assert!(unlock(&paths, "mật khẩu mới dài").unwrap());
        let mut c = Counter::open(paths.clone(), env.clone()).unwrap();
        let lan = c.admin("lan").unwrap();
        c.set_active("binh", false, &lan).unwrap();
        close(&paths);
        assert!(!unlock(&paths, "mật khẩu mới dài").unwrap());
        let accounts: Vec<String> = slots(&paths)
            .unwrap()
            .into_iter()
            .filter(|(k, _)| *k == SlotKind::Password)
            .map(|(_, u)| u)
            .collect();
        assert_eq!(accounts, ["lan"]);
    }
}
