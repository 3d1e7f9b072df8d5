//! The `{data, errors, meta, warnings}` envelope (`docs/wire-contract.md#d2-every-envelope-key-always-present`): the context one request gathers for it, and the
//! serialisation of success, list and error bodies.

use std::cell::Cell;
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

    /// Writes `"meta":{...}`: the request id, and `stringToSign` when the client asked for it.
    fn write_meta(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.extend_from_slice(br#""meta":{"requestId":""#);
        self.request_id().write_to(out);
        out.push(b'"');
        if let Some(text) = self.string_to_sign() {
            out.extend_from_slice(br#","stringToSign":"#);
            write_json_str(out, text)?;
        }
        out.push(b'}');
        Ok(())
    }

    /// Writes `"warnings":[...]` and closes the envelope.
    fn write_warnings_and_close(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.extend_from_slice(br#""warnings":"#);
        let warnings = self.state.warnings.lock().unwrap_or_else(PoisonError::into_inner);
        serde_json::to_writer(&mut *out, &*warnings)?;
        out.push(b'}');
        Ok(())
    }
}

// The envelopes are written member by member, in the order
// `docs/wire-contract.md#d2-every-envelope-key-always-present` lists them: data, errors, meta,
// pagination (lists only), warnings. The keys, the punctuation, an error's code and the request
// id are plain ASCII that JSON never escapes, so they are copied as they are; every other value
// (the data, messages, the string to sign, warnings, pagination) is serialised by serde_json.
// Going through a derived `Serialize` for the envelope itself cost the unknown route's 404
// about 2,400 of its 23,000 instructions; the tests compare both writings byte for byte.

/// `{"data": data, "errors": [], "meta": ..., "warnings": [...]}` with the given status.
pub(crate) fn data_response<T: Serialize>(status: StatusCode, data: T, context: &EnvelopeContext) -> Response {
    serialized(status, |out| {
        out.extend_from_slice(br#"{"data":"#);
        serde_json::to_writer(&mut *out, &data)?;
        out.extend_from_slice(br#","errors":[],"#);
        context.write_meta(out)?;
        out.push(b',');
        context.write_warnings_and_close(out)
    })
}

/// A list envelope: as [`data_response`] plus the top-level `pagination`.
pub(crate) fn list_response<T: Serialize>(
    status: StatusCode,
    data: T,
    pagination: &Pagination,
    context: &EnvelopeContext,
) -> Response {
    serialized(status, |out| {
        out.extend_from_slice(br#"{"data":"#);
        serde_json::to_writer(&mut *out, &data)?;
        out.extend_from_slice(br#","errors":[],"#);
        context.write_meta(out)?;
        out.extend_from_slice(br#","pagination":"#);
        serde_json::to_writer(&mut *out, pagination)?;
        out.push(b',');
        context.write_warnings_and_close(out)
    })
}

fn serialized(status: StatusCode, write: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>) -> Response {
    match to_json(write) {
        Ok(body) => json_response(status, body),
        Err(failure) => {
            ApiError::internal(format_args!("the response could not be serialised: {failure}")).into_response()
        }
    }
}

/// The error envelope for `error`; the status is the code's.
pub(crate) fn error_body(error: &ApiError, context: &EnvelopeContext) -> Response {
    let body = to_json(|out| {
        out.extend_from_slice(br#"{"errors":[{"code":""#);
        out.extend_from_slice(error.code().as_str().as_bytes());
        out.extend_from_slice(br#"","message":"#);
        write_json_str(out, error.message())?;
        out.extend_from_slice(b"}],");
        context.write_meta(out)?;
        out.push(b',');
        context.write_warnings_and_close(out)
    })
    .expect("an error envelope always serialises");
    json_response(error.status(), body)
}

/// Writes `text` as a JSON string, as serde_json would. Text with nothing to escape (every fixed
/// message) is copied whole after one pass over it that has no early exit, so that the compiler
/// can check many bytes at a time; serde_json's writer looks each byte up in a table.
fn write_json_str(out: &mut Vec<u8>, text: &str) -> serde_json::Result<()> {
    let plain = text.bytes().fold(true, |plain, byte| plain & (byte >= 0x20) & (byte != b'"') & (byte != b'\\'));
    if !plain {
        return serde_json::to_writer(&mut *out, text);
    }
    out.reserve(text.len() + 2);
    out.push(b'"');
    out.extend_from_slice(text.as_bytes());
    out.push(b'"');
    Ok(())
}

/// The bytes of an envelope, as `write_envelope` writes them. They are written into a buffer
/// this thread keeps for the purpose and copied out at their exact length: the body then costs
/// one allocation, where a buffer grown in place costs its own and one more when the body takes
/// it over at a length below its capacity.
fn to_json(write_envelope: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>) -> serde_json::Result<Bytes> {
    // The buffer is taken out while in use: a `Serialize` impl that writes an envelope of its own
    // finds none there and gets a new one.
    let mut buffer = SCRATCH.try_with(Cell::take).unwrap_or_default();
    buffer.clear();
    let written = write_envelope(&mut buffer).map(|()| Bytes::copy_from_slice(&buffer));
    // A long list leaves a large buffer behind; keep no more than a typical envelope needs.
    if buffer.capacity() <= SCRATCH_KEPT {
        // A thread being torn down keeps nothing.
        let _ = SCRATCH.try_with(|scratch| scratch.set(buffer));
    }
    written
}

thread_local! {
    /// The buffer [`to_json`] writes into.
    static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
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

    use crate::error::ErrorCode;
    use proptest::prelude::*;

    /// A value whose serialisation writes an envelope of its own, as a `Serialize` impl may.
    struct WritesAnEnvelope;

    impl Serialize for WritesAnEnvelope {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let inner = to_json(|out| serde_json::to_writer(out, &serde_json::json!({"inner": true})))
                .map_err(serde::ser::Error::custom)?;
            serializer.serialize_str(std::str::from_utf8(&inner).map_err(serde::ser::Error::custom)?)
        }
    }

    fn json_of(value: &impl Serialize) -> Bytes {
        to_json(|out| serde_json::to_writer(out, value)).unwrap()
    }

    #[test]
    fn an_envelope_written_while_another_is_gets_a_buffer_of_its_own() {
        assert_eq!(&json_of(&serde_json::json!({"before": 1}))[..], br#"{"before":1}"#);
        assert_eq!(&json_of(&[WritesAnEnvelope])[..], br#"["{\"inner\":true}"]"#);
        // The thread's buffer is back afterwards, and holds nothing of the last body.
        assert_eq!(&json_of(&"after")[..], br#""after""#);
        assert!(SCRATCH.with(|scratch| {
            let buffer = scratch.take();
            let kept = buffer.capacity() > 0;
            scratch.set(buffer);
            kept
        }));
    }

    #[test]
    fn a_long_body_is_whole_and_the_buffer_kept_stays_small() {
        let long = "x".repeat(3 * SCRATCH_KEPT);
        assert_eq!(json_of(&long).len(), long.len() + 2);
        assert!(SCRATCH.with(|scratch| {
            let buffer = scratch.take();
            let capacity = buffer.capacity();
            scratch.set(buffer);
            capacity <= SCRATCH_KEPT
        }));
        assert_eq!(&json_of(&"short")[..], br#""short""#);
    }

    /// The envelopes as a derived `Serialize` writes them, which the member-by-member writing
    /// must match byte for byte.
    mod derived {
        use super::*;

        #[derive(Serialize)]
        pub(super) struct Meta<'a> {
            #[serde(rename = "requestId")]
            pub(super) request_id: RequestId,
            #[serde(rename = "stringToSign", skip_serializing_if = "Option::is_none")]
            pub(super) string_to_sign: Option<&'a str>,
        }

        #[derive(Serialize)]
        pub(super) struct Data<'a, T> {
            pub(super) data: T,
            pub(super) errors: [(); 0],
            pub(super) meta: Meta<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            pub(super) pagination: Option<&'a Pagination>,
            pub(super) warnings: Vec<Warning>,
        }

        #[derive(Serialize)]
        pub(super) struct Error<'a> {
            pub(super) errors: [&'a ApiError; 1],
            pub(super) meta: Meta<'a>,
            pub(super) warnings: Vec<Warning>,
        }
    }

    fn context_with(string_to_sign: &Option<String>, warnings: &[(String, String)]) -> EnvelopeContext {
        let context = EnvelopeContext::default();
        if let Some(text) = string_to_sign {
            context.set_string_to_sign(text.as_str());
        }
        for (code, message) in warnings {
            context.add_warning(Warning { code: code.clone().into(), message: message.clone().into() });
        }
        context
    }

    fn derived_meta(context: &EnvelopeContext) -> derived::Meta<'_> {
        derived::Meta { request_id: context.request_id(), string_to_sign: context.string_to_sign() }
    }

    /// The bytes of a response body that is already whole.
    fn body_of(response: Response) -> Vec<u8> {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async { axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec() })
    }

    /// Text with what JSON must escape: quotes, backslashes, control characters, and beyond ASCII.
    fn text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("([a-zA-Z0-9 ./:-]|\\\\|\"|[\\x00-\\x1f]|\u{7f}|é|\u{2028}|😀){0,24}").unwrap()
    }

    proptest! {
        #[test]
        fn strings_are_written_as_serde_json_writes_them(plain in "[ -~]{0,80}", any_text in any::<String>()) {
            for text in [&plain, &any_text] {
                let mut written = Vec::new();
                write_json_str(&mut written, text).unwrap();
                prop_assert_eq!(written, serde_json::to_vec(text).unwrap());
            }
        }

        #[test]
        fn error_envelopes_are_what_a_derived_serialize_writes(
            code in proptest::sample::select(ErrorCode::ALL),
            message in text(),
            string_to_sign in proptest::option::of(text()),
            warnings in proptest::collection::vec((text(), text()), 0..3),
        ) {
            let context = context_with(&string_to_sign, &warnings);
            let error = ApiError::new(code, message);
            let expected = serde_json::to_vec(&derived::Error {
                errors: [&error],
                meta: derived_meta(&context),
                warnings: context.warnings(),
            }).unwrap();
            let response = error_body(&error, &context);
            prop_assert_eq!(response.status(), code.status());
            prop_assert_eq!(String::from_utf8(body_of(response)).unwrap(), String::from_utf8(expected).unwrap());
        }

        #[test]
        fn data_and_list_envelopes_are_what_a_derived_serialize_writes(
            data in proptest::collection::btree_map(text(), proptest::option::of(text()), 0..3),
            string_to_sign in proptest::option::of(text()),
            warnings in proptest::collection::vec((text(), text()), 0..3),
            links in proptest::collection::vec(proptest::option::of(text()), 4),
        ) {
            let context = context_with(&string_to_sign, &warnings);
            let expected = serde_json::to_vec(&derived::Data {
                data: &data,
                errors: [],
                meta: derived_meta(&context),
                pagination: None,
                warnings: context.warnings(),
            }).unwrap();
            let written = body_of(data_response(StatusCode::CREATED, &data, &context));
            prop_assert_eq!(String::from_utf8(written).unwrap(), String::from_utf8(expected).unwrap());

            let pagination = Pagination {
                first: links[0].clone(),
                last: links[1].clone(),
                prev: links[2].clone(),
                next: links[3].clone(),
            };
            let expected = serde_json::to_vec(&derived::Data {
                data: [&data],
                errors: [],
                meta: derived_meta(&context),
                pagination: Some(&pagination),
                warnings: context.warnings(),
            }).unwrap();
            let written = body_of(list_response(StatusCode::OK, [&data], &pagination, &context));
            prop_assert_eq!(String::from_utf8(written).unwrap(), String::from_utf8(expected).unwrap());
        }
    }
}
