//! Rate limiting per API key: at most so many requests per UTC calendar minute, as Scalr does.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};

/// How many requests one API key may make per UTC calendar minute. Requests over the limit
/// are refused with `403 LimitExceeded`, and count too: a client that keeps retrying within
/// the minute stays refused until the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    per_minute: u32,
}

impl RateLimit {
    /// Scalr's limit when rate limiting is on: 300 requests per minute.
    pub const SCALR_DEFAULT: RateLimit = RateLimit { per_minute: 300 };

    /// At most `requests` per key per minute (0 refuses every request).
    pub const fn per_minute(requests: u32) -> Self {
        Self { per_minute: requests }
    }

    /// The number of requests a key may make per minute.
    pub const fn requests_per_minute(&self) -> u32 {
        self.per_minute
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::SCALR_DEFAULT
    }
}

/// The counts of the current minute. All keys share the calendar minute, so the counts of the
/// previous one are dropped together when it ends, and memory stays bounded by the number of
/// keys used within one minute.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: RateLimit,
    minute: Mutex<Minute>,
}

#[derive(Debug, Default)]
struct Minute {
    /// Minutes since the Unix epoch.
    number: i64,
    requests: HashMap<String, u32>,
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self { limit, minute: Mutex::default() }
    }

    /// The limit it enforces.
    pub(crate) fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Counts a request of `key_id` made at `now`; whether it is within the limit.
    pub(crate) fn admit(&self, key_id: &str, now: DateTime<Utc>) -> bool {
        let number = now.timestamp().div_euclid(60);
        let mut minute = self.minute.lock().unwrap_or_else(PoisonError::into_inner);
        // A request that raced past the turn of the minute counts in the newer one.
        if number > minute.number {
            minute.number = number;
            minute.requests.clear();
        }
        let count = match minute.requests.get_mut(key_id) {
            Some(count) => {
                *count = count.saturating_add(1);
                *count
            }
            None => {
                minute.requests.insert(key_id.to_owned(), 1);
                1
            }
        };
        count <= self.limit.per_minute
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn each_key_gets_its_own_count_per_calendar_minute() {
        let limiter = RateLimiter::new(RateLimit::per_minute(2));
        let start = at("2026-11-28T23:42:00Z");
        assert!(limiter.admit("A", start));
        assert!(limiter.admit("A", start + TimeDelta::seconds(30)));
        assert!(!limiter.admit("A", start + TimeDelta::seconds(59)));
        assert!(limiter.admit("B", start + TimeDelta::seconds(59)), "another key has its own count");
        // Not a sliding window: the next calendar minute starts afresh.
        assert!(limiter.admit("A", start + TimeDelta::seconds(60)));
    }

    #[test]
    fn refused_requests_count_too() {
        let limiter = RateLimiter::new(RateLimit::per_minute(1));
        let start = at("2026-11-28T23:42:00Z");
        assert!(limiter.admit("A", start));
        for _ in 0..3 {
            assert!(!limiter.admit("A", start));
        }
        let minute = limiter.minute.lock().unwrap();
        assert_eq!(minute.requests.get("A"), Some(&4));
    }

    #[test]
    fn a_late_request_from_the_previous_minute_counts_in_the_current_one() {
        let limiter = RateLimiter::new(RateLimit::per_minute(1));
        let start = at("2026-11-28T23:43:00Z");
        assert!(limiter.admit("A", start));
        assert!(!limiter.admit("A", start - TimeDelta::seconds(1)));
    }

    #[test]
    fn scalr_allows_300_a_minute() {
        assert_eq!(RateLimit::default().requests_per_minute(), 300);
        let limiter = RateLimiter::new(RateLimit::default());
        let now = at("2026-11-28T23:42:00Z");
        assert_eq!((0..301).filter(|_| limiter.admit("A", now)).count(), 300);
    }
}
