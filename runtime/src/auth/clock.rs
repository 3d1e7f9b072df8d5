//! Where authentication and rate limiting get the time from, so tests can set it.

use chrono::{DateTime, Utc};

/// A source of the current time.
///
/// Any `Fn() -> DateTime<Utc>` closure is a clock, which is how tests freeze or move time:
/// `ScalrApi::new().clock(move || fixed)`.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock; the default.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from(std::time::SystemTime::now())
    }
}

impl<F: Fn() -> DateTime<Utc> + Send + Sync> Clock for F {
    fn now(&self) -> DateTime<Utc> {
        self()
    }
}
