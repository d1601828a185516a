//! The sync loop of the application layer, run on its own thread while the window is open
//! (the same loop `motcua sync run` runs): every round reports to the window through a
//! subscription, nothing ever waits for it, and it stops when the window closes (every
//! wait of the loop, a busy hub's included, ends within a poll of the stop). A station
//! not enrolled yet is looked at again every minute (it may be enrolled meanwhile).

use iced::Subscription;
use iced::futures::SinkExt;
use motcua_app::sync::{LoopConfig, Progress};
use motcua_app::{AppError, Env, Paths};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// What the loop tells the window.
#[derive(Debug, Clone)]
pub enum Event {
    /// One round ended (synced, failed and backing off, or skipped: another process
    /// syncs); the register holds the new state. `stopped`: the dossiers the province
    /// withdrew or stopped in it, whose Mẫu 05 was kept for the clerk to print.
    Round { stopped: Vec<String> },
    /// The station is not enrolled with a hub.
    NotEnrolled,
    /// The loop stopped on an error it cannot retry.
    Stopped(AppError),
}

/// How long to wait before looking again at a station that is not enrolled.
const NOT_ENROLLED_RETRY: Duration = Duration::from_secs(60);

/// The loop for the station in `paths`, while the subscription is active.
pub fn subscription(paths: Paths) -> Subscription<Event> {
    Subscription::run_with(paths, stream)
}

/// Sets the stop flag when the subscription's stream is dropped (window closed).
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn stream(paths: &Paths) -> impl iced::futures::Stream<Item = Event> + use<> {
    let paths = paths.clone();
    iced::stream::channel(
        16,
        async move |mut out: iced::futures::channel::mpsc::Sender<Event>| {
            let (tx, mut rx) = tokio::sync::mpsc::channel::<Event>(16);
            let stop = Arc::new(AtomicBool::new(false));
            let _guard = StopOnDrop(stop.clone());
            let spawned = std::thread::Builder::new()
                .name("motcua-sync".into())
                .spawn(move || run(&paths, &stop, &tx));
            if spawned.is_err() {
                return;
            }
            while let Some(e) = rx.recv().await {
                if out.send(e).await.is_err() {
                    break;
                }
            }
        },
    )
}

fn run(paths: &Paths, stop: &AtomicBool, tx: &tokio::sync::mpsc::Sender<Event>) {
    let env = Env::system();
    let config = LoopConfig::default();
    while !stop.load(Ordering::Relaxed) {
        let result = motcua_app::sync::run_loop(paths, &env, &config, stop, |p: &Progress| {
            let stopped = match p {
                Progress::Synced { synced, .. } => {
                    synced.stop_notices.iter().map(|n| n.code.clone()).collect()
                }
                _ => Vec::new(),
            };
            let _ = tx.blocking_send(Event::Round { stopped });
        });
        let event = match result {
            Ok(()) => return,
            Err(e) if e.is_not_enrolled() => Event::NotEnrolled,
            Err(e) => Event::Stopped(e),
        };
        if tx.blocking_send(event).is_err() {
            return;
        }
        motcua_app::sync::sleep_unless_stopped(NOT_ENROLLED_RETRY, stop);
    }
}
