//! [`TestResponse`]: a response read whole, with the envelope's parts at hand.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};
use crate::extract::{Pagination, Warning};
use crate::layer::REQUEST_ID_HEADER;

/// A response of the router, read whole.
///
/// The accessors of the envelope's parts panic with the whole body in the message when the
/// response is not the envelope they expect, so a failing test shows what came back.
#[derive(Debug, Clone)]
pub struct TestResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    json: Value,
}

impl TestResponse {
    pub(super) async fn read(response: Response) -> Self {
        let (parts, body) = response.into_parts();
        let body = match body.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(failure) => panic!("the response body could not be read: {failure}"),
        };
        let is_json = parts.headers.get(header::CONTENT_TYPE).is_some_and(|value| value == "application/json");
        let json = if is_json { serde_json::from_slice(&body).unwrap_or(Value::Null) } else { Value::Null };
        Self { status: parts.status, headers: parts.headers, body, json }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as JSON; `null` unless it was served as `application/json` and parses.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The request id of the `X-Request-Id` header.
    ///
    /// # Panics
    ///
    /// When the header is missing or not a UUID: every response of the router carries one.
    pub fn request_id(&self) -> Uuid {
        self.headers
            .get(REQUEST_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(|| panic!("no X-Request-Id header on {self}"))
    }

    /// `data`, read as a `T`.
    ///
    /// # Panics
    ///
    /// When the response is not a success envelope whose `data` is a `T`.
    pub fn data<T: DeserializeOwned>(&self) -> T {
        assert!(self.status.is_success(), "expected a success envelope, got {self}");
        serde_json::from_value(self.json["data"].clone())
            .unwrap_or_else(|failure| panic!("`data` is not the expected type ({failure}) in {self}"))
    }

    /// The envelope's `errors`, as [`ApiError`]s (empty for a success).
    ///
    /// # Panics
    ///
    /// When the body is not an envelope, or names a code this crate does not know.
    pub fn errors(&self) -> Vec<ApiError> {
        let Some(errors) = self.json["errors"].as_array() else {
            panic!("expected an envelope with `errors`, got {self}");
        };
        errors
            .iter()
            .map(|error| {
                let code = error["code"].as_str().and_then(ErrorCode::from_name);
                match (code, error["message"].as_str()) {
                    (Some(code), Some(message)) => ApiError::new(code, message.to_owned()),
                    _ => panic!("an entry of `errors` is not a known code and a message in {self}"),
                }
            })
            .collect()
    }

    /// The envelope's `warnings`.
    ///
    /// # Panics
    ///
    /// When the body is not an envelope.
    pub fn warnings(&self) -> Vec<Warning> {
        serde_json::from_value(self.json["warnings"].clone())
            .unwrap_or_else(|_| panic!("expected an envelope with `warnings`, got {self}"))
    }

    /// The list envelope's `pagination`; `None` for envelopes that are not lists.
    pub fn pagination(&self) -> Option<Pagination> {
        serde_json::from_value(self.json.get("pagination")?.clone()).ok()
    }

    /// `meta.stringToSign`: what the server verified the signature over, present when the client
    /// asked for debug output.
    pub fn string_to_sign(&self) -> Option<&str> {
        self.json["meta"]["stringToSign"].as_str()
    }

    /// Asserts this is exactly the error envelope of `code` and `message`: the code's status,
    /// served as JSON, one error, the request id of the header in `meta`, no warnings.
    ///
    /// # Panics
    ///
    /// When it is not.
    pub fn assert_error(&self, code: ErrorCode, message: &str) {
        assert_eq!(self.status, code.status(), "status of {self}");
        assert_eq!(
            self.headers.get(header::CONTENT_TYPE).map(|value| value.as_bytes()),
            Some(&b"application/json"[..]),
            "content type of {self}"
        );
        assert_eq!(self.errors(), [ApiError::new(code, message.to_owned())], "errors of {self}");
        assert_eq!(self.json["meta"]["requestId"], self.request_id().to_string(), "meta.requestId of {self}");
        assert_eq!(self.json["warnings"], Value::Array(Vec::new()), "warnings of {self}");
    }

    pub(super) fn next_link(&self) -> Option<String> {
        self.pagination()?.next
    }
}

/// The status and the body, for assertion messages.
impl std::fmt::Display for TestResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, String::from_utf8_lossy(&self.body))
    }
}
