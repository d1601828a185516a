//! The threads that inflate, parse and store pushes: one per push slot, for the life of
//! the hub. A push's large allocations (the inflated JSON, the parsed batch, its
//! canonical form for the idempotency hash) all happen on these few threads, not on
//! whichever of tokio's blocking threads is free: an allocator keeps some of what each
//! thread freed for that thread's next use (glibc one arena per busy thread, up to eight
//! per core), so memory after a burst grows with the threads that took part. With the
//! work pinned to [`super::MAX_CONCURRENT_PUSHES`] threads, the memory a burst leaves
//! behind is bounded by theirs, however many attackers there were. A batch that parses
//! is then prepared on up to four short-lived threads of its own (`db::effect::prepare`:
//! the events' stored bodies), at most four slots at once; blocks of 128 KiB and more,
//! the inflated JSON among them, are unmapped when freed (`src/bin/motcua-hub.rs`).

use crate::error::HubError;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// A job for a worker: it sends its own result back.
type Job = Box<dyn FnOnce() + Send>;

/// A fixed pool of named threads taking jobs in order.
pub(super) struct Workers {
    jobs: mpsc::Sender<Job>,
}

impl Workers {
    /// `n` threads named `motcua-hub-push-<i>`.
    pub(super) fn new(n: usize) -> Workers {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..n {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("motcua-hub-push-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only to take the next job.
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        let Ok(job) = job else { return };
                        // A panicking job drops its result sender (its push fails); the
                        // thread lives on for the next.
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    }
                });
            if let Err(e) = spawned {
                eprintln!("motcua-hub: không tạo được luồng xử lý lần gửi: {e}");
            }
        }
        Workers { jobs }
    }

    /// Runs `f` on a worker and waits for its result.
    pub(super) async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T, HubError> + Send + 'static,
    ) -> Result<T, HubError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = tx.send(f());
            }))
            .map_err(|_| HubError::Db("luồng xử lý lần gửi đã dừng".into()))?;
        rx.await
            .map_err(|_| HubError::Db("tác vụ xử lý lần gửi bị hủy".into()))?
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn jobs_run_on_the_named_threads_and_a_panic_fails_only_its_own() {
        let w = super::Workers::new(2);
        let name = w
            .run(|| Ok(std::thread::current().name().unwrap_or("").to_string()))
            .await
            .unwrap();
        assert!(name.starts_with("motcua-hub-push-"), "{name}");
        let failed = w.run::<()>(|| panic!("boom")).await;
        assert!(failed.is_err());
        assert_eq!(w.run(|| Ok(7)).await.unwrap(), 7);
        assert_eq!(w.run(|| Ok(8)).await.unwrap(), 8);
    }
}
