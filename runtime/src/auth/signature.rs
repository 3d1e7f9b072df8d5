//! The V1-HMAC-SHA256 signature: the string a request is signed over and the HMAC of it. The
//! server verifies with this module and [`Signer`](super::Signer) signs with it, so the two
//! sides cannot disagree on the format.

use std::borrow::Cow;
use std::fmt;

use axum::http::HeaderName;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::keys::Secret;
use crate::query::{QueryParams, pairs_kept_canonical};

/// The header naming the API key a request is signed with.
pub const KEY_ID_HEADER: HeaderName = HeaderName::from_static("x-scalr-key-id");
/// The header with the time of signing, ISO 8601 with a zone.
pub const DATE_HEADER: HeaderName = HeaderName::from_static("x-scalr-date");
/// The header with the signature: `V1-HMAC-SHA256 <base64 signature>`.
pub const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("x-scalr-signature");
/// The header that asks the server for `meta.stringToSign` when its value is `1`.
pub const DEBUG_HEADER: HeaderName = HeaderName::from_static("x-scalr-debug");
/// The first token of the signature header: the only signing scheme Scalr has.
pub const SIGNATURE_SCHEME: &str = "V1-HMAC-SHA256";

/// The spec's `securityDefinitions`: the three headers every signed request carries, named after
/// the constants the verifier reads them by. Swagger 2.0 and OpenAPI have no scheme for a request
/// signature, so they are API-key headers whose descriptions say how the signature is made.
pub(crate) fn security_definitions() -> serde_json::Value {
    // The names as Scalr's clients write them; the constants hold them lower-cased.
    let header = |name: &HeaderName, written: &str, description: String| {
        debug_assert!(name.as_str().eq_ignore_ascii_case(written), "{written} is {name}");
        serde_json::json!({ "type": "apiKey", "in": "header", "name": written, "description": description })
    };
    serde_json::json!({
        "scalrKeyId": header(&KEY_ID_HEADER, "X-Scalr-Key-Id", "The id of the API key the request is signed with.".into()),
        "scalrDate": header(
            &DATE_HEADER,
            "X-Scalr-Date",
            "The time of signing, ISO 8601 with a zone, e.g. `2026-11-28T23:42:04.000Z`; valid for 300 seconds \
             either way."
                .into(),
        ),
        "scalrSignature": header(
            &SIGNATURE_HEADER,
            "X-Scalr-Signature",
            format!(
                "`{SIGNATURE_SCHEME} <signature>`: the base64 HMAC-SHA256, under the secret key, of the method, the \
                 date, the path as sent, the canonical query string and the raw body, joined by newlines. Send \
                 `X-Scalr-Debug: 1` to get the string the server signed in `meta.stringToSign`."
            ),
        ),
    })
}

/// The spec's `security`: all three headers, on every operation.
pub(crate) fn security_requirement() -> serde_json::Value {
    serde_json::json!([{ "scalrKeyId": [], "scalrDate": [], "scalrSignature": [] }])
}

/// The length of an HMAC-SHA256, in bytes.
const MAC_LENGTH: usize = 32;

/// What a request is signed over: five lines joined by `\n` (no trailing newline) — the method,
/// the date, the path as sent, the canonical query string and the raw body.
///
/// `Display` shows it as the server reports it in `meta.stringToSign` (a body that is not
/// UTF-8 is shown lossily; the signature always covers the raw bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringToSign<'a> {
    method: Cow<'a, str>,
    date: String,
    path: &'a str,
    query: String,
    /// The query as `scalr-api` canonicalises it, when that differs from `query`.
    scalr_api_query: Option<String>,
    body: &'a [u8],
}

impl<'a> StringToSign<'a> {
    /// The string to sign for a request as it travels: `date` is the `X-Scalr-Date` value (its
    /// whitespace is removed here), `path` the path exactly as sent (percent-encoding and
    /// trailing slash kept), `query` the raw query string if any (canonicalised here: decoded,
    /// last value of a repeated key, sorted, RFC 3986 encoded), `body` the raw body bytes.
    pub fn new(method: &'a str, date: &str, path: &'a str, query: Option<&str>, body: &'a [u8]) -> Self {
        let method = if method.bytes().any(|byte| byte.is_ascii_lowercase()) {
            Cow::Owned(method.to_ascii_uppercase())
        } else {
            Cow::Borrowed(method)
        };
        let canonical = QueryParams::parse(query).canonical();
        let scalr_api_query = Some(pairs_kept_canonical(query)).filter(|kept| *kept != canonical);
        Self {
            method,
            date: date.chars().filter(|c| !c.is_whitespace()).collect(),
            path,
            query: canonical,
            scalr_api_query,
            body,
        }
    }

    /// The date line: the `X-Scalr-Date` value without whitespace, which is also the value the
    /// server reads the time of signing from.
    pub fn date(&self) -> &str {
        &self.date
    }

    /// The signature of this string under `secret`: the standard, padded base64 of its
    /// HMAC-SHA256.
    pub fn sign(&self, secret: &Secret) -> String {
        BASE64.encode(self.mac(secret, &self.query))
    }

    /// Whether `signature` (the base64 text that follows the scheme in the header) is the
    /// signature of this string under `secret`, with the query in either canonical form
    /// (`docs/wire-contract.md#d8-both-canonical-query-forms`): one HMAC, or two when the forms
    /// differ. Each comparison takes the same time wherever the two differ, and both are made
    /// whatever the first finds (`docs/wire-contract.md#d1-compare-signatures-in-constant-time`),
    /// so it reveals nothing about the expected value.
    pub fn verify(&self, secret: &Secret, signature: &[u8]) -> bool {
        let mut sent = [0_u8; MAC_LENGTH];
        if BASE64.decode_slice(signature, &mut sent) != Ok(MAC_LENGTH) {
            return false;
        }
        let mut matches = self.mac(secret, &self.query).ct_eq(&sent);
        if let Some(kept) = &self.scalr_api_query {
            matches |= self.mac(secret, kept).ct_eq(&sent);
        }
        matches.into()
    }

    /// The HMAC-SHA256 of the five lines with `query`, fed piece by piece so that the body is not
    /// copied.
    fn mac(&self, secret: &Secret, query: &str) -> [u8; MAC_LENGTH] {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose()).expect("HMAC accepts keys of any length");
        let newline: &[u8] = b"\n";
        for piece in [
            self.method.as_bytes(),
            newline,
            self.date.as_bytes(),
            newline,
            self.path.as_bytes(),
            newline,
            query.as_bytes(),
            newline,
            self.body,
        ] {
            mac.update(piece);
        }
        mac.finalize().into_bytes().into()
    }
}

impl fmt::Display for StringToSign<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}\n{}\n{}\n{}\n{}",
            self.method,
            self.date,
            self.path,
            self.query,
            String::from_utf8_lossy(self.body)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values computed once, independently of this crate, with Python's urllib
    // (parse_qsl + quote(safe="")), hmac, hashlib and base64.
    const SECRET: &str = "9yR7oF2vA1kLx3Qp8sTz0cWb4nHm6dJg";
    const COPY_PATH: &str = "/api/v1beta0/user/1/images/3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c/actions/copy/";
    const COPY_BODY: &str = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;

    fn secret(text: &str) -> Secret {
        Secret::new(text)
    }

    #[test]
    fn a_post_with_a_body_and_no_query() {
        let string = StringToSign::new("POST", "2026-11-28T23:42:04.000Z", COPY_PATH, None, COPY_BODY.as_bytes());
        assert_eq!(string.to_string(), format!("POST\n2026-11-28T23:42:04.000Z\n{COPY_PATH}\n\n{COPY_BODY}"));
        assert_eq!(string.sign(&secret(SECRET)), "ueqRXyBdCIdw0n00qSLoDdE2C/ipynbhkV4IjoVzFzA=");
    }

    #[test]
    fn the_query_is_canonicalised_before_signing() {
        // Unsorted; a space as `+` and as `%20`; `/` raw and encoded; `~` raw and encoded; a
        // multi-byte character; a repeated key (the last value wins); an empty value; a key
        // without `=`; a key with a space; a reserved character in lower-case hex.
        let raw = "zeta=%7E&name=a+b&os=a%20b&path=a/b%2Fc&uni=%C3%A9t%C3%A9%E2%82%AC&b=1&b=2&empty=&flag&a+key=x~y&Upper=%2a";
        let string =
            StringToSign::new("GET", "2026-11-28T23:42:04.365273+00:00", "/api/v1beta0/user/1/images/", Some(raw), b"");
        let canonical = "Upper=%2A&a%20key=x~y&b=2&empty=&flag=&name=a%20b&os=a%20b&path=a%2Fb%2Fc&uni=%C3%A9t%C3%A9%E2%82%AC&zeta=~";
        assert_eq!(
            string.to_string(),
            format!("GET\n2026-11-28T23:42:04.365273+00:00\n/api/v1beta0/user/1/images/\n{canonical}\n")
        );
        assert_eq!(string.sign(&secret(SECRET)), "elbglrsDQ+FlgYVGtUEyj1tEUJQ+Abhcye6TPD0gA5c=");
    }

    #[test]
    fn whitespace_leaves_the_date_and_the_path_stays_as_sent() {
        let string = StringToSign::new(
            "get",
            " 2026-11-29T05:12:04+05:30 ",
            "/api/v1beta0/user/12/images/%7Bid%7D",
            Some("maxResults=2&pageNum=1"),
            b"{}",
        );
        assert_eq!(string.date(), "2026-11-29T05:12:04+05:30");
        assert_eq!(
            string.to_string(),
            "GET\n2026-11-29T05:12:04+05:30\n/api/v1beta0/user/12/images/%7Bid%7D\nmaxResults=2&pageNum=1\n{}"
        );
        assert_eq!(string.sign(&secret("päss wörd")), "8CxB6HDKknk5XiKUnEIzVI8bIxjdsgSu76xf9HpXxUA=");
    }

    #[test]
    fn verification_accepts_only_the_exact_signature() {
        let string = StringToSign::new("POST", "2026-11-28T23:42:04.000Z", COPY_PATH, None, COPY_BODY.as_bytes());
        let key = secret(SECRET);
        assert!(string.verify(&key, b"ueqRXyBdCIdw0n00qSLoDdE2C/ipynbhkV4IjoVzFzA="));
        for wrong in [
            &b"veqRXyBdCIdw0n00qSLoDdE2C/ipynbhkV4IjoVzFzA="[..],
            b"ueqRXyBdCIdw0n00qSLoDdE2C/ipynbhkV4IjoVzFzA",
            b"ueqRXyBdCIdw0n00qSLoDdE2C/ipynbhkV4IjoVzFzA=ueqR",
            b"not base64 at all!",
            b"",
        ] {
            assert!(!string.verify(&key, wrong), "{}", String::from_utf8_lossy(wrong));
        }
        assert!(!string.verify(&secret("another secret"), b"ueqRXyBdCIdw0n00qSLoDdE2C/ipynbhkV4IjoVzFzA="));
    }

    /// What scalr-api 1.0.1 signs for its second page of `image_list(maxResults=1, os="a/b")`:
    /// its own parameters again beside the `next` link's, duplicates kept, `/` unencoded.
    #[test]
    fn the_scalr_api_canonical_query_verifies_too() {
        let key = secret(SECRET);
        let date = "2026-11-28T23:42:04.365273+00:00";
        let sent = "maxResults=1&os=a%2Fb&pageNum=2&maxResults=1&os=a%2Fb";
        let path = "/api/v1beta0/user/1/images/";
        let scalr_api_line = "maxResults=1&maxResults=1&os=a/b&os=a/b&pageNum=2";
        let scalr_api_string = format!("GET\n{date}\n{path}\n{scalr_api_line}\n");
        let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(scalr_api_string.as_bytes());
        let scalr_api_signature = BASE64.encode(mac.finalize().into_bytes());

        let string = StringToSign::new("GET", date, path, Some(sent), b"");
        assert!(string.verify(&key, scalr_api_signature.as_bytes()), "scalr-api's form");
        assert!(string.verify(&key, string.sign(&key).as_bytes()), "the contract's form");
        let other_page = StringToSign::new("GET", date, path, Some(&sent.replace("pageNum=2", "pageNum=3")), b"");
        assert!(!other_page.verify(&key, scalr_api_signature.as_bytes()), "a changed query fails in both forms");
        // The debug string shows the contract's form.
        assert!(string.to_string().contains("\nmaxResults=1&os=a%2Fb&pageNum=2\n"), "{string}");
    }

    #[test]
    fn a_body_that_is_not_utf8_is_signed_raw_and_shown_lossily() {
        let string = StringToSign::new("PUT", "2026-11-28T23:42:04Z", "/x", None, &[0xff, b'a']);
        assert_eq!(string.to_string(), "PUT\n2026-11-28T23:42:04Z\n/x\n\n\u{fffd}a");
        let lossy = StringToSign::new("PUT", "2026-11-28T23:42:04Z", "/x", None, "\u{fffd}a".as_bytes());
        assert_ne!(string.sign(&secret(SECRET)), lossy.sign(&secret(SECRET)));
    }
}
