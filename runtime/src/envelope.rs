//! The `{data, errors, meta, warnings}` envelope (Decision D2): request ids, warnings, and the
//! serialisation of success, list and error bodies.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
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

    /// The id the outer layer gave this request; a fresh one if the request never crossed it.
    pub(crate) fn of(parts: &Parts) -> Self {
        parts.extensions.get::<RequestId>().copied().unwrap_or_default()
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// A short machine-readable code, e.g. `"Deprecated"`.
    pub code: Cow<'static, str>,
    /// What the client should know.
    pub message: Cow<'static, str>,
}

/// Lets an action add warnings to its response (success or error).
///
/// Take it as an argument: `warnings: Warnings`, then `warnings.add("Deprecated", "...")`.
/// Every clone writes to the same list; the list is created only when an action asks for it.
#[derive(Debug, Clone, Default)]
pub struct Warnings(Arc<Mutex<Vec<Warning>>>);

impl Warnings {
    /// Adds a warning to the response.
    pub fn add(&self, code: impl Into<Cow<'static, str>>, message: impl Into<Cow<'static, str>>) {
        let warning = Warning { code: code.into(), message: message.into() };
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(warning);
    }

    /// The warnings added so far.
    pub fn to_vec(&self) -> Vec<Warning> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Warnings {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get_or_insert_default::<Warnings>().clone())
    }
}

/// What an envelope says besides its data: the request id, warnings and debug meta.
#[derive(Debug, Clone, Default)]
pub(crate) struct EnvelopeContext {
    pub(crate) warnings: Option<Warnings>,
    /// `meta.stringToSign`, present only when the client sent `X-Scalr-Debug: 1`.
    pub(crate) string_to_sign: Option<Arc<str>>,
}

impl EnvelopeContext {
    fn warnings(&self) -> Vec<Warning> {
        self.warnings.as_ref().map(Warnings::to_vec).unwrap_or_default()
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
pub(crate) fn data_response<T: Serialize>(
    status: StatusCode,
    data: T,
    request_id: RequestId,
    context: &EnvelopeContext,
) -> Response {
    let envelope = DataEnvelope {
        data,
        errors: [],
        meta: Meta { request_id, string_to_sign: context.string_to_sign.as_deref() },
        warnings: context.warnings(),
    };
    serialized(status, &envelope, context)
}

/// A list envelope: as [`data_response`] plus the top-level `pagination`.
pub(crate) fn list_response<T: Serialize>(
    status: StatusCode,
    data: T,
    pagination: &Pagination,
    request_id: RequestId,
    context: &EnvelopeContext,
) -> Response {
    let envelope = ListEnvelope {
        data,
        errors: [],
        meta: Meta { request_id, string_to_sign: context.string_to_sign.as_deref() },
        pagination,
        warnings: context.warnings(),
    };
    serialized(status, &envelope, context)
}

fn serialized<E: Serialize>(status: StatusCode, envelope: &E, context: &EnvelopeContext) -> Response {
    match serde_json::to_vec(envelope) {
        Ok(body) => json_response(status, body),
        Err(failure) => {
            let error = ApiError::internal(format_args!("the response could not be serialised: {failure}"));
            PendingError { error, context: context.clone() }.into_response()
        }
    }
}

/// The error envelope for `error`; the status is the code's.
pub(crate) fn error_body(error: &ApiError, request_id: RequestId, context: &EnvelopeContext) -> Response {
    let envelope = ErrorEnvelope {
        errors: [error],
        meta: Meta { request_id, string_to_sign: context.string_to_sign.as_deref() },
        warnings: context.warnings(),
    };
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
/// renders it, because only the layer is sure to know the request id.
#[derive(Debug, Clone)]
pub(crate) struct PendingError {
    pub(crate) error: ApiError,
    pub(crate) context: EnvelopeContext,
}

impl PendingError {
    pub(crate) fn new(error: ApiError) -> Self {
        Self { error, context: EnvelopeContext::default() }
    }
}

impl IntoResponse for PendingError {
    fn into_response(self) -> Response {
        let mut response = Response::new(axum::body::Body::empty());
        *response.status_mut() = self.error.status();
        response.extensions_mut().insert(self);
        response
    }
}
