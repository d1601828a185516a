//! Admission of a push, so that neither one credential nor many attackers can starve the
//! hub or grow its memory. A push passes three gates in order:
//!
//! 1. **Its station's place.** A station has one push admitted at a time (a counter
//!    pushes its batches one after another): a second one is answered 503 at once, so one
//!    credential, however many connections it opens, holds one place of the next gate.
//! 2. **A body place** of [`MAX_BODIES`], with bytes of the [`BODY_BUDGET`] for the body as
//!    announced (its Content-Length, or [`MAX_PUSH_BODY`] when unannounced). The body is
//!    then read outside any slot, within [`BODY_DEADLINE`] and never slower on average
//!    than [`MIN_BODY_RATE`] after [`BODY_GRACE`]; a body too slow is cut (408). The place
//!    and its bytes are held until the push is answered: the bodies in the hub at any
//!    moment, read or being read, are at most the budget.
//! 3. **A push slot** of [`MAX_CONCURRENT_PUSHES`], taken once the body is whole: only
//!    there is it inflated and stored, on the slots' own threads
//!    ([`worker`](super::worker)), so inflation runs at most that many times at once and
//!    always on the same few threads.
//!
//! Waiting for gate 2 or 3 lasts at most [`PUSH_WAIT`], then the hub is busy (503 with
//! `Retry-After`).

use super::push::{MAX_CONCURRENT_PUSHES, MAX_PUSH_BODY, PUSH_WAIT};
use crate::error::HubError;
use crate::metrics::Metrics;
use axum::body::Body;
use http_body_util::BodyExt;
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Push bodies in the hub at once (being read, read and waiting for a slot, or in one).
pub const MAX_BODIES: usize = 16;
/// Bytes of push bodies in the hub at once, as announced: four of the largest, or many
/// real batches (about 0.3 MB gzipped each).
pub const BODY_BUDGET: usize = 4 * MAX_PUSH_BODY;
/// The longest a push body may take to arrive (the counter gives up after 60 s).
pub const BODY_DEADLINE: Duration = Duration::from_secs(60);
/// Slowest average rate of a push body, in bytes a second, once [`BODY_GRACE`] is over:
/// 1 KiB/s sends a real batch of 0.3 MB in five minutes, a link far slower than a
/// counter's is cut.
pub const MIN_BODY_RATE: u64 = 1024;
/// How long a body may come at any rate before [`MIN_BODY_RATE`] applies.
pub const BODY_GRACE: Duration = Duration::from_secs(10);
/// `Retry-After` of a push answered 503 because the hub is busy.
pub(super) const BUSY_RETRY_AFTER_SECS: u64 = 5;
/// The byte budget counts in KiB (a semaphore's permits are u32).
const KIB: usize = 1024;

/// The gates (see the module).
pub(super) struct Admission {
    /// Stations with a push admitted.
    stations: Mutex<HashSet<String>>,
    places: Arc<Semaphore>,
    /// [`BODY_BUDGET`] in KiB.
    bytes: Arc<Semaphore>,
    slots: Arc<Semaphore>,
    /// The threads of the slots: a push is inflated, parsed and stored there.
    pub(super) workers: super::worker::Workers,
}

impl Default for Admission {
    fn default() -> Admission {
        Admission {
            stations: Mutex::default(),
            places: Arc::new(Semaphore::new(MAX_BODIES)),
            bytes: Arc::new(Semaphore::new(BODY_BUDGET / KIB)),
            slots: Arc::new(Semaphore::new(MAX_CONCURRENT_PUSHES)),
            workers: super::worker::Workers::new(MAX_CONCURRENT_PUSHES),
        }
    }
}

/// A station's admitted push: its body place and bytes, released (and the gauges
/// updated) when the push is answered.
pub(super) struct Admitted {
    admission: Arc<Admission>,
    station: String,
    _place: OwnedSemaphorePermit,
    _bytes: OwnedSemaphorePermit,
    metrics: Arc<Metrics>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        if let Ok(mut s) = self.admission.stations.lock() {
            s.remove(&self.station);
        }
        self.metrics
            .pushes_in_flight
            .fetch_sub(1, Ordering::Relaxed);
    }
}

/// Decrements a gauge when dropped.
struct Gauge<'a>(&'a std::sync::atomic::AtomicI64);

impl<'a> Gauge<'a> {
    fn up(g: &'a std::sync::atomic::AtomicI64) -> Gauge<'a> {
        g.fetch_add(1, Ordering::Relaxed);
        Gauge(g)
    }
}

impl Drop for Gauge<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A push slot; the gauge follows it.
pub(super) struct Slot {
    _permit: OwnedSemaphorePermit,
    metrics: Arc<Metrics>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.metrics
            .push_slots_in_use
            .fetch_sub(1, Ordering::Relaxed);
    }
}

/// Gates 1 and 2 for a body announced as `declared` bytes (None: unannounced).
pub(super) async fn admit(
    admission: &Arc<Admission>,
    metrics: &Arc<Metrics>,
    station: &str,
    declared: Option<u64>,
) -> Result<Admitted, HubError> {
    {
        let mut s = admission
            .stations
            .lock()
            .map_err(|_| HubError::Busy(BUSY_RETRY_AFTER_SECS))?;
        if !s.insert(station.to_string()) {
            metrics.push_station_busy.fetch_add(1, Ordering::Relaxed);
            return Err(HubError::StationBusy(BUSY_RETRY_AFTER_SECS));
        }
    }
    // From here the station's place is released by `Admitted` or by this guard.
    struct Release<'a>(&'a Admission, &'a str, bool);
    impl Drop for Release<'_> {
        fn drop(&mut self) {
            if self.2
                && let Ok(mut s) = self.0.stations.lock()
            {
                s.remove(self.1);
            }
        }
    }
    let mut release = Release(admission, station, true);
    let kib = declared.map_or(MAX_PUSH_BODY, |n| {
        usize::try_from(n).unwrap_or(MAX_PUSH_BODY)
    });
    let kib = u32::try_from(kib.div_ceil(KIB).max(1)).unwrap_or(u32::MAX);
    let permits = {
        let _waiting = Gauge::up(&metrics.pushes_waiting);
        tokio::time::timeout(PUSH_WAIT, async {
            let place = admission.places.clone().acquire_owned().await;
            let bytes = admission.bytes.clone().acquire_many_owned(kib).await;
            (place, bytes)
        })
        .await
    };
    let Ok((Ok(place), Ok(bytes))) = permits else {
        return Err(HubError::Busy(BUSY_RETRY_AFTER_SECS));
    };
    release.2 = false;
    metrics.pushes_in_flight.fetch_add(1, Ordering::Relaxed);
    Ok(Admitted {
        admission: admission.clone(),
        station: station.to_string(),
        _place: place,
        _bytes: bytes,
        metrics: metrics.clone(),
    })
}

/// Gate 3: waits up to [`PUSH_WAIT`] for a push slot; then the hub is busy.
pub(super) async fn slot(admission: &Admission, metrics: &Arc<Metrics>) -> Result<Slot, HubError> {
    let permit = {
        let _waiting = Gauge::up(&metrics.pushes_waiting);
        tokio::time::timeout(PUSH_WAIT, admission.slots.clone().acquire_owned()).await
    };
    match permit {
        Ok(Ok(p)) => {
            metrics.push_slots_in_use.fetch_add(1, Ordering::Relaxed);
            Ok(Slot {
                _permit: p,
                metrics: metrics.clone(),
            })
        }
        _ => Err(HubError::Busy(BUSY_RETRY_AFTER_SECS)),
    }
}

fn too_large() -> HubError {
    HubError::TooLarge(format!(
        "một lần gửi tối đa {} MiB",
        MAX_PUSH_BODY / (1024 * 1024)
    ))
}

/// Refuses a body announced larger than [`MAX_PUSH_BODY`] before anything is read.
pub(super) fn check_declared(declared: Option<u64>) -> Result<(), HubError> {
    if declared.is_some_and(|n| n > MAX_PUSH_BODY as u64) {
        return Err(too_large());
    }
    Ok(())
}

/// By when the next bytes must arrive once `read` bytes came since `started`: the
/// overall deadline, and the minimum average rate after the grace period.
fn next_bytes_by(started: Instant, read: usize) -> Instant {
    let rate_line = Duration::from_secs_f64(read as f64 / MIN_BODY_RATE as f64);
    started + BODY_DEADLINE.min(BODY_GRACE.max(rate_line))
}

/// Reads a push body as sent, refusing it as soon as it passes [`MAX_PUSH_BODY`] and
/// cutting it when it comes too slowly (see the module).
pub(super) async fn read_body(
    body: Body,
    declared: Option<u64>,
    metrics: &Metrics,
) -> Result<Vec<u8>, HubError> {
    let _reading = Gauge::up(&metrics.push_bodies_reading);
    let started = Instant::now();
    let capacity = declared.map_or(64 * 1024, |n| usize::try_from(n).unwrap_or(MAX_PUSH_BODY));
    let mut out = Vec::with_capacity(capacity.min(MAX_PUSH_BODY));
    let mut body = body;
    loop {
        let by = tokio::time::Instant::from_std(next_bytes_by(started, out.len()));
        let frame = match tokio::time::timeout_at(by, body.frame()).await {
            Ok(Some(frame)) => frame,
            Ok(None) => return Ok(out),
            Err(_) => {
                metrics.push_bodies_cut.fetch_add(1, Ordering::Relaxed);
                return Err(HubError::SlowBody(format!(
                    "nhận được {} byte sau {} giây; hub cần ít nhất {} KiB mỗi giây và cả lần gửi trong {} giây",
                    out.len(),
                    started.elapsed().as_secs(),
                    MIN_BODY_RATE / 1024,
                    BODY_DEADLINE.as_secs()
                )));
            }
        };
        let frame = frame
            .map_err(|e| HubError::BadRequest(format!("không đọc được nội dung gửi lên: {e}")))?;
        if let Ok(data) = frame.into_data() {
            if out.len() + data.len() > MAX_PUSH_BODY {
                return Err(too_large());
            }
            out.extend_from_slice(&data);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_line_starts_after_the_grace_and_stops_at_the_deadline() {
        let t = Instant::now();
        assert_eq!(next_bytes_by(t, 0), t + BODY_GRACE);
        assert_eq!(next_bytes_by(t, 5 * 1024), t + BODY_GRACE);
        assert_eq!(next_bytes_by(t, 30 * 1024), t + Duration::from_secs(30));
        assert_eq!(next_bytes_by(t, 8 << 20), t + BODY_DEADLINE);
    }

    #[tokio::test]
    async fn one_station_holds_one_place() {
        let a = Arc::new(Admission::default());
        let m = Arc::new(Metrics::default());
        let first = admit(&a, &m, "X#1", Some(1000)).await.unwrap();
        assert!(matches!(
            admit(&a, &m, "X#1", Some(1000)).await,
            Err(HubError::StationBusy(_))
        ));
        let other = admit(&a, &m, "X#2", None).await.unwrap();
        assert_eq!(
            a.bytes.available_permits(),
            (BODY_BUDGET - MAX_PUSH_BODY) / KIB - 1
        );
        drop(first);
        let again = admit(&a, &m, "X#1", Some(1000)).await.unwrap();
        drop((other, again));
        assert_eq!(a.bytes.available_permits(), BODY_BUDGET / KIB);
        assert_eq!(a.places.available_permits(), MAX_BODIES);
        assert_eq!(m.pushes_in_flight.load(Ordering::Relaxed), 0);
    }
}
