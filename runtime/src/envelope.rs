//! The `{data, errors, meta, warnings}` envelope (Decision D2): request ids, warnings, and the
//! serialisation of success, list and error bodies.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;

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
        serializer.collect_str(&self.0.hyphenated())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts))
    }
}

/// One entry of the envelope's `warnings` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// A short machine-readable code, e.g. `"Deprecated"`.
    pub code: Cow<'static, str>,
    /// What the client should know.
    pub message: Cow<'static, str>,
}

/// Lets an action add warnings to its response (success or error).
///
/// Take it as an argument: `warnings: Warnings`, then `warnings.add("Deprecated", "...")`.
/// Every clone writes to the same list: the one of the request's envelope, whichever envelope
/// answers it. `Warnings::default()` is a list of its own, for calling an action directly in a
/// unit test.
#[derive(Debug, Clone, Default)]
pub struct Warnings(EnvelopeContext);

impl Warnings {
    /// Adds a warning to the response.
    pub fn add(&self, code: impl Into<Cow<'static, str>>, message: impl Into<Cow<'static, str>>) {
        let warning = Warning { code: code.into(), message: message.into() };
        self.0.state.warnings.lock().unwrap_or_else(PoisonError::into_inner).push(warning);
    }

    /// The warnings added so far.
    pub fn to_vec(&self) -> Vec<Warning> {
        self.0.warnings()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Warnings {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(EnvelopeContext::of(parts).clone()))
    }
}

/// What the envelope of one request says besides its outcome: the request id, the warnings, and
/// the debug string to sign.
///
/// The outer layer puts it into the request's extensions; every part of the request's handling
/// that learns something for the envelope (admission, an extractor, the handler) writes into
/// this one shared value, and the layer reads it back whatever response comes out. That is the
/// single channel every error and success travels by, so no rejection can lose the context.
#[derive(Debug, Clone, Default)]
pub(crate) struct EnvelopeContext {
    state: Arc<ContextState>,
}

#[derive(Debug, Default)]
struct ContextState {
    request_id: RequestId,
    /// `meta.stringToSign`, present only when the client sent `X-Scalr-Debug: 1`.
    string_to_sign: OnceLock<Box<str>>,
    warnings: Mutex<Vec<Warning>>,
}

impl EnvelopeContext {
    /// The context of the request `parts` belong to; a new one if the request never crossed
    /// the outer layer (a handler driven without the router).
    pub(crate) fn of(parts: &mut Parts) -> &Self {
        parts.extensions.get_or_insert_default::<EnvelopeContext>()
    }

    pub(crate) fn request_id(&self) -> RequestId {
        self.state.request_id
    }

    /// Records the string the server verified the signature over, for `meta.stringToSign`.
    pub(crate) fn set_string_to_sign(&self, text: impl Into<Box<str>>) {
        // A request is authenticated once; should it be twice, the first string stays.
        let _ = self.state.string_to_sign.set(text.into());
    }

    fn string_to_sign(&self) -> Option<&str> {
        self.state.string_to_sign.get().map(|text| &**text)
    }

    fn warnings(&self) -> Vec<Warning> {
        self.state.warnings.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn meta(&self) -> Meta<'_> {
        Meta { request_id: self.request_id(), string_to_sign: self.string_to_sign() }
    }
}

#[derive(Serialize)]
struct Meta<'a> {
    #[serde(rename = "requestId")]
    request_id: RequestId,
    #[serde(rename = "stringToSign", skip_serializing_if = "Option::is_none")]
    string_to_sign: Option<&'a str>,
}

/// `first`, `last`, `prev`, `next`: links to pages of a list, `None` where not applicable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pagination {
    /// The first page, or `None` when everything fits on one page.
    pub first: Option<String>,
    /// The last page, or `None` when everything fits on one page.
    pub last: Option<String>,
    /// The previous page, or `None` on the first page.
    pub prev: Option<String>,
    /// The next page, or `None` on the last page.
    pub next: Option<String>,
}

#[derive(Serialize)]
struct DataEnvelope<'a, T> {
    data: T,
    errors: [(); 0],
    meta: Meta<'a>,
    warnings: Vec<Warning>,
}

#[derive(Serialize)]
struct ListEnvelope<'a, T> {
    data: T,
    errors: [(); 0],
    meta: Meta<'a>,
    pagination: &'a Pagination,
    warnings: Vec<Warning>,
}

#[derive(Serialize)]
struct ErrorEnvelope<'a> {
    errors: [&'a ApiError; 1],
    meta: Meta<'a>,
    warnings: Vec<Warning>,
}

/// `{"data": data, "errors": [], "meta": ..., "warnings": [...]}` with the given status.
pub(crate) fn data_response<T: Serialize>(status: StatusCode, data: T, context: &EnvelopeContext) -> Response {
    let envelope = DataEnvelope { data, errors: [], meta: context.meta(), warnings: context.warnings() };
    serialized(status, &envelope)
}

/// A list envelope: as [`data_response`] plus the top-level `pagination`.
pub(crate) fn list_response<T: Serialize>(
    status: StatusCode,
    data: T,
    pagination: &Pagination,
    context: &EnvelopeContext,
) -> Response {
    let envelope = ListEnvelope { data, errors: [], meta: context.meta(), pagination, warnings: context.warnings() };
    serialized(status, &envelope)
}

fn serialized<E: Serialize>(status: StatusCode, envelope: &E) -> Response {
    match serde_json::to_vec(envelope) {
        Ok(body) => json_response(status, body),
        Err(failure) => {
            ApiError::internal(format_args!("the response could not be serialised: {failure}")).into_response()
        }
    }
}

/// The error envelope for `error`; the status is the code's.
pub(crate) fn error_body(error: &ApiError, context: &EnvelopeContext) -> Response {
    let envelope = ErrorEnvelope { errors: [error], meta: context.meta(), warnings: context.warnings() };
    let body = serde_json::to_vec(&envelope).expect("an error envelope always serialises");
    json_response(error.status(), body)
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(axum::body::Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// An error on its way out: the response carries it as an extension and the outer layer
/// renders it with the request's [`EnvelopeContext`], which it alone is sure to hold by then
/// (warnings may be added until the handler returns).
#[derive(Debug, Clone)]
pub(crate) struct PendingError(pub(crate) ApiError);

impl IntoResponse for PendingError {
    fn into_response(self) -> Response {
        let mut response = Response::new(axum::body::Body::empty());
        *response.status_mut() = self.0.status();
        response.extensions_mut().insert(self);
        response
    }
}
