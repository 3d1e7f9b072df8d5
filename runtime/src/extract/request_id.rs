//! [`RequestId`]: the id of one request, and the extractor that gives it to a handler.

use std::fmt;

use axum::extract::FromRequestParts;
use axum::http::HeaderValue;
use axum::http::request::Parts;
use serde::Serialize;
use uuid::Uuid;

use crate::envelope::EnvelopeContext;

/// The id of one request: a fresh random UUID, sent as `meta.requestId`, as the
/// `X-Request-Id` response header, and recorded on the request's tracing span.
///
/// Also an extractor, for handlers that want to mention it in their own logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestId(Uuid);

impl RequestId {
    /// A new random (version 4) id.
    pub fn new() -> Self {
        Self(Uuid::new_v4())
    }

    /// The id as a UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }

    /// The id as a header value.
    pub(crate) fn header_value(&self) -> HeaderValue {
        let mut buffer = Uuid::encode_buffer();
        let text = self.0.hyphenated().encode_lower(&mut buffer);
        HeaderValue::from_str(text).expect("a hyphenated UUID is a valid header value")
    }

    /// Appends the id's text (lowercase, hyphenated) to `out`.
    pub(crate) fn write_to(&self, out: &mut Vec<u8>) {
        let mut buffer = Uuid::encode_buffer();
        out.extend_from_slice(self.0.hyphenated().encode_lower(&mut buffer).as_bytes());
    }

    /// The id of the request `parts` belong to.
    pub(crate) fn of(parts: &mut Parts) -> Self {
        EnvelopeContext::of(parts).request_id()
    }
}

impl Default for RequestId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl Serialize for RequestId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buffer = Uuid::encode_buffer();
        serializer.serialize_str(self.0.hyphenated().encode_lower(&mut buffer))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts))
    }
}
