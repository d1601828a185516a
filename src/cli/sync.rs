//! `motcua sync`: enrol with the province hub, sync once, run the sync loop, show its state.

use crate::cli::{open_store, print_json};
use crate::paths::Paths;
use anyhow::{Context, Result};
use motcua_core::wire::EnrollRequest;
use motcua_sync::{Backoff, Client, SyncError};
use std::path::PathBuf;
use std::time::Duration;

/// `motcua sync [--once] [enroll|run|status]`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    /// Sync once now and report (the same as the loop's one round).
    #[arg(long)]
    once: bool,
    /// How long one request may take, in seconds.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    #[command(subcommand)]
    command: Option<SyncCmd>,
}

/// Sync subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum SyncCmd {
    /// Register this station's key with the hub using a one-time token.
    Enroll {
        #[arg(long)]
        hub: String,
        #[arg(long)]
        token: String,
        /// For an https hub with a private CA: the CA certificate (PEM), kept in the data
        /// directory as hub-ca.pem.
        #[arg(long)]
        ca_cert: Option<PathBuf>,
    },
    /// Run the sync loop in the foreground (as a service would).
    Run {
        /// Seconds between syncs while the hub answers.
        #[arg(long, default_value_t = 60.0)]
        interval: f64,
        /// First backoff delay in seconds after a failure (doubles, with jitter).
        #[arg(long, default_value_t = 2.0)]
        backoff_base: f64,
        /// Longest backoff delay in seconds.
        #[arg(long, default_value_t = 300.0)]
        backoff_max: f64,
        /// Stop after this many rounds (for tests and scripts).
        #[arg(long)]
        rounds: Option<u64>,
        /// Stop after the first round that leaves nothing pending.
        #[arg(long)]
        until_idle: bool,
        /// How long one request may take, in seconds.
        #[arg(long, default_value_t = 60)]
        timeout: u64,
    },
    /// Show the sync state.
    Status {
        #[arg(long)]
        json: bool,
    },
}

fn credential_path(paths: &Paths) -> PathBuf {
    paths.data_dir.join("sync.credential")
}

fn ca_path(paths: &Paths) -> PathBuf {
    paths.data_dir.join("hub-ca.pem")
}

/// The hub's private CA, if one was given at enrolment.
fn hub_ca(paths: &Paths) -> Result<Option<Vec<u8>>, SyncError> {
    match std::fs::read(ca_path(paths)) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SyncError::Credential {
            path: ca_path(paths).display().to_string(),
            message: e.to_string(),
        }),
    }
}

/// Runs `motcua sync`.
pub fn run(args: SyncArgs, paths: &Paths) -> Result<()> {
    match args.command {
        Some(SyncCmd::Enroll {
            hub,
            token,
            ca_cert,
        }) => enroll(&hub, &token, ca_cert.as_deref(), paths),
        Some(SyncCmd::Run {
            interval,
            backoff_base,
            backoff_max,
            rounds,
            until_idle,
            timeout,
        }) => run_loop(
            Duration::from_secs_f64(interval.max(0.0)),
            Backoff {
                base: Duration::from_secs_f64(backoff_base.max(0.001)),
                max: Duration::from_secs_f64(backoff_max.max(0.001)),
            },
            rounds,
            until_idle,
            Duration::from_secs(timeout.max(1)),
            paths,
        ),
        Some(SyncCmd::Status { json }) => status(json, paths),
        None if args.once => once(Duration::from_secs(args.timeout.max(1)), paths),
        None => status(false, paths),
    }
}

fn enroll(hub: &str, token: &str, ca: Option<&std::path::Path>, paths: &Paths) -> Result<()> {
    let mut store = open_store(paths)?;
    let station = store.station()?;
    let ca_pem = match ca {
        Some(p) => Some(
            std::fs::read(p)
                .with_context(|| format!("không đọc được chứng chỉ {}", p.display()))?,
        ),
        None => None,
    };
    let resp = Client::new(hub, None, Duration::from_secs(30), ca_pem.as_deref())?
        .enroll(&EnrollRequest {
            token: token.trim().to_string(),
            station_id: station.station_id.clone(),
            public_key: station.public_key.clone(),
        })
        .map_err(|e| match e {
            SyncError::Unauthorized => anyhow::anyhow!(
                "máy chủ tỉnh không chấp nhận mã đăng ký (sai, đã dùng, hoặc cấp cho quầy khác)"
            ),
            e => e.into(),
        })?;
    motcua_sync::save_credential(&credential_path(paths), &resp.credential)?;
    match &ca_pem {
        Some(pem) => std::fs::write(ca_path(paths), pem)
            .with_context(|| format!("không ghi được {}", ca_path(paths).display()))?,
        None => {
            if ca_path(paths).exists() {
                std::fs::remove_file(ca_path(paths))
                    .with_context(|| format!("không xóa được {}", ca_path(paths).display()))?;
            }
        }
    }
    store.set_hub(hub, motcua_sync::now_vn())?;
    println!(
        "Đã đăng ký quầy {} với máy chủ tỉnh {hub}.",
        resp.station_id
    );
    Ok(())
}

fn sync_round(timeout: Duration, paths: &Paths) -> Result<motcua_sync::SyncReport, SyncError> {
    let credential = motcua_sync::load_credential(&credential_path(paths))?;
    let mut store = open_store(paths).map_err(|e| SyncError::Credential {
        path: paths.db.display().to_string(),
        message: e.to_string(),
    })?;
    let ca = hub_ca(paths)?;
    motcua_sync::sync_once(
        &mut store,
        &credential,
        timeout,
        ca.as_deref(),
        &paths.data_dir.join("calendar"),
    )
}

fn once(timeout: Duration, paths: &Paths) -> Result<()> {
    let report = sync_round(timeout, paths)?;
    println!(
        "Đồng bộ xong: {} sự kiện mới được nhận, {} đã có, {} bị từ chối; {} thay đổi từ cấp trên.",
        report.accepted, report.duplicate, report.rejected, report.changes_applied
    );
    print_json(&report)
}

fn run_loop(
    interval: Duration,
    backoff: Backoff,
    rounds: Option<u64>,
    until_idle: bool,
    timeout: Duration,
    paths: &Paths,
) -> Result<()> {
    let mut failures = 0u32;
    let mut round = 0u64;
    loop {
        round += 1;
        let delay = match sync_round(timeout, paths) {
            Ok(r) => {
                failures = 0;
                eprintln!(
                    "Đồng bộ: {} mới, {} đã có, {} bị từ chối, {} thay đổi từ cấp trên",
                    r.accepted, r.duplicate, r.rejected, r.changes_applied
                );
                if until_idle && open_store(paths)?.sync_state()?.pending == 0 {
                    return Ok(());
                }
                interval
            }
            Err(SyncError::NotEnrolled) => return Err(SyncError::NotEnrolled.into()),
            Err(e) => {
                failures = failures.saturating_add(1);
                eprintln!("Đồng bộ chưa được: {e}");
                backoff.delay(failures)
            }
        };
        if rounds.is_some_and(|n| round >= n) {
            return Ok(());
        }
        std::thread::sleep(delay);
    }
}

fn status(json: bool, paths: &Paths) -> Result<()> {
    let store = open_store(paths)?;
    let s = store
        .sync_state()
        .context("không đọc được trạng thái đồng bộ")?;
    if json {
        return print_json(&s);
    }
    match &s.hub_url {
        None => println!("Quầy chưa đăng ký với máy chủ tỉnh."),
        Some(url) => println!(
            "Máy chủ tỉnh: {url} — {}",
            if s.online {
                "đang kết nối"
            } else {
                "mất kết nối"
            }
        ),
    }
    println!(
        "Lần đồng bộ thành công gần nhất: {}",
        s.last_success_at.as_deref().unwrap_or("chưa có")
    );
    println!("Đang chờ gửi: {}; bị từ chối: {}", s.pending, s.quarantined);
    for q in &s.quarantine {
        println!("  sự kiện số {}: {}", q.seq, q.reason);
    }
    for c in &s.conflicts {
        println!("  xung đột hồ sơ {}: {}", c.dossier_code, c.detail);
    }
    if s.clock_skewed {
        println!(
            "Cảnh báo: đồng hồ máy lệch {} giây so với máy chủ tỉnh",
            s.clock_offset_ms.unwrap_or(0) / 1000
        );
    }
    if let Some(e) = &s.last_error {
        println!("Lỗi gần nhất: {e}");
    }
    Ok(())
}
