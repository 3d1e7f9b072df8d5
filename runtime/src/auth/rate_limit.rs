//! Rate limiting per API key: at most so many requests per UTC calendar minute, as Scalr does.
//! The limit is a setting ([`RateLimit`]); where the counts live is a [`RateCounter`], in memory
//! by default, or shared by every instance of a service (a database row per key and minute).

use std::collections::HashMap;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};

use super::keys::BoxFuture;

/// How many requests one API key may make per UTC calendar minute. Requests over the limit
/// are refused with `403 LimitExceeded`, and count too: a client that keeps retrying within
/// the minute stays refused until the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    per_minute: u32,
    when_uncounted: WhenUncounted,
}

/// What a request gets when the [`RateCounter`] cannot count it (its database is down). Either
/// way the failure is logged under the request id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum WhenUncounted {
    /// Refuse the request with `503 ServiceUnavailable` (the default): the limit always holds.
    #[default]
    Refuse,
    /// Serve the request as if it were within the limit: the service stays up without its
    /// counter.
    Admit,
}

impl RateLimit {
    /// Scalr's limit when rate limiting is on: 300 requests per minute.
    pub const SCALR_DEFAULT: RateLimit = RateLimit { per_minute: 300, when_uncounted: WhenUncounted::Refuse };

    /// At most `requests` per key per minute (0 refuses every request).
    pub const fn per_minute(requests: u32) -> Self {
        Self { per_minute: requests, when_uncounted: WhenUncounted::Refuse }
    }

    /// What a request gets when the counter fails ([`WhenUncounted::Refuse`] by default).
    pub const fn when_uncounted(mut self, choice: WhenUncounted) -> Self {
        self.when_uncounted = choice;
        self
    }

    /// The number of requests a key may make per minute.
    pub const fn requests_per_minute(&self) -> u32 {
        self.per_minute
    }

    /// What a request gets when the counter fails.
    pub const fn uncounted(&self) -> WhenUncounted {
        self.when_uncounted
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::SCALR_DEFAULT
    }
}

/// The UTC calendar minute a request falls in: minutes since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minute(i64);

impl Minute {
    /// The minute of `time`.
    pub fn of(time: DateTime<Utc>) -> Self {
        Self(time.timestamp().div_euclid(60))
    }

    /// Minutes since the Unix epoch.
    pub fn number(&self) -> i64 {
        self.0
    }
}

/// Counts the requests of each API key per UTC calendar minute.
///
/// `count` adds one request of `key_id` in `minute` and returns how many that key has made in
/// that minute, this one included; the router refuses the request when the number is over the
/// limit. Several instances of a service that share one counter (one upserted row per key and
/// minute, say) share one limit. Implement it with `async fn`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot count requests for a rate limit",
    note = "implement `scalr_endpoints::auth::RateCounter` (one `async fn count`), or use `MemoryRateCounter`"
)]
pub trait RateCounter: Send + Sync + 'static {
    /// Adds one request of `key_id` in `minute`; the key's count in that minute.
    fn count(&self, key_id: &str, minute: Minute) -> impl Future<Output = Result<u64, RateCounterError>> + Send;
}

impl<C: RateCounter> RateCounter for std::sync::Arc<C> {
    fn count(&self, key_id: &str, minute: Minute) -> impl Future<Output = Result<u64, RateCounterError>> + Send {
        (**self).count(key_id, minute)
    }
}

/// A [`RateCounter`] as the router holds it, its future boxed.
pub(crate) trait SharedRateCounter: Send + Sync {
    fn count<'a>(&'a self, key_id: &'a str, minute: Minute) -> BoxFuture<'a, Result<u64, RateCounterError>>;
}

impl<C: RateCounter> SharedRateCounter for C {
    fn count<'a>(&'a self, key_id: &'a str, minute: Minute) -> BoxFuture<'a, Result<u64, RateCounterError>> {
        Box::pin(RateCounter::count(self, key_id, minute))
    }
}

/// A [`RateCounter`] that could not count. Its message is logged, so it must not hold secrets.
#[derive(Debug)]
pub struct RateCounterError(Box<dyn Error + Send + Sync>);

impl RateCounterError {
    /// Wraps the counter's own error (or a message).
    pub fn new(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self(source.into())
    }
}

impl fmt::Display for RateCounterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the rate counter failed: {}", self.0)
    }
}

impl Error for RateCounterError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.0)
    }
}

/// The counts of one process, in memory: the default counter. Only the current minute is kept,
/// so memory stays bounded by the number of keys used within one minute.
#[derive(Debug, Default)]
pub struct MemoryRateCounter {
    minute: Mutex<Counts>,
}

#[derive(Debug)]
struct Counts {
    minute: Minute,
    requests: HashMap<String, u64>,
}

impl Default for Counts {
    fn default() -> Self {
        Self { minute: Minute(i64::MIN), requests: HashMap::new() }
    }
}

impl MemoryRateCounter {
    /// A counter with no requests counted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a request at once: what [`RateCounter::count`] answers.
    pub fn add(&self, key_id: &str, minute: Minute) -> u64 {
        let mut counts = self.minute.lock().unwrap_or_else(PoisonError::into_inner);
        // A request that raced past the turn of the minute counts in the newer one.
        if minute > counts.minute {
            counts.minute = minute;
            counts.requests.clear();
        }
        match counts.requests.get_mut(key_id) {
            Some(count) => {
                *count = count.saturating_add(1);
                *count
            }
            None => {
                counts.requests.insert(key_id.to_owned(), 1);
                1
            }
        }
    }
}

impl RateCounter for MemoryRateCounter {
    async fn count(&self, key_id: &str, minute: Minute) -> Result<u64, RateCounterError> {
        Ok(self.add(key_id, minute))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    fn at(text: &str) -> Minute {
        Minute::of(text.parse().unwrap())
    }

    #[test]
    fn each_key_gets_its_own_count_per_calendar_minute() {
        let counter = MemoryRateCounter::new();
        let start: DateTime<Utc> = "2026-11-28T23:42:00Z".parse().unwrap();
        assert_eq!(counter.add("A", Minute::of(start)), 1);
        assert_eq!(counter.add("A", Minute::of(start + TimeDelta::seconds(30))), 2);
        assert_eq!(counter.add("A", Minute::of(start + TimeDelta::seconds(59))), 3);
        assert_eq!(counter.add("B", Minute::of(start + TimeDelta::seconds(59))), 1, "another key has its own count");
        // Not a sliding window: the next calendar minute starts afresh.
        assert_eq!(counter.add("A", Minute::of(start + TimeDelta::seconds(60))), 1);
    }

    #[test]
    fn a_late_request_from_the_previous_minute_counts_in_the_current_one() {
        let counter = MemoryRateCounter::new();
        assert_eq!(counter.add("A", at("2026-11-28T23:43:00Z")), 1);
        assert_eq!(counter.add("A", at("2026-11-28T23:42:59Z")), 2);
    }

    #[test]
    fn minutes_are_utc_calendar_minutes() {
        assert_eq!(at("1970-01-01T00:00:59Z").number(), 0);
        assert_eq!(at("1970-01-01T00:01:00Z").number(), 1);
        assert_eq!(at("1969-12-31T23:59:59Z").number(), -1);
    }

    #[test]
    fn scalr_allows_300_a_minute_and_refuses_when_uncounted() {
        assert_eq!(RateLimit::default().requests_per_minute(), 300);
        assert_eq!(RateLimit::default().uncounted(), WhenUncounted::Refuse);
        assert_eq!(RateLimit::per_minute(5).when_uncounted(WhenUncounted::Admit).uncounted(), WhenUncounted::Admit);
    }
}
