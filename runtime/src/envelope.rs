//! The `{data, errors, meta, warnings}` envelope (`docs/wire-contract.md#d2-every-envelope-key-always-present`): the context one request gathers for it, and the
//! serialisation of success, list and error bodies.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::ApiError;
use crate::extract::{Pagination, RequestId, Warning};

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

    pub(crate) fn add_warning(&self, warning: Warning) {
        self.state.warnings.lock().unwrap_or_else(PoisonError::into_inner).push(warning);
    }

    pub(crate) fn warnings(&self) -> Vec<Warning> {
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
    match to_json(envelope) {
        Ok(body) => json_response(status, body),
        Err(failure) => {
            ApiError::internal(format_args!("the response could not be serialised: {failure}")).into_response()
        }
    }
}

/// The error envelope for `error`; the status is the code's.
pub(crate) fn error_body(error: &ApiError, context: &EnvelopeContext) -> Response {
    let envelope = ErrorEnvelope { errors: [error], meta: context.meta(), warnings: context.warnings() };
    let body = to_json(&envelope).expect("an error envelope always serialises");
    json_response(error.status(), body)
}

/// An envelope's bytes, in a buffer that starts at the size of an error envelope, so that most
/// bodies are written without growing it.
fn to_json<E: Serialize>(envelope: &E) -> serde_json::Result<Vec<u8>> {
    let mut body = Vec::with_capacity(256);
    serde_json::to_writer(&mut body, envelope)?;
    Ok(body)
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
