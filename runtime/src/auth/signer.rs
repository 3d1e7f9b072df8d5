//! The client's side: [`Signer`] makes the authentication headers of a request, for clients
//! written in Rust and for tests.

use axum::http::header::InvalidHeaderValue;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use chrono::{DateTime, Utc};

use super::date;
use super::keys::Secret;
use super::signature::{DATE_HEADER, DEBUG_HEADER, KEY_ID_HEADER, SIGNATURE_HEADER, SIGNATURE_SCHEME, StringToSign};

/// Signs requests with one API key.
///
/// ```ignore
/// let signer = Signer::new("APIKALICE00000000001", Secret::new(secret))?;
/// let headers = signer.sign("POST", "/api/v1beta0/user/1/images/", None, body, Utc::now());
/// headers.apply_to(request.headers_mut());
/// ```
///
/// With the `reqwest` feature, `Signer::sign_reqwest` signs a built `reqwest::Request`.
#[derive(Debug, Clone)]
pub struct Signer {
    key_id: HeaderValue,
    secret: Secret,
    debug: bool,
}

impl Signer {
    /// A signer for the key `key_id`; fails when the id cannot be sent in a header.
    pub fn new(key_id: &str, secret: Secret) -> Result<Self, InvalidHeaderValue> {
        Ok(Self { key_id: HeaderValue::from_str(key_id)?, secret, debug: false })
    }

    /// Also asks the server to put the string it verified in `meta.stringToSign`
    /// (`X-Scalr-Debug: 1`), to find out why a signature does not match.
    pub fn with_debug(mut self) -> Self {
        self.debug = true;
        self
    }

    /// The headers that authenticate one request signed at `at`: `method`, `path` exactly as
    /// it will be sent (percent-encoded, without the query), `query` as it will be sent (the
    /// part after `?`, if any) and the exact body bytes (empty for none).
    pub fn sign(&self, method: &str, path: &str, query: Option<&str>, body: &[u8], at: DateTime<Utc>) -> SignedHeaders {
        let date = date::format(at);
        let signature = StringToSign::new(method, &date, path, query, body).sign(&self.secret);
        SignedHeaders {
            key_id: self.key_id.clone(),
            date: HeaderValue::try_from(date).expect("a formatted date is a valid header value"),
            signature: HeaderValue::try_from(format!("{SIGNATURE_SCHEME} {signature}"))
                .expect("base64 is a valid header value"),
            debug: self.debug.then(|| HeaderValue::from_static("1")),
        }
    }
}

/// The authentication headers of one request: `X-Scalr-Key-Id`, `X-Scalr-Date`,
/// `X-Scalr-Signature`, and `X-Scalr-Debug` when the signer asks for debug output.
#[derive(Debug, Clone)]
pub struct SignedHeaders {
    key_id: HeaderValue,
    date: HeaderValue,
    signature: HeaderValue,
    debug: Option<HeaderValue>,
}

impl SignedHeaders {
    /// Each header's name and value.
    pub fn iter(&self) -> impl Iterator<Item = (HeaderName, &HeaderValue)> {
        [(KEY_ID_HEADER, &self.key_id), (DATE_HEADER, &self.date), (SIGNATURE_HEADER, &self.signature)]
            .into_iter()
            .chain(self.debug.as_ref().map(|debug| (DEBUG_HEADER, debug)))
    }

    /// Sets the headers on a request, replacing any earlier values.
    pub fn apply_to(&self, headers: &mut HeaderMap) {
        for (name, value) in self.iter() {
            headers.insert(name, value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn the_headers_carry_a_signature_of_what_will_be_sent() {
        let signer = Signer::new("APIKALICE", Secret::new("9yR7oF2vA1kLx3Qp8sTz0cWb4nHm6dJg")).unwrap();
        let body = br#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;
        let path = "/api/v1beta0/user/1/images/3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c/actions/copy/";
        let signed = signer.sign("POST", path, None, body, at("2026-11-28T23:42:04Z"));
        let mut headers = HeaderMap::new();
        signed.apply_to(&mut headers);
        assert_eq!(headers.len(), 3);
        assert_eq!(headers[KEY_ID_HEADER], "APIKALICE");
        assert_eq!(headers[DATE_HEADER], "2026-11-28T23:42:04.000Z");
        // The same signature as the fixed vector computed with Python for this request.
        assert_eq!(headers[SIGNATURE_HEADER], "V1-HMAC-SHA256 ueqRXyBdCIdw0n00qSLoDdE2C/ipynbhkV4IjoVzFzA=");
    }

    #[test]
    fn debug_adds_the_fourth_header() {
        let signer = Signer::new("APIKALICE", Secret::new("s")).unwrap().with_debug();
        let signed = signer.sign("GET", "/x", Some("b=1&a=2"), b"", at("2026-11-28T23:42:04.5Z"));
        let names: Vec<HeaderName> = signed.iter().map(|(name, _)| name).collect();
        assert_eq!(names, [KEY_ID_HEADER, DATE_HEADER, SIGNATURE_HEADER, DEBUG_HEADER]);
        let date = signed.iter().find(|(name, _)| *name == DATE_HEADER).map(|(_, value)| value.clone());
        assert_eq!(date.unwrap(), "2026-11-28T23:42:04.500Z");
    }

    #[test]
    fn a_key_id_that_cannot_be_a_header_is_refused() {
        assert!(Signer::new("APIK\nEVIL", Secret::new("s")).is_err());
    }
}
