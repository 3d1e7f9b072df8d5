//! Query strings the Scalr way: decoding (`+` and `%20` are both a space, a repeated key keeps
//! its last value) and the canonical RFC 3986 form that both request signing and pagination
//! links are built from.

use std::collections::BTreeMap;
use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters (`A-Za-z0-9-_.~`) is percent-encoded.
const RFC3986_RESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The decoded parameters of a query string, sorted by key in byte order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryParams(BTreeMap<String, String>);

impl QueryParams {
    /// Decodes a raw query string (the part after `?`, if any).
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = raw.map(|raw| form_urlencoded::parse(raw.as_bytes()));
        Self(pairs.into_iter().flatten().map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// The value of `key`, if present (the last one sent).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// Sets `key` to `value`, replacing what was sent.
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        self.0.insert(key.to_owned(), value.into());
    }

    /// The parameters, in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value.as_str()))
    }

    /// The keys, in byte order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// The canonical form: `k=v` pairs sorted by key, RFC 3986 encoded (upper-case hex, space
    /// as `%20`), joined with `&`; empty when there are no parameters.
    pub fn canonical(&self) -> String {
        let mut out = String::new();
        for (key, value) in &self.0 {
            if !out.is_empty() {
                out.push('&');
            }
            fmt::write(&mut out, format_args!("{}={}", encode(key), encode(value)))
                .expect("writing to a String cannot fail");
        }
        out
    }
}

/// The canonical query `scalr-api` 1.0.1 signs (`docs/wire-contract.md#d8-both-canonical-query-forms`):
/// every decoded pair in the order received, duplicates included, stably sorted by key, each key
/// and value RFC 3986 encoded but for `/`, which stays as it is.
pub(crate) fn pairs_kept_canonical(raw: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> = raw
        .map(|raw| form_urlencoded::parse(raw.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
        .unwrap_or_default();
    pairs.sort_by(|(left, _), (right, _)| left.as_bytes().cmp(right.as_bytes()));
    let mut out = String::new();
    for (key, value) in &pairs {
        if !out.is_empty() {
            out.push('&');
        }
        fmt::write(
            &mut out,
            format_args!("{}={}", utf8_percent_encode(key, SLASH_KEPT), utf8_percent_encode(value, SLASH_KEPT)),
        )
        .expect("writing to a String cannot fail");
    }
    out
}

/// RFC 3986's reserved set without `/`.
const SLASH_KEPT: &AsciiSet = &RFC3986_RESERVED.remove(b'/');

/// `text` percent-encoded per RFC 3986: unreserved characters kept, everything else `%XX`.
pub fn encode(text: &str) -> impl fmt::Display + '_ {
    utf8_percent_encode(text, RFC3986_RESERVED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(raw: &str) -> String {
        QueryParams::parse(Some(raw)).canonical()
    }

    #[test]
    fn sorts_keys_and_keeps_the_last_repeated_value() {
        assert_eq!(canonical("b=2&a=1&b=3"), "a=1&b=3");
    }

    #[test]
    fn spaces_from_plus_and_percent_twenty_encode_alike() {
        assert_eq!(canonical("name=a+b"), "name=a%20b");
        assert_eq!(canonical("name=a%20b"), "name=a%20b");
    }

    #[test]
    fn reserved_characters_are_encoded_with_upper_case_hex() {
        assert_eq!(canonical("path=%2fa/b~c"), "path=%2Fa%2Fb~c");
        assert_eq!(canonical("u=%C3%A9"), "u=%C3%A9");
        assert_eq!(canonical("flag"), "flag=");
    }

    #[test]
    fn the_scalr_api_form_keeps_every_pair_in_order_and_slashes() {
        let kept = |raw: &str| pairs_kept_canonical(Some(raw));
        assert_eq!(kept("maxResults=1&pageNum=2&maxResults=1"), "maxResults=1&maxResults=1&pageNum=2");
        assert_eq!(kept("b=2&a=x&b=1"), "a=x&b=2&b=1", "a stable sort keeps b's order");
        assert_eq!(kept("os=a/b+c&n=%C3%A9"), "n=%C3%A9&os=a/b%20c");
        assert_eq!(pairs_kept_canonical(None), "");
    }

    #[test]
    fn an_absent_or_empty_query_is_empty() {
        assert_eq!(QueryParams::parse(None).canonical(), "");
        assert_eq!(canonical(""), "");
    }
}
