//! The counter register on SQLite: open and migrate, station setup, accounts, catalogue,
//! dossiers, journal and outbox. Its surface is business operations, not SQL.
//!
//! Every write is one IMMEDIATE transaction that changes the projection, appends the
//! journal event, queues it in the outbox and re-signs the journal head, so a dossier the
//! clerk saw saved is durable (WAL, synchronous=FULL) and explained by the journal.

mod access;
pub use access::{AccessEntry, AccessFilter};
mod backup;
mod catalog;
pub mod cipher;
mod correction;
pub use catalog::Use;
mod dossier;
mod error;
mod extension;
mod holiday;
pub(crate) mod journal;
pub mod keys;
mod loss;
pub mod mark;
mod migrate;
mod recover;
mod register;
mod report;
mod station;
mod sync;
mod user;
mod verify;
mod write;

pub use dossier::{DossierSummary, ReceiveRequest, SeedSpec, new_request_id};
pub use error::StoreError;
pub use holiday::StoredSchedule;
pub use journal::{DossierEvent, StatusChange};
pub use loss::{UNKNOWN_LOSS_SKIP, UsedNumbers, used_numbers};
pub use migrate::{CURRENT_VERSION, Migration};
pub use recover::Recovered;
pub use register::{LIST_CAP, RegisterFilter, Sort};
pub use station::{StationInfo, StationSetup};

/// The settings row that keeps the hub's public lookup page (not a clerk's setting: the
/// hub sets it).
const HUB_LOOKUP_URL: &str = "hub-lookup-url";
pub use sync::{HubAnswer, PushRecord, QuarantinedItem, SyncConflict, SyncOutcome, SyncState};
pub use user::{NewUser, Role, User};
pub use verify::VerifySummary;

use ed25519_dalek::SigningKey;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Result of a store operation.
pub type Result<T> = std::result::Result<T, StoreError>;

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// An open counter database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    signer: Option<SigningKey>,
    /// The high-water mark's file, kept open once written (see `mark.rs`).
    mark_file: Option<std::fs::File>,
    /// The register's key when it is encrypted (see `cipher.rs`).
    key: Option<cipher::RegisterKey>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Changes whenever the database may have changed since it was last read: another
    /// connection committed (`PRAGMA data_version`) or this one changed rows. What is
    /// derived from the database may be kept while this stays the same.
    pub fn write_stamp(&self) -> Result<(i64, u64)> {
        let v: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok((v, self.conn.total_changes()))
    }

    /// Opens (creating if needed, readable by the owner only) and migrates the database.
    pub fn open(path: &Path) -> Result<Store> {
        // A station's database that lost its content is never given a fresh schema: that
        // would restart the codes at 0001 under the same station.
        let empty = std::fs::metadata(path).map_or(true, |md| md.len() == 0);
        match mark::read_state(path)? {
            // A mark at 0 is a setup begun: nothing was recorded yet.
            mark::State::Valid(m) if empty && m.seq > 0 => {
                return Err(StoreError::Setup(format!(
                    "tệp cơ sở dữ liệu {} trống hoặc mất trong khi quầy {} đã ghi {} sự kiện; không tạo cơ sở dữ liệu mới đè lên; hãy khôi phục bản sao lưu hoặc lấy lại từ máy chủ tỉnh («motcua sync enroll --recover»)",
                    path.display(),
                    m.station_id,
                    m.seq
                )));
            }
            mark::State::Damaged if empty => {
                return Err(StoreError::Setup(format!(
                    "tệp cơ sở dữ liệu {} trống hoặc mất, và tệp mốc nhật ký bên cạnh bị hỏng: quầy này đã từng ghi sự kiện; không tạo cơ sở dữ liệu mới đè lên; hãy khôi phục bản sao lưu hoặc lấy lại từ máy chủ tỉnh («motcua sync enroll --recover»)",
                    path.display()
                )));
            }
            _ => {}
        }
        let key = cipher::key_for(path)?;
        Store::open_with_key(path, key)
    }

    /// Opens (creating if needed) and migrates the database at `path` under `key` (a
    /// copy of an encrypted register has no key file of its own).
    pub(crate) fn open_with_key(path: &Path, key: Option<cipher::RegisterKey>) -> Result<Store> {
        migrate::ensure_private_file(path)?;
        let conn = Connection::open(path)?;
        cipher::apply(&conn, key.as_ref())?;
        configure(&conn)?;
        migrate::migrate(
            &conn,
            path,
            migrate::SCHEMA,
            migrate::MIGRATIONS,
            key.as_ref(),
        )?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            signer: None,
            mark_file: None,
            key,
        })
    }

    /// Gives the store the station key that signs the journal head. Writes that append
    /// events need it.
    pub fn with_signer(mut self, key: SigningKey) -> Store {
        self.signer = Some(key);
        self
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The hub's public lookup page as the hub last told it (at enrolment or with a
    /// pull), if it told one.
    pub fn hub_lookup_url(&self) -> Result<Option<String>> {
        self.setting(HUB_LOOKUP_URL)
    }

    /// Keeps the hub's public lookup page (what [`Store::hub_lookup_url`] gives).
    pub fn set_hub_lookup_url(&self, url: &str) -> Result<()> {
        if self.hub_lookup_url()?.as_deref() == Some(url) {
            return Ok(());
        }
        self.set_setting(HUB_LOOKUP_URL, url)
    }

    /// A setting, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets a setting (not journaled: settings are local preferences).
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

/// Per-connection settings: WAL, full fsync on commit, foreign keys, busy timeout.
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Setup(format!(
            "không bật được chế độ WAL (đang là {mode})"
        )));
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;
    use chrono::{DateTime, FixedOffset};
    use motcua_core::calendar::Term;
    use motcua_core::dossier::{DocumentInput, DocumentKind};

    pub fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-25T09:30:00+07:00").unwrap()
    }

    /// A fresh initialised store in a temp dir, with one clerk `lan` and the test catalogue.
    pub fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let key = keys::generate(&dir.path().join("station.key")).unwrap();
        let mut s = Store::open(&dir.path().join("motcua.sqlite"))
            .unwrap()
            .with_signer(key);
        s.init_station(
            &StationSetup {
                agency_id: "000.17.22.H56".parse().unwrap(),
                agency_name: "UBND xã Tân Lập".into(),
                parent_name: Some("UBND tỉnh Thanh Hóa".into()),
                station_no: motcua_core::code::StationNo::new(1).unwrap(),
            },
            now(),
        )
        .unwrap();
        s.add_user(
            &NewUser {
                username: "lan".into(),
                full_name: "Trần Thị Lan".into(),
                role: Role::Clerk,
                password: "mật khẩu dài".into(),
            },
            "system",
            now(),
        )
        .unwrap();
        let cat = motcua_core::catalog::Catalog::from_json(TEST_CATALOG).unwrap();
        s.load_catalog(&cat, "system", now()).unwrap();
        (dir, s)
    }

    /// A valid request for procedure 1.004873 (3 working days) by `lan`.
    pub fn request(name: &str, received_at: &str) -> ReceiveRequest {
        let input = motcua_core::dossier::DossierInput {
            applicant_name: name.into(),
            id_number: Some("001099012345".into()),
            phone: Some("0912345678".into()),
            address: Some("Thôn Đông, xã Tân Lập".into()),
            documents: vec![DocumentInput::new("Tờ khai", DocumentKind::Original, 1)],
            sets: 1,
            ..Default::default()
        }
        .validate(chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap())
        .unwrap();
        ReceiveRequest {
            input,
            procedure: motcua_core::dossier::ProcedureRef {
                code: "1.004873".into(),
                name: "Xác nhận tình trạng hôn nhân".into(),
                catalog_version: "test-1".into(),
                term: Some(Term::WorkingDays(3)),
                case: None,
                term_source: None,
                field: Some("Hộ tịch".into()),
            },
            received_at: chrono::NaiveDateTime::parse_from_str(received_at, "%Y-%m-%dT%H:%M")
                .unwrap(),
            due_at: None,
            clerk: "lan".into(),
        }
    }

    pub const TEST_CATALOG: &str = r#"{"version":"test-1","effective_from":"2025-07-01","source":"test",
      "procedures":[
        {"code":"1.001193","name":"Đăng ký khai sinh","field":"Hộ tịch","term":"same-day","fee":"Miễn phí",
         "documents":[{"name":"Tờ khai đăng ký khai sinh","kind":"original"}]},
        {"code":"2.000815","name":"Chứng thực bản sao từ bản chính","field":"Chứng thực","term":"same-day","fee":"2.000 đ/trang",
         "documents":[]},
        {"code":"1.004873","name":"Xác nhận tình trạng hôn nhân","field":"Hộ tịch","term":"3wd","term_unconfirmed":true,"fee":"HĐND","documents":[]}
      ]}"#;
}
