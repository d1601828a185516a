//! motcua-hub: the province hub. Counters enrol, push their signed journals and pull
//! upstream status changes; processing systems set status; citizens look up a dossier.
//! SQLite by default; the HTTP API is in [`api`], storage behind [`db::Storage`].

pub mod api;
pub mod db;
pub mod error;
pub mod metrics;
pub mod schema;
pub mod sql;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use db::{HubStore, Storage};
use std::path::PathBuf;
use std::sync::Arc;

/// Command line of the hub.
#[derive(Debug, Parser)]
#[command(
    name = "motcua-hub",
    version,
    about = "Máy chủ tổng hợp hồ sơ một cửa cấp tỉnh"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the hub keeps its data.
#[derive(Debug, clap::Args)]
struct DbArgs {
    /// SQLite database file (the default backend).
    #[arg(long, default_value = "hub.sqlite", env = "MOTCUA_HUB_DB")]
    db: PathBuf,
    /// PostgreSQL instead of SQLite, e.g. postgres://hub@127.0.0.1/hub.
    #[arg(long, env = "MOTCUA_HUB_DATABASE_URL")]
    database_url: Option<String>,
    /// PostgreSQL schema to keep the tables in (created if missing).
    #[arg(long, env = "MOTCUA_HUB_PG_SCHEMA")]
    pg_schema: Option<String>,
    /// Most PostgreSQL connections this process opens (a pool; one per running
    /// transaction).
    #[arg(long, env = "MOTCUA_HUB_PG_POOL_SIZE", default_value_t = sql::DEFAULT_POOL_SIZE)]
    pg_pool_size: u32,
    /// CA certificate(s) (PEM) the PostgreSQL server's certificate must chain to: the
    /// connection then requires TLS. Without it, `sslmode=require` in the URL verifies
    /// the server against the Mozilla roots.
    #[arg(long, env = "MOTCUA_HUB_PG_CA_FILE")]
    pg_ca_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// TLS certificate chain (PEM); with --tls-key the hub speaks HTTPS (rustls).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// TLS private key (PEM) of --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// After SIGTERM or Ctrl+C, how long requests already running may take to finish
        /// (new connections are refused at once).
        #[arg(long, default_value_t = 30, env = "MOTCUA_HUB_SHUTDOWN_GRACE_SECS")]
        shutdown_grace_secs: u64,
        /// Shift the clock the hub announces by this many seconds (tests only).
        #[arg(long, hide = true, default_value_t = 0, allow_hyphen_values = true)]
        clock_skew_secs: i64,
    },
    /// Counter stations.
    #[command(subcommand)]
    Station(StationCmd),
    /// Processing systems of the province.
    #[command(subcommand)]
    Processor(ProcessorCmd),
    /// Processing status of dossiers.
    #[command(subcommand)]
    Status(StatusCmd),
    /// Publish a procedure catalogue version (JSON file) to every counter.
    #[command(subcommand)]
    Catalog(PublishCmd),
    /// Publish a yearly holiday schedule (JSON file) to every counter.
    #[command(subcommand)]
    Holidays(PublishCmd),
    /// Problems found in stations' journals, as JSON.
    Alerts {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Dossiers per agency and status, as JSON.
    Counts {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
enum StationCmd {
    /// Print a one-time enrolment token for station N of an agency.
    Add {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        agency_id: String,
        #[arg(long)]
        station: u8,
    },
    /// Revoke every credential of a station (`<agency>#<n>`).
    Revoke {
        #[command(flatten)]
        db: DbArgs,
        station_id: String,
    },
}

#[derive(Debug, Subcommand)]
enum PublishCmd {
    /// Put the file in the change feed counters pull.
    Publish {
        #[command(flatten)]
        db: DbArgs,
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum ProcessorCmd {
    /// Print a new credential for a processing system.
    Add {
        #[command(flatten)]
        db: DbArgs,
        name: String,
    },
}

#[derive(Debug, Subcommand)]
enum StatusCmd {
    /// Record a processing status for a dossier code.
    Set {
        #[command(flatten)]
        db: DbArgs,
        code: String,
        status: String,
        #[arg(long)]
        note: Option<String>,
    },
}

/// An opened backend: the hub logic over it, and the pool's gauge on PostgreSQL.
pub struct Opened {
    pub storage: Arc<dyn Storage>,
    /// In-use and idle connections of the PostgreSQL pool (None on SQLite).
    pub pool: Option<sql::PoolGauge>,
    /// What the schema migration did.
    pub migrated: schema::Migrated,
}

fn open_backend(db: &DbArgs) -> Result<Opened> {
    if let Some(url) = &db.database_url {
        let pg = sql::Postgres::open(&sql::PgOptions {
            url: url.clone(),
            schema: db.pg_schema.clone(),
            pool_size: db.pg_pool_size,
            ca_file: db.pg_ca_file.clone(),
        })
        .context("không kết nối được PostgreSQL")?;
        let migrated = schema::migrate(&pg, &now())?;
        let pool = Some(pg.gauge());
        return Ok(Opened {
            storage: Arc::new(HubStore::new(pg)),
            pool,
            migrated,
        });
    }
    let s = sql::Sqlite::open(&db.db)
        .with_context(|| format!("không mở được cơ sở dữ liệu {}", db.db.display()))?;
    let migrated = schema::migrate(&s, &now())
        .with_context(|| format!("cơ sở dữ liệu {}", db.db.display()))?;
    Ok(Opened {
        storage: Arc::new(HubStore::new(s)),
        pool: None,
        migrated,
    })
}

fn open(db: &DbArgs) -> Result<Arc<dyn Storage>> {
    Ok(open_backend(db)?.storage)
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

fn read(file: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("không đọc được {}", file.display()))
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Serves the API over TLS (rustls) on `listen` until SIGTERM or Ctrl+C; then stops
/// accepting and lets running requests finish (at most `grace`).
pub async fn serve_tls(
    state: api::AppState,
    listen: &str,
    cert: &std::path::Path,
    key: &std::path::Path,
    grace: std::time::Duration,
) -> Result<()> {
    // rustls is built with ring only (no OpenSSL, no aws-lc), so that is its provider.
    let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
        .await
        .with_context(|| {
            format!(
                "không đọc được chứng chỉ TLS {} / khóa {}",
                cert.display(),
                key.display()
            )
        })?;
    let addr: std::net::SocketAddr = listen
        .parse()
        .with_context(|| format!("địa chỉ lắng nghe không hợp lệ: {listen}"))?;
    let handle = axum_server::Handle::new();
    let h = handle.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        h.graceful_shutdown(Some(grace));
    });
    eprintln!("motcua-hub listening on https://{addr}");
    axum_server::bind_rustls(addr, config)
        .handle(handle)
        .serve(api::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .await
        .context("máy chủ dừng bất thường")?;
    eprintln!("motcua-hub: đã dừng");
    Ok(())
}

/// Serves the API on `listen` until SIGTERM or Ctrl+C; then stops accepting and lets
/// running requests finish (at most `grace`, after which it fails).
pub async fn serve(state: api::AppState, listen: &str, grace: std::time::Duration) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("không mở được cổng {listen}"))?;
    eprintln!("motcua-hub listening on http://{}", listener.local_addr()?);
    let stopping = std::sync::Arc::new(tokio::sync::Notify::new());
    let notify = stopping.clone();
    let server = axum::serve(
        listener,
        api::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        notify.notify_one();
    });
    tokio::select! {
        r = server => r.context("máy chủ dừng bất thường")?,
        () = async {
            stopping.notified().await;
            tokio::time::sleep(grace).await;
        } => anyhow::bail!(
            "sau {} giây vẫn còn yêu cầu chưa xong: dừng hẳn (giao dịch dở dang không được ghi)",
            grace.as_secs()
        ),
    }
    eprintln!("motcua-hub: đã dừng");
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve {
            db,
            listen,
            tls_cert,
            tls_key,
            shutdown_grace_secs,
            clock_skew_secs,
        } => {
            let opened = open_backend(&db)?;
            if opened.migrated.from != opened.migrated.to {
                eprintln!(
                    "motcua-hub: đã nâng cấp lược đồ cơ sở dữ liệu từ phiên bản {} lên {}",
                    opened.migrated.from, opened.migrated.to
                );
            }
            let grace = std::time::Duration::from_secs(shutdown_grace_secs);
            // The last handle on the storage is dropped here, after the runtime: closing a
            // pooled PostgreSQL connection blocks, which must not happen on its threads.
            let storage = opened.storage.clone();
            let mut state = api::AppState::new(opened.storage);
            state.pool = opened.pool;
            state.clock_skew = chrono::Duration::seconds(clock_skew_secs);
            let served = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("không khởi động được tokio")?
                .block_on(async {
                    match (&tls_cert, &tls_key) {
                        (Some(c), Some(k)) => serve_tls(state, &listen, c, k, grace).await,
                        _ => serve(state, &listen, grace).await,
                    }
                });
            drop(storage);
            served
        }
        Command::Station(StationCmd::Add {
            db,
            agency_id,
            station,
        }) => {
            let token = open(&db)?.add_enrol_token(&agency_id, station, &now())?;
            println!("{token}");
            Ok(())
        }
        Command::Station(StationCmd::Revoke { db, station_id }) => {
            let n = open(&db)?.revoke_station(&station_id, &now())?;
            println!("{n}");
            Ok(())
        }
        Command::Processor(ProcessorCmd::Add { db, name }) => {
            println!("{}", open(&db)?.add_processor(&name, &now())?);
            Ok(())
        }
        Command::Status(StatusCmd::Set {
            db,
            code,
            status,
            note,
        }) => {
            let status = api::parse_status(&status)?;
            open(&db)?.set_status(&code, status, note.as_deref(), &now())?;
            Ok(())
        }
        Command::Catalog(PublishCmd::Publish { db, file }) => {
            let body = read(&file)?;
            let cat = motcua_core::catalog::Catalog::from_json(&body)?;
            let change = motcua_core::wire::Change::Catalog {
                version: cat.version.clone(),
                body,
            };
            println!("{}", open(&db)?.publish(&change, &now())?);
            Ok(())
        }
        Command::Holidays(PublishCmd::Publish { db, file }) => {
            let body = read(&file)?;
            let schedule = motcua_core::calendar::YearSchedule::from_json(&body)?;
            let change = motcua_core::wire::Change::Holidays {
                year: schedule.year,
                body,
            };
            println!("{}", open(&db)?.publish(&change, &now())?);
            Ok(())
        }
        Command::Alerts { db } => {
            println!("{}", serde_json::to_string_pretty(&open(&db)?.alerts()?)?);
            Ok(())
        }
        Command::Counts { db } => {
            println!("{}", serde_json::to_string_pretty(&open(&db)?.counts()?)?);
            Ok(())
        }
    }
}

/// Entry point of the `motcua-hub` binary.
pub fn main_entry() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
