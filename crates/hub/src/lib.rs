//! motcua-hub: the province hub. Counters enrol, push their signed journals and pull
//! upstream status changes; processing systems set status; citizens look up a dossier.
//! SQLite by default; the HTTP API is in [`api`], storage behind [`db::Storage`], the
//! database behind [`sql::Db`], connections in [`serve`]. The command line is the
//! `motcua-hub` binary's; this library opens a backend ([`open_backend`]) and serves
//! ([`serve()`], [`serve_tls`]) with typed errors.

pub mod api;
pub mod db;
pub mod error;
pub mod metrics;
pub mod report;
pub mod schema;
pub mod serve;
pub mod sql;

pub use serve::{ServeOptions, serve, serve_tls};

use db::{HubStore, Storage};
use error::HubError;
use std::path::PathBuf;
use std::sync::Arc;

/// Which database the hub runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    /// The embedded default: one SQLite file.
    Sqlite(PathBuf),
    /// PostgreSQL (production, several instances over one database).
    Postgres(sql::PgOptions),
}

/// Why the hub could not open its database. Plain Vietnamese: provincial IT reads it.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("không kết nối được PostgreSQL: {0}")]
    Postgres(HubError),
    // The causes are named `reason`, not `source`: their words are already in the message,
    // and a `source` would print them a second time after it («…: x: x»).
    #[error("không mở được cơ sở dữ liệu {}: {reason}", path.display())]
    Sqlite { path: PathBuf, reason: HubError },
    #[error("{at}{reason}")]
    Schema {
        /// "cơ sở dữ liệu <file>: " on SQLite, empty on PostgreSQL.
        at: String,
        reason: schema::SchemaError,
    },
}

/// Why serving stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("địa chỉ lắng nghe không hợp lệ: {0}")]
    BadAddress(String),
    #[error("không mở được cổng {addr}: {reason}")]
    Bind {
        addr: String,
        reason: std::io::Error,
    },
    #[error("không đọc được chứng chỉ TLS {} / khóa {}: {reason}", cert.display(), key.display())]
    Tls {
        cert: PathBuf,
        key: PathBuf,
        reason: std::io::Error,
    },
    #[error("máy chủ dừng bất thường: {0}")]
    Io(#[from] std::io::Error),
    #[error("sau {0} giây vẫn còn yêu cầu chưa xong: dừng hẳn (giao dịch dở dang không được ghi)")]
    GraceExpired(u64),
}

/// An opened backend: the hub logic over it, and the pool's gauge on PostgreSQL.
pub struct Opened {
    pub storage: Arc<dyn Storage>,
    /// In-use and idle connections of the PostgreSQL pool (None on SQLite).
    pub pool: Option<sql::PoolGauge>,
    /// What the schema migration did.
    pub migrated: schema::Migrated,
}

/// Opens the database, brings its schema to this version (`now` is recorded with each
/// step) and puts the hub logic over it.
pub fn open_backend(backend: &Backend, now: &str) -> Result<Opened, OpenError> {
    match backend {
        Backend::Postgres(opts) => {
            let pg = sql::Postgres::open(opts).map_err(OpenError::Postgres)?;
            let migrated = schema::migrate(&pg, now).map_err(|reason| OpenError::Schema {
                at: String::new(),
                reason,
            })?;
            let pool = Some(pg.gauge());
            Ok(Opened {
                storage: Arc::new(HubStore::new(pg)),
                pool,
                migrated,
            })
        }
        Backend::Sqlite(path) => {
            let s = sql::Sqlite::open(path).map_err(|reason| OpenError::Sqlite {
                path: path.clone(),
                reason,
            })?;
            let migrated = schema::migrate(&s, now).map_err(|reason| OpenError::Schema {
                at: format!("cơ sở dữ liệu {}: ", path.display()),
                reason,
            })?;
            Ok(Opened {
                storage: Arc::new(HubStore::new(s)),
                pool: None,
                migrated,
            })
        }
    }
}

/// Resolves on SIGTERM or Ctrl+C (SIGINT).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    eprintln!(
        "motcua-hub: nhận tín hiệu dừng, không nhận kết nối mới, chờ các yêu cầu đang chạy xong"
    );
}
