//! The `{data, errors, meta, warnings}` envelope (`docs/wire-contract.md#d2-every-envelope-key-always-present`): the context one request gathers for it, and the
//! serialisation of success, list and error bodies.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use axum::body::Bytes;
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

/// The bytes of an envelope. It is written into a buffer this thread keeps for the purpose and
/// copied out at its exact length: the body then costs one allocation, where a buffer grown in
/// place costs its own and one more when the body takes it over at a length below its capacity.
fn to_json<E: Serialize>(envelope: &E) -> serde_json::Result<Bytes> {
    let write = |buffer: &mut Vec<u8>| {
        buffer.clear();
        let written = serde_json::to_writer(&mut *buffer, envelope).map(|()| Bytes::copy_from_slice(buffer));
        // A long list leaves a large buffer behind; keep no more than a typical envelope needs.
        if buffer.capacity() > SCRATCH_KEPT {
            *buffer = Vec::new();
        }
        written
    };
    // A `Serialize` impl that writes an envelope of its own finds the buffer taken: it gets a
    // buffer of its own.
    SCRATCH
        .try_with(|scratch| scratch.try_borrow_mut().ok().map(|mut buffer| write(&mut buffer)))
        .ok()
        .flatten()
        .unwrap_or_else(|| write(&mut Vec::new()))
}

thread_local! {
    /// The buffer [`to_json`] writes into.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The capacity of the serialisation buffer a thread keeps between envelopes.
const SCRATCH_KEPT: usize = 64 * 1024;

fn json_response(status: StatusCode, body: Bytes) -> Response {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A value whose serialisation writes an envelope of its own, as a `Serialize` impl may.
    struct WritesAnEnvelope;

    impl Serialize for WritesAnEnvelope {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let inner = to_json(&serde_json::json!({"inner": true})).map_err(serde::ser::Error::custom)?;
            serializer.serialize_str(std::str::from_utf8(&inner).map_err(serde::ser::Error::custom)?)
        }
    }

    #[test]
    fn an_envelope_written_while_another_is_gets_a_buffer_of_its_own() {
        let outer = to_json(&serde_json::json!({"before": 1})).unwrap();
        assert_eq!(&outer[..], br#"{"before":1}"#);
        let nested = to_json(&[WritesAnEnvelope]).unwrap();
        assert_eq!(&nested[..], br#"["{\"inner\":true}"]"#);
        // The thread's buffer is free again afterwards, and holds nothing of the last body.
        assert_eq!(&to_json(&"after").unwrap()[..], br#""after""#);
    }

    #[test]
    fn a_long_body_is_whole_and_the_buffer_kept_stays_small() {
        let long = "x".repeat(3 * SCRATCH_KEPT);
        let body = to_json(&long).unwrap();
        assert_eq!(body.len(), long.len() + 2);
        assert!(SCRATCH.with(|scratch| scratch.borrow().capacity()) <= SCRATCH_KEPT);
        assert_eq!(&to_json(&"short").unwrap()[..], br#""short""#);
    }
}
