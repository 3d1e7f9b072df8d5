//! `X-Scalr-Date`: how clients write the time of signing, how the server reads it, and how far
//! it may be from the server's clock.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

/// How far the time of signing may be from the server's time, either way (inclusive): a
/// captured request cannot be replayed for longer than this.
const MAX_SKEW: TimeDelta = TimeDelta::seconds(300);

/// Reads the time of signing. Accepts ISO 8601 with a zone in every form the two real clients
/// send: `2026-11-28T23:42:04.000Z` (scalr-ctl), `2026-11-28T23:42:04.365273+00:00` and
/// `+05:30` offsets (scalr-api, Python's `isoformat`), and no fraction at all.
pub(crate) fn parse(date: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(date).ok().map(|date| date.to_utc())
}

/// The date a signer sends: UTC with milliseconds, `2026-11-28T23:42:04.365Z`.
pub(crate) fn format(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Whether a request signed at `signed` is still acceptable at `now`.
pub(crate) fn is_fresh(signed: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    (now - signed).abs() <= MAX_SKEW
}

/// The server's time as the expiry message shows it in debug mode: `2026-11-28T23:42:04Z`.
pub(crate) fn format_now(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn every_form_the_clients_send_is_read_as_the_same_instant() {
        let expected = at("2026-11-28T23:42:04Z");
        for form in [
            "2026-11-28T23:42:04.000Z",
            "2026-11-28T23:42:04Z",
            "2026-11-28T23:42:04+00:00",
            "2026-11-28T23:42:04.000000+00:00",
            "2026-11-29T05:12:04+05:30",
            "2026-11-28T18:42:04.000-05:00",
        ] {
            assert_eq!(parse(form), Some(expected), "{form}");
        }
        assert_eq!(parse("2026-11-28T23:42:04.365273+00:00"), Some(expected + TimeDelta::microseconds(365_273)));
    }

    #[test]
    fn dates_without_a_zone_or_not_iso_are_refused() {
        for bad in ["", "2026-11-28T23:42:04", "2026-11-28", "Sat, 28 Nov 2026 23:42:04 GMT", "1795390924", "soon"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_window_is_300_seconds_either_way_inclusive() {
        let now = at("2026-11-28T23:42:04Z");
        for seconds in [-300, -299, 0, 299, 300] {
            assert!(is_fresh(now + TimeDelta::seconds(seconds), now), "{seconds}");
        }
        for offset in [TimeDelta::seconds(301), TimeDelta::milliseconds(300_001)] {
            assert!(!is_fresh(now + offset, now));
            assert!(!is_fresh(now - offset, now));
        }
    }

    #[test]
    fn dates_are_written_in_utc_with_milliseconds() {
        let signed = at("2026-11-28T23:42:04.365273Z");
        assert_eq!(format(signed), "2026-11-28T23:42:04.365Z");
        assert_eq!(format_now(signed), "2026-11-28T23:42:04Z");
    }
}
