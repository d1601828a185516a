//! The station's clock, injectable so every use case can be tested at a fixed instant.

use chrono::{DateTime, FixedOffset};
use std::sync::Mutex;

/// Where "now" comes from.
pub trait Clock: Send + Sync {
    /// The current instant, in Vietnam time (UTC+7).
    fn now(&self) -> DateTime<FixedOffset>;
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        chrono::Utc::now().with_timezone(&motcua_core::vn_offset())
    }
}

/// A clock that shows a set instant until it is moved (tests, scripted demos).
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<FixedOffset>>);

impl FixedClock {
    /// A clock stopped at `at`.
    pub fn at(at: DateTime<FixedOffset>) -> FixedClock {
        FixedClock(Mutex::new(at))
    }

    /// A clock stopped at an RFC 3339 instant, e.g. `2026-11-25T09:30:00+07:00`.
    ///
    /// # Panics
    /// When `rfc3339` does not parse: this is for tests and fixed demos.
    pub fn parse(rfc3339: &str) -> FixedClock {
        FixedClock::at(
            DateTime::parse_from_rfc3339(rfc3339).expect("FixedClock::parse takes RFC 3339"),
        )
    }

    /// Moves the clock to `at`.
    pub fn set(&self, at: DateTime<FixedOffset>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: chrono::Duration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<FixedOffset> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
