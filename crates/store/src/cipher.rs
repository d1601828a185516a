//! The register encrypted at rest.
//!
//! An encrypted register is a SQLCipher database (AES-256 pages with an HMAC each) under a
//! random 256-bit key given raw (`PRAGMA key = "x'…'"`, no per-open key derivation). The key
//! itself is never stored in the clear: the file `<db>.keys` beside the register holds it
//! sealed in *slots*, any one of which opens it:
//!
//! - `windows`: sealed to the signed-in Windows account with DPAPI, so on a counter PC the
//!   window and its background sync open the register with no password, and the disk
//!   taken elsewhere (or read by another account) opens nothing;
//! - `password`: one per account, under a key derived from the account's password
//!   (Argon2id), so a sign-in in the window unlocks the register (on Linux, where there
//!   is no DPAPI, the only way in besides the recovery code);
//! - `recovery`: under the recovery code shown once when the register was encrypted, for
//!   the office to keep on paper (a lost Windows profile, every password forgotten).
//!
//! A key once opened is kept for the process (keyed by the register's path), so every
//! store the process opens afterwards (the window's, the sync's) needs nothing more.
//! Without a `<db>.keys` the register is a plain SQLite file, as before.

mod encrypt;
pub(crate) use encrypt::encrypt_copy;
pub use encrypt::{Encrypted, encrypt};

use crate::{Result, StoreError};
use rand_core::{OsRng, RngCore};
use ring::aead;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The purpose a Windows slot is sealed for (DPAPI's entropy).
const SEAL_PURPOSE: &str = "motcua register key v1";
/// The page cache of an encrypted register's connection, in KiB.
const ENCRYPTED_CACHE_KIB: u32 = 32 * 1024;
/// What every plain SQLite file begins with; an encrypted page 1 is random bytes.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The register's key. Wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct RegisterKey([u8; 32]);

impl RegisterKey {
    fn generate() -> RegisterKey {
        let mut k = [0u8; 32];
        OsRng.fill_bytes(&mut k);
        RegisterKey(k)
    }

    fn from_slice(b: &[u8]) -> Option<RegisterKey> {
        Some(RegisterKey(b.try_into().ok()?))
    }

    /// The `PRAGMA key` argument: the raw key, so SQLCipher derives nothing per open.
    fn pragma(&self) -> String {
        format!("x'{}'", hex::encode(self.0))
    }
}

impl Drop for RegisterKey {
    fn drop(&mut self) {
        for b in &mut self.0 {
            wipe(b);
        }
    }
}

/// Zeroes one byte through a black-boxed reference, so the write is not optimised away.
fn wipe(b: &mut u8) {
    *std::hint::black_box(b) = 0;
}

impl std::fmt::Debug for RegisterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RegisterKey(…)")
    }
}

/// How a slot is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    Windows,
    Password,
    Recovery,
}

/// One sealed copy of the key.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Slot {
    kind: SlotKind,
    /// The account a password slot belongs to; empty otherwise.
    #[serde(default)]
    user: String,
    #[serde(default)]
    salt: String,
    #[serde(default)]
    nonce: String,
    sealed: String,
}

/// The `<db>.keys` file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct KeyFile {
    format: u32,
    cipher: String,
    slots: Vec<Slot>,
}

/// The file beside `db` that holds its key's slots.
pub fn keys_path(db: &Path) -> PathBuf {
    with_suffix(db, ".keys")
}

fn pending_keys_path(db: &Path) -> PathBuf {
    with_suffix(db, ".keys.new")
}

pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// Whether the file begins as a plain SQLite database (an empty or absent file counts as
/// plain: nothing is in it).
pub fn is_plain_file(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    match std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)) {
        Ok(()) => &head == PLAIN_HEADER,
        // Absent, or shorter than a header: nothing encrypted is in it.
        Err(_) => true,
    }
}

/// Finishes or forgets an encryption cut short: a `<db>.keys.new` beside an encrypted file
/// is the key that file needs (the power failed between the two renames); beside a
/// plain file it belongs to an encryption that never replaced the file.
fn settle(db: &Path) -> Result<()> {
    let pending = pending_keys_path(db);
    if !pending.exists() {
        return Ok(());
    }
    if keys_path(db).exists() || is_plain_file(db) {
        std::fs::remove_file(&pending).map_err(|e| StoreError::io(&pending, e))
    } else {
        motcua_win::fs::replace(&pending, &keys_path(db))
            .and_then(|()| motcua_win::fs::sync_dir(parent(db)))
            .map_err(|e| StoreError::io(db, e))
    }
}

fn parent(p: &Path) -> &Path {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Whether the register at `db` is encrypted.
pub fn is_encrypted(db: &Path) -> Result<bool> {
    settle(db)?;
    Ok(keys_path(db).exists())
}

fn read_keys(db: &Path) -> Result<KeyFile> {
    let p = keys_path(db);
    let text = std::fs::read_to_string(&p).map_err(|e| StoreError::io(&p, e))?;
    serde_json::from_str(&text)
        .map_err(|e| StoreError::Key(format!("tệp khóa mã hóa {} bị hỏng: {e}", p.display())))
}

/// Writes a key file durably: a private temporary beside it, then a rename.
fn write_keys(path: &Path, file: &KeyFile) -> Result<()> {
    let tmp = with_suffix(path, ".tmp");
    let _ = std::fs::remove_file(&tmp);
    let body = serde_json::to_vec_pretty(file).map_err(|e| StoreError::Key(e.to_string()))?;
    crate::migrate::ensure_private_file(&tmp)?;
    // Flushed through a handle that may write: Windows flushes through no other.
    std::fs::write(&tmp, body)
        .and_then(|()| {
            std::fs::OpenOptions::new()
                .write(true)
                .open(&tmp)?
                .sync_all()
        })
        .and_then(|()| motcua_win::fs::replace(&tmp, path))
        .and_then(|()| motcua_win::fs::sync_dir(parent(path)))
        .map_err(|e| StoreError::io(path, e))
}

/// Keys opened in this process, by the register's absolute path.
static OPENED: Mutex<Vec<(PathBuf, RegisterKey)>> = Mutex::new(Vec::new());

fn id(db: &Path) -> PathBuf {
    std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf())
}

fn remember(db: &Path, key: RegisterKey) {
    let mut opened = OPENED.lock().unwrap_or_else(|e| e.into_inner());
    let id = id(db);
    opened.retain(|(p, _)| *p != id);
    opened.push((id, key));
}

fn remembered(db: &Path) -> Option<RegisterKey> {
    let id = id(db);
    OPENED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(p, _)| *p == id)
        .map(|(_, k)| k.clone())
}

/// Forgets the key of `db` in this process (the next open needs a slot again).
pub fn forget(db: &Path) {
    let id = id(db);
    OPENED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|(p, _)| *p != id);
}

/// The key `db` needs, `None` for a plain register: the one opened in this process, else
/// the Windows slot's. A register no slot here opens is [`StoreError::Locked`].
pub(crate) fn key_for(db: &Path) -> Result<Option<RegisterKey>> {
    if !is_encrypted(db)? {
        return Ok(None);
    }
    if let Some(k) = remembered(db) {
        return Ok(Some(k));
    }
    let file = read_keys(db)?;
    for slot in file.slots.iter().filter(|s| s.kind == SlotKind::Windows) {
        if let Some(k) = open_windows(slot) {
            remember(db, k.clone());
            return Ok(Some(k));
        }
    }
    Err(StoreError::Locked(db.to_path_buf()))
}

/// Whether `db` can be opened now without a password (plain, opened already in this
/// process, or its Windows slot opens for this account).
pub fn is_open_here(db: &Path) -> Result<bool> {
    match key_for(db) {
        Ok(_) => Ok(true),
        Err(StoreError::Locked(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

fn open_windows(slot: &Slot) -> Option<RegisterKey> {
    let blob = hex::decode(&slot.sealed).ok()?;
    let key = motcua_win::seal::unseal(&blob, SEAL_PURPOSE).ok()?;
    RegisterKey::from_slice(&key)
}

/// Opens the register's key with `secret`, an account's password or the recovery code,
/// and keeps it for the process. `Ok(false)`: no slot opens with it. A plain register
/// needs nothing (`Ok(true)`).
pub fn unlock(db: &Path, secret: &str) -> Result<bool> {
    if !is_encrypted(db)? {
        return Ok(true);
    }
    let file = read_keys(db)?;
    for slot in &file.slots {
        let kek = match slot.kind {
            SlotKind::Windows => continue,
            SlotKind::Password => password_kek(secret, &slot.salt)?,
            SlotKind::Recovery => match recovery_kek(secret, &slot.salt) {
                Some(k) => k,
                None => continue,
            },
        };
        if let Some(key) = open_slot(slot, &kek) {
            remember(db, key);
            return Ok(true);
        }
    }
    Ok(false)
}

/// Changes `db`'s slots with `change`, which says whether it changed anything, and writes
/// them back when it did. Nothing for a plain register.
fn edit_slots(db: &Path, change: impl FnOnce(&mut Vec<Slot>) -> Result<bool>) -> Result<()> {
    if !is_encrypted(db)? {
        return Ok(());
    }
    let mut file = read_keys(db)?;
    if change(&mut file.slots)? {
        write_keys(&keys_path(db), &file)?;
    }
    Ok(())
}

impl Slot {
    fn is_password_of(&self, user: &str) -> bool {
        self.kind == SlotKind::Password && self.user == user
    }
}

/// Gives `user` a slot opened by `password` (replacing the one they had), with the key
/// opened in this process. Nothing for a plain register; refused while it is locked.
pub fn set_password_slot(db: &Path, user: &str, password: &str) -> Result<()> {
    edit_slots(db, |slots| {
        let key = remembered(db).ok_or_else(|| StoreError::Locked(db.to_path_buf()))?;
        slots.retain(|s| !s.is_password_of(user));
        slots.push(password_slot(&key, user, password)?);
        Ok(true)
    })
}

/// Gives `user` a slot opened by `password` when they have none (an account made before
/// the register was encrypted, signing in after an admin opened it); one they have is
/// left as it is.
pub fn add_missing_password_slot(db: &Path, user: &str, password: &str) -> Result<()> {
    edit_slots(db, |slots| {
        if slots.iter().any(|s| s.is_password_of(user)) {
            return Ok(false);
        }
        let key = remembered(db).ok_or_else(|| StoreError::Locked(db.to_path_buf()))?;
        slots.push(password_slot(&key, user, password)?);
        Ok(true)
    })
}

/// Encrypts plain copies of the encrypted register `db` (backups made before it was
/// encrypted and found since) under its key, which must be open; returns those
/// encrypted (copies already encrypted are left as they are).
pub fn encrypt_copies(db: &Path, copies: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if !is_encrypted(db)? {
        return Err(StoreError::Setup("sổ đăng ký chưa được mã hóa".into()));
    }
    let key = key_for(db)?.ok_or_else(|| StoreError::Locked(db.to_path_buf()))?;
    let mut done = Vec::new();
    for copy in copies {
        if !copy.is_file() {
            return Err(StoreError::Setup(format!(
                "không có tệp {}",
                copy.display()
            )));
        }
        if is_plain_file(copy) {
            encrypt_copy(copy, &key)?;
            done.push(copy.clone());
        }
    }
    Ok(done)
}

/// Removes `user`'s password slot (an account disabled or removed).
pub fn remove_password_slot(db: &Path, user: &str) -> Result<()> {
    remove_slots(db, |s| s.is_password_of(user))
}

/// Removes the slot sealed to the Windows account: the register no longer opens by itself
/// under it (a PC handed over to another use); a password or the recovery code still
/// opens it. Nothing when there is none.
pub fn remove_account_slot(db: &Path) -> Result<()> {
    remove_slots(db, |s| s.kind == SlotKind::Windows)
}

fn remove_slots(db: &Path, gone: impl Fn(&Slot) -> bool) -> Result<()> {
    edit_slots(db, |slots| {
        let before = slots.len();
        slots.retain(|s| !gone(s));
        Ok(slots.len() != before)
    })
}

/// The kinds of slot `db`'s key has, with the account of each password slot.
pub fn slots(db: &Path) -> Result<Vec<(SlotKind, String)>> {
    if !is_encrypted(db)? {
        return Ok(Vec::new());
    }
    Ok(read_keys(db)?
        .slots
        .into_iter()
        .map(|s| (s.kind, s.user))
        .collect())
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    OsRng.fill_bytes(&mut b);
    b
}

fn password_kek(password: &str, salt_hex: &str) -> Result<[u8; 32]> {
    let salt =
        hex::decode(salt_hex).map_err(|_| StoreError::Key("muối của khe khóa hỏng".into()))?;
    let mut kek = [0u8; 32];
    argon2::Argon2::default()
        .hash_password_into(motcua_core::text::nfc(password).as_bytes(), &salt, &mut kek)
        .map_err(|e| StoreError::Key(e.to_string()))?;
    Ok(kek)
}

/// A recovery code: 160 random bits as 8 groups of 4 base-32 characters; the key under
/// it is derived by SHA-256 (the code has the entropy, no slow derivation is needed).
fn recovery_kek(code: &str, salt_hex: &str) -> Option<[u8; 32]> {
    use sha2::{Digest, Sha256};
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if normal.len() != 32 {
        return None;
    }
    let salt = hex::decode(salt_hex).ok()?;
    let mut h = Sha256::new();
    h.update(b"motcua recovery code v1");
    h.update(&salt);
    h.update(normal.as_bytes());
    Some(h.finalize().into())
}

const BASE32: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn new_recovery_code() -> String {
    let bytes: [u8; 20] = random();
    let mut bits = 0u64;
    let mut n = 0;
    let mut chars = Vec::with_capacity(32);
    for b in bytes {
        bits = (bits << 8) | u64::from(b);
        n += 8;
        while n >= 5 {
            n -= 5;
            chars.push(char::from(BASE32[((bits >> n) & 31) as usize]));
        }
    }
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

fn aad(kind: SlotKind, user: &str) -> String {
    format!("motcua register key v1|{kind:?}|{user}")
}

fn seal_slot(
    key: &RegisterKey,
    kek: &[u8; 32],
    kind: SlotKind,
    user: &str,
    salt: &[u8],
) -> Result<Slot> {
    let sealer = aead::LessSafeKey::new(
        aead::UnboundKey::new(&aead::CHACHA20_POLY1305, kek)
            .map_err(|_| StoreError::Key("không tạo được khe khóa".into()))?,
    );
    let nonce: [u8; 12] = random();
    let mut data = key.0.to_vec();
    sealer
        .seal_in_place_append_tag(
            aead::Nonce::assume_unique_for_key(nonce),
            aead::Aad::from(aad(kind, user).as_bytes()),
            &mut data,
        )
        .map_err(|_| StoreError::Key("không tạo được khe khóa".into()))?;
    Ok(Slot {
        kind,
        user: user.to_string(),
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
        sealed: hex::encode(data),
    })
}

fn open_slot(slot: &Slot, kek: &[u8; 32]) -> Option<RegisterKey> {
    let opener = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::CHACHA20_POLY1305, kek).ok()?);
    let nonce: [u8; 12] = hex::decode(&slot.nonce).ok()?.try_into().ok()?;
    let mut data = hex::decode(&slot.sealed).ok()?;
    let plain = opener
        .open_in_place(
            aead::Nonce::assume_unique_for_key(nonce),
            aead::Aad::from(aad(slot.kind, &slot.user).as_bytes()),
            &mut data,
        )
        .ok()?;
    let key = RegisterKey::from_slice(plain);
    for b in &mut data {
        wipe(b);
    }
    key
}

fn password_slot(key: &RegisterKey, user: &str, password: &str) -> Result<Slot> {
    let salt: [u8; 16] = random();
    let kek = password_kek(password, &hex::encode(salt))?;
    seal_slot(key, &kek, SlotKind::Password, user, &salt)
}

fn recovery_slot(key: &RegisterKey, code: &str) -> Result<Slot> {
    let salt: [u8; 16] = random();
    let kek = recovery_kek(code, &hex::encode(salt))
        .ok_or_else(|| StoreError::Key("mã khôi phục không hợp lệ".into()))?;
    seal_slot(key, &kek, SlotKind::Recovery, "", &salt)
}

fn windows_slot(key: &RegisterKey) -> Option<Slot> {
    let blob = motcua_win::seal::seal(&key.0, SEAL_PURPOSE).ok()?;
    Some(Slot {
        kind: SlotKind::Windows,
        user: String::new(),
        salt: String::new(),
        nonce: String::new(),
        sealed: hex::encode(blob),
    })
}

/// Gives a fresh connection the key (it must come before anything reads the file) and
/// checks that it opens the file: a wrong key reads as "not a database".
pub(crate) fn apply(conn: &Connection, key: Option<&RegisterKey>) -> Result<()> {
    let Some(key) = key else {
        return Ok(());
    };
    conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma()))?;
    // A page read again from the OS's cache is decrypted and checked again: a larger
    // cache of decrypted pages keeps a search of a large register near the plain one's
    // (benches/at_rest.rs: p95 3.8 times the plain one's at 1,000,000 dossiers with
    // SQLite's default 2 MB).
    conn.execute_batch(&format!("PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB};"))?;
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => Err(
            StoreError::Key("khóa mã hóa không mở được sổ đăng ký (khóa sai hoặc tệp hỏng)".into()),
        ),
        Err(e) => Err(e.into()),
    }
}

/// Opens `path` with `flags` and `key`.
pub(crate) fn open_with(
    path: impl AsRef<Path>,
    flags: rusqlite::OpenFlags,
    key: Option<&RegisterKey>,
) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    apply(&conn, key)?;
    Ok(conn)
}

/// Copies the database of `conn` (page by page, a consistent snapshot) to `dest`,
/// encrypted under `key` as the source is.
pub(crate) fn copy(conn: &Connection, dest: &Path, key: Option<&RegisterKey>) -> Result<()> {
    let mut out = Connection::open(dest)?;
    apply(&out, key)?;
    let b = rusqlite::backup::Backup::new(conn, &mut out)?;
    b.run_to_completion(256, std::time::Duration::ZERO, None)?;
    Ok(())
}

#[cfg(test)]
mod tests;
