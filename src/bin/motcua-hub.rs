//! `motcua-hub`, the province hub: its command line. The hub itself (storage, protocol,
//! HTTP API) is the `motcua-hub` library; this binary parses arguments, opens the backend
//! and prints results. It is built by the root package so that `cargo test` builds it
//! beside `motcua` for the end-to-end sync tests.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use motcua_hub::db::Storage;
use motcua_hub::{Backend, api, sql};
use std::path::PathBuf;
use std::sync::Arc;

/// Threads for storage calls (tokio's blocking pool; its default is 512): storage waits
/// for one SQLite connection or a small PostgreSQL pool anyway, and every thread is stack
/// and allocator state (glibc gives busy threads arenas of their own, up to eight per
/// core, and keeps what each freed). Pushes are inflated and stored on four threads of
/// their own (`motcua_hub::api`), not here.
const BLOCKING_THREADS: usize = 32;

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

impl DbArgs {
    /// The backend these flags name.
    fn backend(&self) -> Backend {
        match &self.database_url {
            Some(url) => Backend::Postgres(sql::PgOptions {
                url: url.clone(),
                schema: self.pg_schema.clone(),
                pool_size: self.pg_pool_size,
                ca_file: self.pg_ca_file.clone(),
            }),
            None => Backend::Sqlite(self.db.clone()),
        }
    }
}

/// The hub over the database the flags name.
fn open(db: &DbArgs) -> Result<Arc<dyn Storage>> {
    Ok(motcua_hub::open_backend(&db.backend(), &now())?.storage)
}

fn read(file: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("không đọc được {}", file.display()))
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
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
        /// A reverse proxy (IP address, repeatable or comma-separated) whose
        /// X-Forwarded-For is believed, so the citizen lookup limit counts each citizen
        /// rather than the proxy. Without it the header is ignored.
        #[arg(
            long = "trusted-proxy",
            env = "MOTCUA_HUB_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// Most connections open at once (lowered to fit the process's limit on open
        /// files): at the limit, the connection idle the longest is closed for a new one.
        #[arg(
            long,
            env = "MOTCUA_HUB_MAX_CONNECTIONS",
            default_value_t = motcua_hub::serve::DEFAULT_MAX_CONNECTIONS
        )]
        max_connections: usize,
        /// The hub's public address as citizens reach it (e.g.
        /// https://motcua.tinh.gov.vn): stations are told its citizen lookup page
        /// (`/tra-cuu`) at enrolment and with every pull, and print it in their receipts'
        /// QR. Without it, stations print the page set in their own `lookup-url`, or
        /// none.
        #[arg(long, env = "MOTCUA_HUB_PUBLIC_URL", value_parser = public_url)]
        public_url: Option<String>,
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
    /// What the citizen lookup page says of an agency (its name, phone and address).
    #[command(subcommand)]
    Agency(AgencyCmd),
    /// Biểu 06 over every station of an agency (or of every agency), from what they
    /// pushed, counted by the same rules as at the counter.
    Report {
        #[command(flatten)]
        db: DbArgs,
        /// The agency; without it, one report per agency with enrolled stations.
        #[arg(long)]
        agency_id: Option<String>,
        /// First day, YYYY-MM-DD (with --to).
        #[arg(long, requires = "to", conflicts_with_all = ["month", "year"])]
        from: Option<chrono::NaiveDate>,
        /// Last day, YYYY-MM-DD.
        #[arg(long, requires = "from")]
        to: Option<chrono::NaiveDate>,
        /// A month, YYYY-MM, closed on --start-day.
        #[arg(long, conflicts_with = "year")]
        month: Option<String>,
        /// A year, closed on --start-day.
        #[arg(long)]
        year: Option<i32>,
        /// The day of the month reports close on (1–28): 15 runs a month from the 15th of
        /// the month before to the 14th.
        #[arg(long, default_value_t = 15)]
        start_day: u32,
        /// json (default) or csv.
        #[arg(long, default_value = "json")]
        format: String,
    },
}

#[derive(Debug, Subcommand)]
enum AgencyCmd {
    /// Set the name, phone and address the lookup page shows for an agency's dossiers
    /// (without a name the page shows the name its stations were set up with).
    Set {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        agency_id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        address: Option<String>,
    },
}

/// A public address: http(s), no query or fragment; the trailing slash dropped.
fn public_url(raw: &str) -> Result<String, String> {
    let u = raw.trim().trim_end_matches('/');
    let ok = (u.starts_with("https://") || u.starts_with("http://"))
        && u.split_once("://")
            .is_some_and(|(_, rest)| !rest.is_empty())
        && !u.contains(['?', '#', ' ']);
    if ok {
        Ok(u.to_string())
    } else {
        Err("địa chỉ công khai phải có dạng https://tên-miền[/đường-dẫn], không có ? hay #".into())
    }
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

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve {
            db,
            listen,
            tls_cert,
            tls_key,
            shutdown_grace_secs,
            trusted_proxies,
            max_connections,
            public_url,
            clock_skew_secs,
        } => {
            let opened = motcua_hub::open_backend(&db.backend(), &now())?;
            if opened.migrated.from != opened.migrated.to {
                eprintln!(
                    "motcua-hub: đã nâng cấp lược đồ cơ sở dữ liệu từ phiên bản {} lên {}",
                    opened.migrated.from, opened.migrated.to
                );
            }
            let opts = motcua_hub::ServeOptions {
                max_connections,
                grace: std::time::Duration::from_secs(shutdown_grace_secs),
            };
            // The last handle on the storage is dropped here, after the runtime: closing a
            // pooled PostgreSQL connection blocks, which must not happen on its threads.
            let storage = opened.storage.clone();
            let mut state = api::AppState::new(opened.storage);
            state.pool = opened.pool;
            state.clock_skew = chrono::Duration::seconds(clock_skew_secs);
            state.trusted_proxies = Arc::new(trusted_proxies);
            state.lookup_url = public_url.map(|u| format!("{u}/tra-cuu").into());
            let served = tokio::runtime::Builder::new_multi_thread()
                .max_blocking_threads(BLOCKING_THREADS)
                .enable_all()
                .build()
                .context("không khởi động được tokio")?
                .block_on(async {
                    match (&tls_cert, &tls_key) {
                        (Some(c), Some(k)) => {
                            motcua_hub::serve_tls(state, &listen, c, k, &opts).await
                        }
                        _ => motcua_hub::serve(state, &listen, &opts).await,
                    }
                });
            drop(storage);
            Ok(served?)
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
        Command::Agency(AgencyCmd::Set {
            db,
            agency_id,
            name,
            phone,
            address,
        }) => {
            let info = motcua_hub::db::AgencyInfo {
                name: name.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
                phone: phone
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
                address: address
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            };
            open(&db)?.set_agency(agency_id.trim(), &info, &now())?;
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
        Command::Report {
            db,
            agency_id,
            from,
            to,
            month,
            year,
            start_day,
            format,
        } => {
            use motcua_core::report::Period;
            let period = match (from, to, month.as_deref(), year) {
                (Some(f), Some(t), _, _) => Period::range(f, t),
                (_, _, Some(m), _) => Period::parse(m, start_day)
                    .filter(|p| p.kind == motcua_core::report::PeriodKind::Month),
                (_, _, _, Some(y)) => Period::year(y, start_day),
                _ => anyhow::bail!("cần chọn kỳ báo cáo: --from và --to, --month hoặc --year"),
            }
            .ok_or_else(|| anyhow::anyhow!("kỳ báo cáo không hợp lệ (tháng 1–12, --start-day 1–28, ngày đầu không sau ngày cuối)"))?;
            let storage = open(&db)?;
            let out = motcua_hub::report::reports(
                storage.as_ref(),
                agency_id.as_deref(),
                period,
                motcua_hub::report::vietnam_now(),
            )?;
            match format.as_str() {
                "csv" => {
                    for a in &out {
                        print!("{}", motcua_core::report::csv(&a.report, &a.agency_id));
                    }
                }
                "json" => println!("{}", serde_json::to_string_pretty(&out)?),
                other => anyhow::bail!("định dạng «{other}» không có; dùng json hoặc csv"),
            }
            Ok(())
        }
        Command::Counts { db } => {
            println!("{}", serde_json::to_string_pretty(&open(&db)?.counts()?)?);
            Ok(())
        }
    }
}

/// glibc's allocator setting the serving hub runs with: blocks of 128 KiB and more are
/// mapped on their own and unmapped when freed. By default glibc raises that threshold to
/// the largest block freed, and then keeps such blocks in its arenas: after 16 to 64
/// concurrent gzip bombs the hub stayed at its peak, 60–77 MiB, instead of returning to
/// 8 MiB; with it, 12–16 MiB (`benches/hub_memory.sh`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MALLOC_TUNABLES: &str = "glibc.malloc.mmap_threshold=131072";

/// Runs the hub again, as the same process (exec), with [`MALLOC_TUNABLES`] added to
/// `GLIBC_TUNABLES`: glibc reads them only when a program starts. Nothing is done when
/// they are there already (set by the service's environment, or by this), and a failed
/// exec only costs the setting.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn with_malloc_tunables() {
    use std::os::unix::process::CommandExt;
    let set = std::env::var("GLIBC_TUNABLES").unwrap_or_default();
    if set.contains("glibc.malloc.mmap_threshold") {
        return;
    }
    let tunables = match set.as_str() {
        "" => MALLOC_TUNABLES.to_string(),
        _ => format!("{set}:{MALLOC_TUNABLES}"),
    };
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let mut args = std::env::args_os();
    let mut again = std::process::Command::new(exe);
    if let Some(name) = args.next() {
        again.arg0(name);
    }
    let err = again.args(args).env("GLIBC_TUNABLES", tunables).exec();
    eprintln!("motcua-hub: chạy tiếp không có thiết lập cấp phát bộ nhớ ({err})");
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if matches!(cli.command, Command::Serve { .. }) {
        with_malloc_tunables();
    }
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
