//! Clerk accounts with argon2id password hashes. Every event records its clerk.

use crate::journal::NewEvent;
use crate::{Result, Store, StoreError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, FixedOffset};
use motcua_core::journal::EventKind;
use motcua_core::validation::{Field, ValidationError, bounded};
use rand_core::OsRng;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

/// What a clerk may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Clerk,
    Admin,
    /// The office head (lãnh đạo văn phòng): reviews the access log and the reports and
    /// answers a person's request; changes nothing of the station.
    Head,
}

impl Role {
    /// The stored name (`clerk`, `admin`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Admin => "admin",
            Role::Head => "head",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = ValidationError;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "clerk" => Ok(Role::Clerk),
            "admin" => Ok(Role::Admin),
            "head" => Ok(Role::Head),
            _ => Err(ValidationError::new(
                Field::Username,
                "vai trò phải là clerk (cán bộ), head (lãnh đạo văn phòng) hoặc admin (quản trị viên)",
            )),
        }
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub password: String,
}

/// An account as stored (no password material).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub active: bool,
}

fn check_username(raw: &str) -> std::result::Result<String, ValidationError> {
    let u = raw.trim().to_lowercase();
    let ok = (2..=32).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(u)
    } else {
        Err(ValidationError::new(
            Field::Username,
            "2–32 ký tự gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới",
        ))
    }
}

impl NewUser {
    /// Checks the account before anything is written: every problem at once, in form
    /// order (username, full name, password).
    pub fn check(&self) -> std::result::Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        if let Err(e) = check_username(&self.username) {
            errors.push(e);
        }
        if let Err(e) = bounded(&self.full_name, Field::FullName, 1, 150) {
            errors.push(e);
        }
        if let Err(e) = motcua_core::validation::password(&self.password, Field::Password) {
            errors.push(e);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// An argon2id hash of a password nobody has, verified when the username is unknown so
/// that a wrong username takes as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"motcua-decoy-password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

impl Store {
    /// Every account, active or not, by username.
    pub fn users(&self) -> Result<Vec<User>> {
        let mut st = self.conn.prepare_cached(
            "SELECT username, full_name, role, active FROM users ORDER BY username",
        )?;
        let rows = st
            .query_map([], row_to_user)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Creates an account; the password is hashed with argon2id.
    pub fn add_user(
        &mut self,
        new: &NewUser,
        by: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<User> {
        new.check().map_err(StoreError::Invalid)?;
        let username = check_username(&new.username)?;
        let full_name = bounded(&new.full_name, Field::FullName, 1, 150)?;
        let hash = hash(&new.password)?;
        self.journaled(|w| {
            let exists: Option<i64> =
                w.tx.query_row(
                    "SELECT 1 FROM users WHERE username = ?1",
                    [&username],
                    |r| r.get(0),
                )
                .optional()?;
            if exists.is_some() {
                return Err(StoreError::UserExists(username.clone()));
            }
            w.tx.execute(
                "INSERT INTO users(username, full_name, role, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    username,
                    full_name,
                    new.role.as_str(),
                    hash,
                    now.to_rfc3339()
                ],
            )?;
            let user = User {
                username: username.clone(),
                full_name: full_name.clone(),
                role: new.role,
                active: true,
            };
            w.append(NewEvent {
                kind: EventKind::UserAdded,
                clerk: by,
                dossier_id: None,
                payload: serde_json::to_string(&user)?,
                wall_time: now,
            })?;
            Ok(user)
        })
    }

    /// Sets a new password for an account (an admin resetting a clerk's), journaled
    /// without any password material.
    pub fn reset_password(
        &mut self,
        username: &str,
        password: &str,
        by: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<User> {
        motcua_core::validation::password(password, Field::Password)?;
        let hash = hash(password)?;
        let key = username.trim().to_lowercase();
        self.journaled(|w| {
            let user = any_user_in(&w.tx, &key)?;
            w.tx.execute(
                "UPDATE users SET password_hash = ?1 WHERE username = ?2",
                rusqlite::params![hash, key],
            )?;
            append_change(w, &key, "password_reset", by, now)?;
            Ok(user)
        })
    }

    /// Deactivates or reactivates an account. The last active admin cannot be
    /// deactivated (nobody could then manage the station).
    pub fn set_active(
        &mut self,
        username: &str,
        active: bool,
        by: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<User> {
        let key = username.trim().to_lowercase();
        self.journaled(|w| {
            let mut user = any_user_in(&w.tx, &key)?;
            if user.active == active {
                return Ok(user);
            }
            if !active && user.role == Role::Admin {
                let admins: i64 = w.tx.query_row(
                    "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1",
                    [],
                    |r| r.get(0),
                )?;
                if admins <= 1 {
                    return Err(StoreError::LastAdmin(key.clone()));
                }
            }
            w.tx.execute(
                "UPDATE users SET active = ?1 WHERE username = ?2",
                rusqlite::params![i64::from(active), key],
            )?;
            let change = if active { "reactivated" } else { "deactivated" };
            append_change(w, &key, change, by, now)?;
            user.active = active;
            Ok(user)
        })
    }

    /// An active account by username.
    pub fn user(&self, username: &str) -> Result<User> {
        user_in(&self.conn, username)
    }

    /// Checks a password; `false` for a wrong password or an unknown/inactive account.
    pub fn check_password(&self, username: &str, password: &str) -> Result<bool> {
        let hash: Option<String> = self
            .conn
            .query_row(
                "SELECT password_hash FROM users WHERE username = ?1 AND active = 1",
                [username.trim().to_lowercase()],
                |r| r.get(0),
            )
            .optional()?;
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| decoy_hash().to_string());
        let parsed = PasswordHash::new(&hash).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let matches = Argon2::default()
            .verify_password(motcua_core::text::nfc(password).as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    }
}

/// The hash of a random secret nobody knows: an account recovered from the journal
/// (which holds no password material) cannot sign in until an admin sets a password.
pub(crate) fn unusable_hash() -> Result<String> {
    let mut b = [0u8; 32];
    rand_core::RngCore::fill_bytes(&mut OsRng, &mut b);
    hash(&hex::encode(b))
}

/// The argon2id PHC string of a password (NFC, so the same letters typed through any
/// input method give the same hash).
fn hash(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(motcua_core::text::nfc(password).as_bytes(), &salt)
        .map_err(|e| StoreError::Key(format!("không băm được mật khẩu: {e}")))?
        .to_string())
}

/// Journals a change of account `username`.
fn append_change(
    w: &mut crate::write::Journaled<'_>,
    username: &str,
    change: &str,
    by: &str,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    w.append(NewEvent {
        kind: EventKind::UserChanged,
        clerk: by,
        dossier_id: None,
        payload: serde_json::json!({ "username": username, "change": change }).to_string(),
        wall_time: now,
    })?;
    Ok(())
}

/// An account, active or not, read inside a transaction.
fn any_user_in(conn: &rusqlite::Connection, key: &str) -> Result<User> {
    conn.query_row(
        "SELECT username, full_name, role, active FROM users WHERE username = ?1",
        [key],
        row_to_user,
    )
    .optional()?
    .ok_or_else(|| StoreError::UnknownUser(key.to_string()))
}

/// An active account, read inside a transaction.
pub(crate) fn user_in(conn: &rusqlite::Connection, username: &str) -> Result<User> {
    let key = username.trim().to_lowercase();
    conn.query_row(
        "SELECT username, full_name, role, active FROM users WHERE username = ?1 AND active = 1",
        [&key],
        row_to_user,
    )
    .optional()?
    .ok_or(StoreError::UnknownUser(key))
}

fn row_to_user(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        username: r.get(0)?,
        full_name: r.get(1)?,
        // The table's CHECK admits these three only; anything else reads as the least.
        role: r.get::<_, String>(2)?.parse().unwrap_or(Role::Clerk),
        active: r.get::<_, i64>(3)? == 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;

    #[test]
    fn passwords_are_argon2id_and_checked() {
        let (_d, s) = store();
        let hash: String = s
            .conn
            .query_row(
                "SELECT password_hash FROM users WHERE username='lan'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("mật khẩu"));
        assert!(s.check_password("lan", "mật khẩu dài").unwrap());
        // Typed through an input method that sends decomposed marks, it is the same.
        assert!(
            s.check_password("lan", "ma\u{323}\u{302}t kha\u{302}\u{309}u da\u{300}i")
                .unwrap()
        );
        assert!(!s.check_password("lan", "sai").unwrap());
        assert!(!s.check_password("nobody", "mật khẩu dài").unwrap());
    }

    #[test]
    fn passwords_reset_accounts_deactivate_but_never_the_last_admin() {
        let (_d, mut s) = store();
        let admin = NewUser {
            username: "minh".into(),
            full_name: "Lê Văn Minh".into(),
            role: Role::Admin,
            password: "mật khẩu quản trị".into(),
        };
        s.add_user(&admin, "system", now()).unwrap();
        s.reset_password("lan", "mật khẩu mới dài", "minh", now())
            .unwrap();
        assert!(s.check_password("lan", "mật khẩu mới dài").unwrap());
        assert!(!s.check_password("lan", "mật khẩu dài").unwrap());
        assert!(s.reset_password("lan", "ngắn", "minh", now()).is_err());
        let off = s.set_active("lan", false, "minh", now()).unwrap();
        assert!(!off.active);
        assert!(!s.check_password("lan", "mật khẩu mới dài").unwrap());
        assert!(matches!(
            s.set_active("minh", false, "minh", now()),
            Err(StoreError::LastAdmin(_))
        ));
        s.set_active("lan", true, "minh", now()).unwrap();
        assert!(s.check_password("lan", "mật khẩu mới dài").unwrap());
        let payloads: Vec<String> = s
            .conn
            .prepare("SELECT payload FROM events WHERE kind = 'user_changed'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(payloads.len(), 3);
        assert!(payloads.iter().all(|p| !p.contains("mật khẩu")));
        s.verify().unwrap();
    }

    #[test]
    fn bad_accounts_refused() {
        let (_d, mut s) = store();
        let mk = |u: &str, p: &str| NewUser {
            username: u.into(),
            full_name: "A".into(),
            role: Role::Clerk,
            password: p.into(),
        };
        assert!(matches!(
            s.add_user(&mk("lan", "12345678"), "x", now()),
            Err(StoreError::UserExists(_))
        ));
        assert!(s.add_user(&mk("a b", "12345678"), "x", now()).is_err());
        assert!(s.add_user(&mk("minh", "short"), "x", now()).is_err());
        // A password of NUL bytes, or with any control or invisible character, is refused
        // (it could not be typed again at the login screen).
        for bad in [
            "\0\0\0\0\0\0\0\0\0\0",
            "mật khẩu\u{1b}dài",
            "mật\u{200B}khẩu dài",
        ] {
            let e = s.add_user(&mk("hoa", bad), "x", now()).unwrap_err();
            assert!(e.to_string().starts_with("Mật khẩu: chứa "), "{bad:?}: {e}");
        }
        assert!(
            s.reset_password("lan", &"\0".repeat(16), "x", now())
                .is_err()
        );
        assert!(s.check_password("lan", "mật khẩu dài").unwrap());
        assert_eq!(
            s.add_user(&mk("Minh", "12345678"), "x", now())
                .unwrap()
                .username,
            "minh"
        );
    }
}
