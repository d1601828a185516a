//! The counter on a thread of its own. The window never touches the database: it sends a
//! job (a closure over the [`Counter`]) and gets the result back as a future, which a
//! `Task` turns into a past-tense message. One thread, one connection, jobs in order.

use crate::gui::i18n::T;
use motcua_app::{AccountForm, AppError, Counter, Env, Paths, SetupReport, StationForm};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

/// How many jobs of a window are under way (queued, running, or answered but not yet
/// delivered): tests wait for none rather than for a quiet moment, which a slow job on a
/// loaded machine outlasts.
#[derive(Clone, Debug, Default)]
pub struct Jobs(Arc<AtomicUsize>);

impl Jobs {
    #[cfg(test)]
    pub fn in_flight(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }

    fn start(&self) -> JobGuard {
        self.0.fetch_add(1, Ordering::SeqCst);
        JobGuard(self.0.clone())
    }
}

/// One job under way; done when dropped.
struct JobGuard(Arc<AtomicUsize>);

impl Drop for JobGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

type Job = Box<dyn FnOnce(&mut Slot) + Send>;

/// What the worker thread owns.
struct Slot {
    paths: Paths,
    env: Env,
    counter: Option<Counter>,
}

impl Slot {
    /// The open counter; opened on first use (the station may have been set up from the
    /// command line while the window was open).
    fn counter(&mut self) -> Result<&mut Counter, AppError> {
        if self.counter.is_none() {
            self.counter = Some(Counter::open(self.paths.clone(), self.env.clone())?);
        }
        self.counter
            .as_mut()
            .ok_or_else(|| AppError::NotSetUp(self.paths.data_dir.clone()))
    }
}

/// A handle to the worker thread; cheap to clone.
#[derive(Clone)]
pub struct Worker {
    tx: mpsc::Sender<Job>,
    jobs: Jobs,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Worker")
    }
}

fn stopped() -> AppError {
    AppError::Refused(T::WorkerStopped.vi().to_string())
}

/// Runs `f` on a counter of its own, on a thread of its own: for calls that wait on the
/// network (sync now, enrolment), which must not hold up the window's worker.
pub fn aside<R: Send + 'static>(
    jobs: &Jobs,
    paths: Paths,
    env: Env,
    f: impl FnOnce(&mut Counter) -> Result<R, AppError> + Send + 'static,
) -> impl Future<Output = Result<R, AppError>> + Send + 'static {
    let guard = jobs.start();
    let (done, result) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("motcua-aside".into())
        .spawn(move || {
            let _ = done.send(Counter::open(paths, env).and_then(|mut c| f(&mut c)));
        })
        .is_ok();
    async move {
        let _guard = guard;
        if !spawned {
            return Err(stopped());
        }
        result.await.unwrap_or_else(|_| Err(stopped()))
    }
}

impl Worker {
    /// Starts the thread for the station in `paths`.
    pub fn start(paths: Paths, env: Env, jobs: Jobs) -> Worker {
        let (tx, rx) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("motcua-counter".into())
            .spawn(move || {
                let mut slot = Slot {
                    paths,
                    env,
                    counter: None,
                };
                for job in rx {
                    job(&mut slot);
                }
            });
        if spawned.is_err() {
            // Every call then answers that the worker stopped.
            drop(spawned);
        }
        Worker { tx, jobs }
    }

    fn send<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Slot) -> Result<R, AppError> + Send + 'static,
    ) -> impl Future<Output = Result<R, AppError>> + Send + 'static {
        let guard = self.jobs.start();
        let (done, result) = tokio::sync::oneshot::channel();
        let sent = self
            .tx
            .send(Box::new(move |slot: &mut Slot| {
                let _ = done.send(job(slot));
            }))
            .is_ok();
        async move {
            let _guard = guard;
            if !sent {
                return Err(stopped());
            }
            result.await.unwrap_or_else(|_| Err(stopped()))
        }
    }

    /// Runs `f` on the counter.
    pub fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Counter) -> Result<R, AppError> + Send + 'static,
    ) -> impl Future<Output = Result<R, AppError>> + Send + 'static {
        self.send(move |slot| f(slot.counter()?))
    }

    /// Opens the encrypted register with `secret` (a password), then runs `f` on the
    /// counter. A secret that opens no slot is refused with what to do.
    pub fn call_unlocking<R: Send + 'static>(
        &self,
        secret: String,
        f: impl FnOnce(&mut Counter) -> Result<R, AppError> + Send + 'static,
    ) -> impl Future<Output = Result<R, AppError>> + Send + 'static {
        self.send(move |slot| {
            if !motcua_app::at_rest::unlock(&slot.paths, &secret)? {
                return Err(AppError::Refused(T::RegisterNotOpened.vi().to_string()));
            }
            f(slot.counter()?)
        })
    }

    /// First-run setup; the worker keeps the new counter.
    pub fn set_up(
        &self,
        station: StationForm,
        admin: AccountForm,
    ) -> impl Future<Output = Result<SetupReport, AppError>> + Send + 'static {
        self.send(move |slot| {
            // The catalogue every new station starts with (as `motcua init`).
            let (counter, report) = Counter::set_up_with(
                slot.paths.clone(),
                slot.env.clone(),
                &station,
                Some(&admin),
                None,
            )?;
            slot.counter = Some(counter);
            Ok(report)
        })
    }
}
