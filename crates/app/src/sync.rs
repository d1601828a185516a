//! Sync with the province hub: enrolment, one exchange, and the loop that the window runs
//! in the background and `motcua sync run` runs as a service. Only one process of a data
//! directory pushes at a time: whoever syncs holds an OS lock on `sync.lock`, which the
//! system releases when its holder exits or crashes, so a dead holder never blocks sync.

use crate::counter::{Counter, Env};
use crate::error::{AppError, Result};
use crate::paths::Paths;
use motcua_core::wire::EnrollRequest;
use motcua_sync::Client;
use std::fs::{File, TryLockError};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub use motcua_store::{QuarantinedItem, SyncConflict, SyncState};
pub use motcua_sync::{Backoff, STOP_POLL, SyncError, SyncReport, sleep_unless_stopped};

/// One attempt to sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Round {
    /// The exchange ran.
    Synced(Synced),
    /// Another process of this data directory was syncing; nothing was done.
    Busy,
}

/// What an exchange did at the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synced {
    pub report: SyncReport,
    /// Dossiers the province withdrew or stopped in this exchange: their Mẫu 05 (Thông
    /// báo dừng giải quyết hồ sơ), rendered and kept for the clerk to print (the window
    /// offers it on the dossier, Ctrl+D), or why it could not be made.
    pub stop_notices: Vec<StopNotice>,
}

/// The Mẫu 05 a change pulled from the hub calls for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopNotice {
    pub code: String,
    pub status: motcua_core::status::Status,
    /// Where the form was kept, or why it was not made.
    pub kept: std::result::Result<std::path::PathBuf, String>,
}

/// The exclusive right to push for a data directory, held while it lives.
#[derive(Debug)]
struct SyncLock(File);

impl SyncLock {
    /// Takes the lock, or `None` when another process holds it.
    fn try_take(paths: &Paths) -> Result<Option<SyncLock>> {
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(&paths.sync_lock).map_err(|e| {
            AppError::file(format!("không mở được {}", paths.sync_lock.display()), e)
        })?;
        match file.try_lock() {
            Ok(()) => Ok(Some(SyncLock(file))),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(AppError::file(
                format!("không khóa được {}", paths.sync_lock.display()),
                e,
            )),
        }
    }
}

impl Drop for SyncLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first makes it immediate.
        let _ = self.0.unlock();
    }
}

/// What enrolment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolled {
    pub station_id: String,
    pub hub_url: String,
}

/// Reads the CA certificate file given at enrolment, if any.
pub(crate) fn read_ca_file(ca_file: Option<&std::path::Path>) -> Result<Option<Vec<u8>>> {
    ca_file
        .map(|p| {
            std::fs::read(p)
                .map_err(|e| AppError::file(format!("không đọc được chứng chỉ {}", p.display()), e))
        })
        .transpose()
}

/// The hub's private CA kept in the data directory at enrolment, if any.
pub(crate) fn kept_hub_ca(paths: &Paths) -> Result<Option<Vec<u8>>> {
    match std::fs::read(&paths.hub_ca) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(AppError::file(
            format!("không đọc được {}", paths.hub_ca.display()),
            e,
        )),
    }
}

/// Registers `public_key` as the key of `station_id` with the hub using a one-time token,
/// and keeps the credential (0600) and the hub's private CA (when given) in `paths`.
pub(crate) fn enroll_key(
    paths: &Paths,
    hub: &str,
    token: &str,
    station_id: &str,
    public_key: &str,
    ca_pem: Option<&[u8]>,
) -> Result<motcua_core::wire::EnrollResponse> {
    let resp = Client::new(hub, None, Duration::from_secs(30), ca_pem)?
        .enroll(&EnrollRequest {
            token: token.trim().to_string(),
            station_id: station_id.trim().to_string(),
            public_key: public_key.to_string(),
        })
        .map_err(|e| match e {
            SyncError::Unauthorized => AppError::Refused(
                "máy chủ tỉnh không chấp nhận mã đăng ký (sai, đã dùng, hoặc cấp cho quầy khác)"
                    .to_string(),
            ),
            e => e.into(),
        })?;
    motcua_sync::save_credential(&paths.sync_credential, &resp.credential)?;
    let ca = &paths.hub_ca;
    match ca_pem {
        Some(pem) => crate::paths::write_private(ca, pem)?,
        None if ca.exists() => std::fs::remove_file(ca)
            .map_err(|e| AppError::file(format!("không xóa được {}", ca.display()), e))?,
        None => {}
    }
    Ok(resp)
}

/// Keeps the hub's public lookup page, when the enrolment answer gives one.
pub(crate) fn keep_lookup_url(
    store: &motcua_store::Store,
    resp: &motcua_core::wire::EnrollResponse,
) -> Result<()> {
    if let Some(url) = resp
        .lookup_url
        .as_deref()
        .filter(|u| motcua_sync::is_web_address(u))
    {
        store.set_hub_lookup_url(url)?;
    }
    Ok(())
}

impl Counter {
    /// Registers this station's key with the hub using a one-time token, keeps the
    /// credential (0600) and the hub's private CA (when given), and records the hub.
    pub fn enroll(
        &mut self,
        hub: &str,
        token: &str,
        ca_file: Option<&std::path::Path>,
    ) -> Result<Enrolled> {
        let station = self.station()?;
        let ca_pem = read_ca_file(ca_file)?;
        let resp = enroll_key(
            &self.paths,
            hub,
            token,
            &station.station_id,
            &station.public_key,
            ca_pem.as_deref(),
        )?;
        let now = self.now();
        self.store.set_hub(hub, now)?;
        keep_lookup_url(&self.store, &resp)?;
        Ok(Enrolled {
            station_id: resp.station_id,
            hub_url: hub.to_string(),
        })
    }

    /// Pushes everything pending and pulls every change, once, unless another process of
    /// this data directory is syncing right now. The outcome (online or not, the error,
    /// the clock offset) is recorded either way.
    pub fn sync_once(&mut self, timeout: Duration) -> Result<Round> {
        self.sync_once_unless_stopped(timeout, &AtomicBool::new(false))
    }

    /// [`Counter::sync_once`], ended early once `stop` is set: a wait for a busy hub
    /// wakes within [`STOP_POLL`], and no new request starts.
    pub fn sync_once_unless_stopped(
        &mut self,
        timeout: Duration,
        stop: &AtomicBool,
    ) -> Result<Round> {
        let Some(_lock) = SyncLock::try_take(&self.paths)? else {
            return Ok(Round::Busy);
        };
        let credential = motcua_sync::load_credential(&self.paths.sync_credential)?;
        let ca = kept_hub_ca(&self.paths)?;
        let before = self.store.journal_head()?.0;
        let report =
            motcua_sync::sync_once(&mut self.store, &credential, timeout, ca.as_deref(), stop)?;
        let stop_notices = self.keep_stop_notices(before)?;
        Ok(Round::Synced(Synced {
            report,
            stop_notices,
        }))
    }

    /// Renders and keeps Mẫu 05 for every dossier withdrawn or stopped upstream after the
    /// event `since`, as the counter does for one withdrawn at the window.
    fn keep_stop_notices(&self, since: u64) -> Result<Vec<StopNotice>> {
        use motcua_core::status::Status;
        let mut out = Vec::new();
        for c in self.store.upstream_changes_since(since)? {
            if !matches!(c.to, Status::Withdrawn | Status::Stopped) {
                continue;
            }
            let kept = self
                .stop_form(&c.code, None)
                .map(|r| r.kept)
                .map_err(|e| e.to_string());
            out.push(StopNotice {
                code: c.code,
                status: c.to,
                kept,
            });
        }
        Ok(out)
    }

    /// The sync state the clerk sees.
    pub fn sync_state(&self) -> Result<SyncState> {
        Ok(self.store.sync_state()?)
    }
}

/// How the loop runs.
#[derive(Debug, Clone)]
pub struct LoopConfig {
    /// Between syncs while the hub answers; `None` is the station's setting.
    pub interval: Option<Duration>,
    /// Delays after failures.
    pub backoff: Backoff,
    /// Stop after this many rounds.
    pub rounds: Option<u64>,
    /// Stop after the first round that leaves nothing pending.
    pub until_idle: bool,
    /// How long one request may take.
    pub timeout: Duration,
}

impl Default for LoopConfig {
    fn default() -> Self {
        LoopConfig {
            interval: None,
            backoff: Backoff {
                base: Duration::from_secs(2),
                max: Duration::from_secs(300),
            },
            rounds: None,
            until_idle: false,
            timeout: Duration::from_secs(60),
        }
    }
}

/// What one round of the loop did, for the caller to show.
#[derive(Debug, Clone)]
pub enum Progress {
    /// The exchange succeeded; the next one is after `next`.
    Synced { synced: Synced, next: Duration },
    /// It failed (hub unreachable, refused, …); retried after `next` (backoff, or the
    /// delay a busy hub asked for).
    Failed { error: AppError, next: Duration },
    /// Another process of this data directory is syncing; looked at again after `next`.
    Busy { next: Duration },
}

/// Runs sync rounds until `stop` is set, `config` says to stop, or the station is not
/// enrolled (that error is returned). Each round opens the register afresh (a restore or
/// another process may have changed it) and reports through `progress`. Every wait —
/// between rounds, the backoff, and a busy hub's `Retry-After` inside a round — ends
/// within [`STOP_POLL`] of `stop` being set, and no new request starts.
pub fn run_loop(
    paths: &Paths,
    env: &Env,
    config: &LoopConfig,
    stop: &AtomicBool,
    mut progress: impl FnMut(&Progress),
) -> Result<()> {
    let mut failures = 0u32;
    let mut round = 0u64;
    while !stop.load(Ordering::Relaxed) {
        round += 1;
        let result = Counter::open(paths.clone(), env.clone()).and_then(|mut c| {
            let interval = match config.interval {
                Some(i) => i,
                None => Duration::from_secs(c.settings()?.sync_interval_secs),
            };
            let r = c.sync_once_unless_stopped(config.timeout, stop)?;
            let idle = c.sync_state()?.pending == 0;
            Ok((r, interval, idle))
        });
        let (event, done) = match result {
            Ok((Round::Synced(synced), interval, idle)) => {
                failures = 0;
                (
                    Progress::Synced {
                        synced,
                        next: interval,
                    },
                    config.until_idle && idle,
                )
            }
            Ok((Round::Busy, interval, _)) => (Progress::Busy { next: interval }, false),
            Err(e) if e.is_not_enrolled() => return Err(e),
            // The hub answered that it is busy and said when to come back (the run already
            // waited for it a few times): not an outage, so no backoff step either.
            Err(error) if error.hub_retry_after().is_some() => {
                let next = error.hub_retry_after().unwrap_or(config.backoff.base);
                (Progress::Failed { error, next }, false)
            }
            Err(error) => {
                failures = failures.saturating_add(1);
                (
                    Progress::Failed {
                        error,
                        next: config.backoff.delay(failures),
                    },
                    false,
                )
            }
        };
        progress(&event);
        if done || config.rounds.is_some_and(|n| round >= n) {
            return Ok(());
        }
        let next = match event {
            Progress::Synced { next, .. }
            | Progress::Failed { next, .. }
            | Progress::Busy { next } => next,
        };
        sleep_unless_stopped(next, stop);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counter::testing::*;

    #[test]
    fn not_enrolled_stops_the_loop_with_a_clear_message() {
        let f = fixture();
        let stop = AtomicBool::new(false);
        let mut seen = 0;
        let e = run_loop(
            f.counter.paths(),
            f.counter.env(),
            &LoopConfig::default(),
            &stop,
            |_| seen += 1,
        )
        .unwrap_err();
        assert!(e.to_string().contains("chưa đăng ký"), "{e}");
        assert_eq!(seen, 0);
    }

    #[test]
    fn one_process_syncs_at_a_time_and_a_dead_holder_frees_the_lock() {
        let mut f = fixture();
        let held = SyncLock::try_take(f.counter.paths()).unwrap().unwrap();
        assert_eq!(
            f.counter.sync_once(Duration::from_secs(1)).unwrap(),
            Round::Busy
        );
        drop(held);
        let e = f.counter.sync_once(Duration::from_secs(1)).unwrap_err();
        assert!(e.to_string().contains("chưa đăng ký"), "{e}");
    }

    #[test]
    fn an_unreachable_hub_is_retried_with_backoff_until_stopped() {
        let mut f = fixture();
        // Enrolled with a hub nobody listens on: every round fails and backs off.
        f.counter
            .store
            .set_hub("http://127.0.0.1:9", f.counter.now())
            .unwrap();
        motcua_sync::save_credential(&f.counter.paths().sync_credential, "x").unwrap();
        let stop = AtomicBool::new(false);
        let mut events = Vec::new();
        let config = LoopConfig {
            backoff: Backoff {
                base: Duration::from_millis(10),
                max: Duration::from_millis(20),
            },
            rounds: Some(3),
            timeout: Duration::from_secs(2),
            ..LoopConfig::default()
        };
        run_loop(f.counter.paths(), f.counter.env(), &config, &stop, |p| {
            events.push(p.clone())
        })
        .unwrap();
        assert_eq!(events.len(), 3);
        for e in &events {
            let Progress::Failed { error, next } = e else {
                panic!("{e:?}")
            };
            assert!(error.to_string().contains("không kết nối được"), "{error}");
            assert!(*next <= Duration::from_millis(20));
        }
        let st = f.counter.sync_state().unwrap();
        assert!(!st.online);
        assert_eq!(st.failures, 3);
        stop.store(true, Ordering::Relaxed);
        run_loop(f.counter.paths(), f.counter.env(), &config, &stop, |_| {
            panic!("a stopped loop runs no round")
        })
        .unwrap();
    }

    /// A hub that answers every request 503 with `Retry-After: 60`, counting them.
    fn busy_hub() -> (String, std::sync::Arc<std::sync::atomic::AtomicU64>) {
        use std::io::{Read, Write};
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", l.local_addr().unwrap());
        let asked = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let count = asked.clone();
        std::thread::spawn(move || {
            for mut s in l.incoming().flatten() {
                count.fetch_add(1, Ordering::Relaxed);
                s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                // The whole request is read (not looked at), so that the answer does not
                // cut the client's upload under it.
                let (mut got, mut b) = (Vec::new(), [0u8; 65536]);
                loop {
                    match s.read(&mut b) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => got.extend_from_slice(&b[..n]),
                    }
                    let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&got[..end]).to_ascii_lowercase();
                    let len = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map_or(0, |v| v.trim().parse::<usize>().unwrap_or(0));
                    if got.len() >= end + 4 + len {
                        break;
                    }
                }
                let body = r#"{"error":"busy"}"#;
                let _ = write!(
                    s,
                    "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 60\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        (url, asked)
    }

    #[test]
    fn a_stop_ends_a_run_waiting_for_a_busy_hub_within_a_second() {
        let mut f = fixture();
        let (url, asked) = busy_hub();
        f.counter.store.set_hub(&url, f.counter.now()).unwrap();
        motcua_sync::save_credential(&f.counter.paths().sync_credential, "x").unwrap();
        let pending = f.counter.sync_state().unwrap().pending;
        assert!(pending > 0, "the set-up journal waits to be pushed");
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let asker = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(200));
                stop.store(true, Ordering::Relaxed);
            })
        };
        let started = std::time::Instant::now();
        let mut events = Vec::new();
        run_loop(
            f.counter.paths(),
            f.counter.env(),
            &LoopConfig::default(),
            &stop,
            |p| events.push(p.clone()),
        )
        .unwrap();
        let took = started.elapsed();
        asker.join().unwrap();
        // The hub asked for 60 s (three times per run at most): the run left its wait
        // when told to, long before.
        assert!(took < Duration::from_secs(2), "returned after {took:?}");
        assert_eq!(
            asked.load(Ordering::Relaxed),
            1,
            "no request after the stop"
        );
        let [Progress::Failed { error, next }] = events.as_slice() else {
            panic!("{events:?}")
        };
        assert!(error.to_string().contains("đang bận"), "{error}");
        assert_eq!(*next, Duration::from_secs(60));
        // Recorded as the hub being busy, not as an outage; nothing was lost or sent.
        let st = f.counter.sync_state().unwrap();
        assert_eq!(st.answer, Some(motcua_store::HubAnswer::Busy));
        assert!(st.online);
        assert_eq!(st.failures, 0);
        assert_eq!(st.pending, pending);
    }
}
