//! The router's outermost layer: it gives each request its id and tracing span, and makes sure
//! that every error leaving the router is a Scalr envelope, whoever produced it.

use std::any::Any;
use std::convert::Infallible;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt as _;
use http_body_util::BodyExt;
use tower::{Layer, Service};
use tracing::Instrument;

use crate::auth::KEY_ID_HEADER;
use crate::envelope::{EnvelopeContext, PendingError, error_body};
use crate::error::{ApiError, ErrorCode};
use crate::mount::client_uri;

/// The response header that carries `meta.requestId`.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// How much of a foreign error body is read to become the envelope's message.
const FOREIGN_BODY_LIMIT: usize = 4096;

/// Wraps a router so that every request gets a [`RequestId`](crate::RequestId), and every error,
/// a panic below the layer included, an envelope.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvelopeLayer;

impl<S> Layer<S> for EnvelopeLayer {
    type Service = EnvelopeService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        EnvelopeService { inner }
    }
}

/// The service of [`EnvelopeLayer`].
#[derive(Debug, Clone)]
pub struct EnvelopeService<S> {
    inner: S,
}

/// The inner service may answer with any body, so that layers inside the envelope can sit in one
/// stack with it: each layer applied to the router on its own boxes every route once more, at a
/// cost on every request.
impl<S, B> Service<Request> for EnvelopeService<S>
where
    S: Service<Request, Response = axum::http::Response<B>, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    /// Logs one `request finished` line per request, in a span that carries the request id, the
    /// method, the path the client sent and the key id the request is signed with (`-` when
    /// unsigned); the line adds the status and the latency in microseconds.
    ///
    /// A handler that panics, while its future is made or while it runs, is answered
    /// `500 InternalServerError` (`panic_response`), and the connection goes on serving. The
    /// panic is caught here rather than by a layer of its own, which would box every response
    /// body once more.
    ///
    /// A request that already crossed an envelope layer (the layer applied twice, or an API
    /// router nested in another) passes through: the outer layer alone writes its envelope.
    fn call(&mut self, mut request: Request) -> Self::Future {
        if request.extensions().get::<EnvelopeContext>().is_some() {
            let response = self.inner.call(request);
            return Box::pin(async move {
                let Ok(response) = response.await;
                Ok(response.map(axum::body::Body::new))
            });
        }
        let context = EnvelopeContext::default();
        request.extensions_mut().insert(context.clone());
        let span = tracing::info_span!(
            "request",
            request_id = %context.request_id(),
            method = %request.method(),
            path = %client_uri(request.extensions(), request.uri()).path(),
            key_id = %claimed_key_id(request.headers()),
        );
        let started = Instant::now();
        // Unwinding leaves nothing half-changed that is used again: the request is gone, and the
        // services are shared only through their clones.
        let response = panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(request)));
        Box::pin(
            async move {
                let answered = match response {
                    Ok(response) => AssertUnwindSafe(response).catch_unwind().await,
                    Err(panic) => Err(panic),
                };
                // A body of axum's own type is not boxed again.
                let response = match answered {
                    Ok(Ok(response)) => response.map(axum::body::Body::new),
                    Err(panic) => panic_response(panic),
                };
                let response = finish(response, &context).await;
                tracing::info!(
                    status = response.status().as_u16(),
                    latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
                    "request finished"
                );
                Ok(response)
            }
            .instrument(span),
        )
    }
}

/// The longest key id the log shows whole; Scalr's are 20 characters. A longer one is cut and
/// marked, so that a client cannot grow the log by the size of its headers.
const LOGGED_KEY_ID_LIMIT: usize = 64;

/// The key id a request names, for the log: known before any check, so that a refused request
/// says which key it claimed. Header values that are text hold no control characters.
fn claimed_key_id(headers: &HeaderMap) -> ClaimedKeyId<'_> {
    let key_id = headers
        .get(KEY_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|key_id| !key_id.is_empty())
        .unwrap_or("-");
    ClaimedKeyId(key_id)
}

/// A claimed key id as the log writes it: whole up to [`LOGGED_KEY_ID_LIMIT`] bytes, else its
/// start, `…`, and the length it had.
struct ClaimedKeyId<'a>(&'a str);

impl std::fmt::Display for ClaimedKeyId<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header text is visible ASCII, so any byte index is a character boundary.
        match self.0.get(..LOGGED_KEY_ID_LIMIT) {
            Some(start) if start.len() < self.0.len() => write!(f, "{start}…({} bytes)", self.0.len()),
            _ => f.write_str(self.0),
        }
    }
}

/// Adds the request id header, and renders any error that is not an envelope yet, with what
/// the request's context gathered. An error's own body is dropped unread, but for a foreign
/// error's text.
async fn finish(mut response: Response, context: &EnvelopeContext) -> Response {
    let status = response.status();
    let mut response = if status.is_client_error() || status.is_server_error() {
        match response.extensions_mut().remove::<PendingError>() {
            Some(PendingError(error)) => error_body(&error, context),
            // Reading a foreign error's text is rare, and its future is the largest part of this
            // one: boxed, it leaves every other request a future half the size.
            None if keeps_foreign_message(status) => Box::pin(envelope_foreign_error(response, context)).await,
            // The statuses whose envelope has a fixed message (an unknown route's 404 above all)
            // are answered without reading the body.
            None => foreign_envelope(response.into_parts().0, String::new(), context),
        }
    } else {
        response
    };
    response.headers_mut().insert(REQUEST_ID_HEADER, context.request_id().header_value());
    response
}

/// Turns an error response that something other than this crate produced (an axum rejection,
/// a tower layer) into an envelope with the text of its body as the message.
async fn envelope_foreign_error(response: Response, context: &EnvelopeContext) -> Response {
    let (parts, body) = response.into_parts();
    let text = match http_body_util::Limited::new(body, FOREIGN_BODY_LIMIT).collect().await {
        Ok(collected) => String::from_utf8_lossy(&collected.to_bytes()).trim().to_owned(),
        Err(_) => String::new(),
    };
    foreign_envelope(parts, text, context)
}

/// The envelope of a foreign error response with the head `parts` and the body text `text`,
/// keeping its headers but for the body's.
fn foreign_envelope(parts: axum::http::response::Parts, text: String, context: &EnvelopeContext) -> Response {
    let error = foreign_error(parts.status, text);
    let mut enveloped = error_body(&error, context);
    if parts.headers.is_empty() {
        return enveloped;
    }
    let mut headers = parts.headers;
    for name in [header::CONTENT_LENGTH, header::TRANSFER_ENCODING, header::ALLOW, header::CONTENT_ENCODING] {
        headers.remove(name);
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    *enveloped.headers_mut() = headers;
    enveloped
}

/// Whether [`foreign_error`] puts the foreign body's text into the envelope for `status`.
fn keeps_foreign_message(status: StatusCode) -> bool {
    !matches!(status.as_u16(), 404 | 405 | 408 | 413 | 415 | 501 | 503)
}

/// The Scalr error for a foreign error response. The code decides the status (`docs/wire-contract.md#d3-one-status-per-code`), so
/// a 405 becomes `404 EndpointNotFound` and a 422 `400 InvalidValue`; server errors never show
/// their body.
fn foreign_error(status: StatusCode, text: String) -> ApiError {
    let message = |fallback: &'static str| if text.is_empty() { fallback.to_owned() } else { text.clone() };
    match status.as_u16() {
        404 | 405 => ApiError::endpoint_not_found(),
        401 => ApiError::new(ErrorCode::BadAuthentication, message("The request was not authenticated.")),
        403 => ApiError::new(ErrorCode::PermissionViolation, message("Insufficient Permissions")),
        // tower-http's `TimeoutLayer` answers 408: the server gave up on the request.
        408 => ApiError::new(ErrorCode::ServiceUnavailable, "The request timed out."),
        409 => ApiError::new(ErrorCode::UnacceptableState, message("Conflict with current state.")),
        413 => crate::extract::body_too_large(),
        415 => ApiError::new(ErrorCode::BadRequest, "Invalid Content-Type"),
        422 => ApiError::new(ErrorCode::InvalidValue, message("A value in the request is not acceptable.")),
        429 => ApiError::new(ErrorCode::LimitExceeded, message("Too many requests.")),
        501 => ApiError::new(ErrorCode::NotImplemented, "This feature is not implemented."),
        503 => ApiError::new(ErrorCode::ServiceUnavailable, "The service is currently unavailable."),
        code if code >= 500 => {
            tracing::error!(status = code, body = %text, "server error from a layer or handler");
            ApiError::new(ErrorCode::InternalServerError, crate::error::SERVER_ERROR_MESSAGE)
        }
        _ => ApiError::new(ErrorCode::BadRequest, message("The request was not understood.")),
    }
}

/// The response for a handler that panicked: `500 InternalServerError "Server Error"`, with the
/// panic's message in the log only.
fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    ApiError::internal(format_args!("handler panicked: {detail}")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_statuses_map_to_one_code_each() {
        let code = |status: u16, text: &str| {
            let error = foreign_error(StatusCode::from_u16(status).unwrap(), text.to_owned());
            (error.code(), error.message().to_owned())
        };
        assert_eq!(code(405, "").0, ErrorCode::EndpointNotFound);
        assert_eq!(code(415, "Expected json").1, "Invalid Content-Type");
        assert_eq!(code(422, "bad field"), (ErrorCode::InvalidValue, "bad field".to_owned()));
        assert_eq!(code(500, "secret detail"), (ErrorCode::InternalServerError, "Server Error".to_owned()));
        assert_eq!(code(418, "").0, ErrorCode::BadRequest);
    }

    #[test]
    fn the_body_is_read_only_where_its_text_is_kept() {
        for status in 400..600 {
            let status = StatusCode::from_u16(status).unwrap();
            let kept = foreign_error(status, "the foreign text".to_owned()).message() == "the foreign text";
            if kept {
                assert!(keeps_foreign_message(status), "{status}");
            }
        }
        assert!(!keeps_foreign_message(StatusCode::NOT_FOUND));
    }

    #[test]
    fn the_log_names_the_key_id_a_request_claims() {
        let mut headers = HeaderMap::new();
        assert_eq!(claimed_key_id(&headers).to_string(), "-");
        headers.insert(KEY_ID_HEADER, HeaderValue::from_static(" "));
        assert_eq!(claimed_key_id(&headers).to_string(), "-");
        headers.insert(KEY_ID_HEADER, HeaderValue::from_static("APIKALICE"));
        assert_eq!(claimed_key_id(&headers).to_string(), "APIKALICE");
    }

    #[test]
    fn a_long_key_id_is_cut_in_the_log() {
        let mut headers = HeaderMap::new();
        let exact = "K".repeat(LOGGED_KEY_ID_LIMIT);
        headers.insert(KEY_ID_HEADER, HeaderValue::from_str(&exact).unwrap());
        assert_eq!(claimed_key_id(&headers).to_string(), exact);
        let huge = "K".repeat(300 * 1024);
        headers.insert(KEY_ID_HEADER, HeaderValue::from_str(&huge).unwrap());
        let logged = claimed_key_id(&headers).to_string();
        assert_eq!(logged, format!("{exact}…(307200 bytes)"));
    }

    #[test]
    fn request_ids_are_header_values() {
        let id = crate::extract::RequestId::new();
        assert_eq!(id.header_value(), HeaderValue::from_str(&id.to_string()).unwrap());
    }
}
