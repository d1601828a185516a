//! `motcua sync`: enrol with the province hub, sync once, run the sync loop, show its state.

use super::{open, print_json};
use crate::cli::out::{errln, outln};
use crate::paths::Paths;
use anyhow::Result;
use motcua_app::Env;
use motcua_app::sync::{Backoff, LoopConfig, Progress, Round};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
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
        /// Rebuild a station whose PC or disk was lost into this new data directory,
        /// from everything the hub holds (needs --station-id and --admin; the admin's new
        /// password is read from the first line of standard input).
        #[arg(long, requires_all = ["station_id", "admin"])]
        recover: bool,
        /// The station being rebuilt, `<agency id>#<station number>`.
        #[arg(long)]
        station_id: Option<String>,
        /// An admin account of the station, who gets the new password.
        #[arg(long)]
        admin: Option<String>,
    },
    /// Run the sync loop in the foreground (as a service would).
    Run {
        /// Seconds between syncs while the hub answers (default: the station's
        /// sync-interval setting, 60).
        #[arg(long)]
        interval: Option<f64>,
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

/// Runs `motcua sync`.
pub fn run(args: SyncArgs, paths: &Paths) -> Result<()> {
    match args.command {
        Some(SyncCmd::Enroll {
            hub,
            token,
            ca_cert,
            recover: true,
            station_id: Some(station_id),
            admin: Some(admin),
        }) => super::recover::rebuild(&hub, &token, &station_id, &admin, ca_cert.as_deref(), paths),
        Some(SyncCmd::Enroll {
            hub,
            token,
            ca_cert,
            ..
        }) => {
            let e = open(paths)?.enroll(&hub, &token, ca_cert.as_deref())?;
            outln!("Đã đăng ký quầy {} với máy chủ tỉnh {hub}.", e.station_id)?;
            Ok(())
        }
        Some(SyncCmd::Run {
            interval,
            backoff_base,
            backoff_max,
            rounds,
            until_idle,
            timeout,
        }) => {
            let config = LoopConfig {
                interval: interval.map(|s| Duration::from_secs_f64(s.max(0.0))),
                backoff: Backoff {
                    base: Duration::from_secs_f64(backoff_base.max(0.001)),
                    max: Duration::from_secs_f64(backoff_max.max(0.001)),
                },
                rounds,
                until_idle,
                timeout: Duration::from_secs(timeout.max(1)),
            };
            let stop = AtomicBool::new(false);
            motcua_app::sync::run_loop(paths, &Env::system(), &config, &stop, report)?;
            Ok(())
        }
        Some(SyncCmd::Status { json }) => status(json, paths),
        None if args.once => once(Duration::from_secs(args.timeout.max(1)), paths),
        None => status(false, paths),
    }
}

/// One line on stderr per round of the loop.
fn report(p: &Progress) {
    match p {
        Progress::Synced { synced, .. } => {
            let r = &synced.report;
            errln!(
                "Đồng bộ: {} mới, {} đã có, {} bị từ chối, {} thay đổi từ cấp trên",
                r.accepted,
                r.duplicate,
                r.rejected,
                r.changes_applied
            );
            stop_notices(&synced.stop_notices);
        }
        Progress::Failed { error, .. } => errln!("Đồng bộ chưa được: {error}"),
        Progress::Busy { .. } => {
            errln!("Đồng bộ: một chương trình khác trên máy này đang đồng bộ, chờ lượt sau")
        }
    }
}

/// Says, for each dossier the province withdrew or stopped, where its Mẫu 05 was kept.
fn stop_notices(notices: &[motcua_app::sync::StopNotice]) {
    for n in notices {
        match &n.kept {
            Ok(kept) => errln!(
                "Hồ sơ {} được cấp trên chuyển sang «{}»: Thông báo dừng giải quyết hồ sơ (Mẫu 05) đã lưu tại {}; in bằng «motcua form mau05 {} -o TỆP» hoặc Ctrl+D trên màn hình hồ sơ.",
                n.code,
                n.status.label(),
                kept.display(),
                n.code
            ),
            Err(why) => errln!(
                "Hồ sơ {} được cấp trên chuyển sang «{}» nhưng chưa lập được Mẫu 05: {why}",
                n.code,
                n.status.label()
            ),
        }
    }
}

fn once(timeout: Duration, paths: &Paths) -> Result<()> {
    match open(paths)?.sync_once(timeout)? {
        Round::Synced(synced) => {
            stop_notices(&synced.stop_notices);
            let report = synced.report;
            outln!(
                "Đồng bộ xong: {} sự kiện mới được nhận, {} đã có, {} bị từ chối; {} thay đổi từ cấp trên.",
                report.accepted,
                report.duplicate,
                report.rejected,
                report.changes_applied
            )?;
            print_json(&report)
        }
        Round::Busy => {
            anyhow::bail!("một chương trình khác trên máy này đang đồng bộ; hãy thử lại sau")
        }
    }
}

fn status(json: bool, paths: &Paths) -> Result<()> {
    let s = open(paths)?.sync_state()?;
    if json {
        return print_json(&s);
    }
    match &s.hub_url {
        None => {
            outln!("Quầy chưa đăng ký với máy chủ tỉnh.")?;
            outln!(
                "Để đăng ký: xin quản trị viên tỉnh mã đăng ký một lần cho quầy này, rồi chạy «motcua sync enroll --hub <địa chỉ máy chủ tỉnh> --token <mã đăng ký>» (hoặc nhập ở màn hình Đồng bộ, F4, của cửa sổ)."
            )?;
        }
        Some(url) => {
            outln!("Máy chủ tỉnh: {url}")?;
            outln!("Tình trạng: {}", s.connection_label())?;
        }
    }
    outln!(
        "Lần đồng bộ thành công gần nhất: {}",
        s.last_success_at.as_deref().map_or_else(
            || "chưa có".to_string(),
            |at| chrono::DateTime::parse_from_rfc3339(at).map_or_else(
                |_| at.to_string(),
                |t| t
                    .with_timezone(&motcua_core::vn_offset())
                    .format("%H:%M %d/%m/%Y")
                    .to_string()
            )
        )
    )?;
    outln!("Đang chờ gửi: {}; bị từ chối: {}", s.pending, s.quarantined)?;
    for q in &s.quarantine {
        outln!("  sự kiện số {}: {}", q.seq, q.reason)?;
    }
    for c in &s.conflicts {
        outln!("  xung đột hồ sơ {}: {}", c.dossier_code, c.detail)?;
    }
    if s.clock_skewed {
        outln!(
            "Cảnh báo: đồng hồ máy lệch {} giây so với máy chủ tỉnh",
            s.clock_offset_ms.unwrap_or(0) / 1000
        )?;
    }
    if let Some(e) = &s.last_error {
        outln!("Lỗi gần nhất: {e}")?;
    }
    Ok(())
}
