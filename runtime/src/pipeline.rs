//! The framework's side of every request to an action: the checks that run before the handler,
//! in the order of `docs/wire-contract.md#order-of-checks`, and the reply that wraps what the handler returns.

use axum::body::Bytes;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::action::{ActionMeta, Scope};
use crate::auth::Authenticator;
use crate::envelope::{EnvelopeContext, PendingError};
use crate::error::{ApiError, ErrorCode};
use crate::extract::Paging;
use crate::extract::{EnvId, PathValues};
use crate::mount::client_uri;
use crate::query::QueryParams;
use crate::response::ActionOutput;

/// The default limit on request bodies: Scalr's bodies are small JSON objects.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// The codes [`Pipeline::admit`]'s own checks raise, on every action: a body over the limit or
/// unreadable, a body that is not JSON, an environment id that is not a positive integer, and
/// paging parameters out of range.
pub(crate) const ADMISSION_CODES: &[ErrorCode] =
    &[ErrorCode::PayloadTooLarge, ErrorCode::InvalidStructure, ErrorCode::BadRequest, ErrorCode::InvalidValue];

/// Settings shared by every action of one router, and the checks they drive.
#[derive(Debug)]
pub struct Pipeline {
    body_limit: usize,
    authenticator: Option<Authenticator>,
}

impl Default for Pipeline {
    fn default() -> Self {
        Self { body_limit: DEFAULT_BODY_LIMIT, authenticator: None }
    }
}

impl Pipeline {
    pub(crate) fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    pub(crate) fn with_authenticator(mut self, authenticator: Authenticator) -> Self {
        self.authenticator = Some(authenticator);
        self
    }

    /// Runs the checks that come after routing and before the handler, in the order of
    /// `docs/wire-contract.md#order-of-checks`: the body is read (up to the limit); the request is authenticated (when the API
    /// has a key store); its Content-Type is checked; for user scope the environment id is
    /// validated and then, when authenticated, the environment is checked; the paging
    /// parameters are validated; and the action's declared permission is checked. The caller's
    /// [`Identity`](crate::auth::Identity) goes into the request's extensions for handlers.
    pub async fn admit(
        &self,
        parts: &mut Parts,
        body: axum::body::Body,
        path: &PathValues,
        meta: &'static ActionMeta,
    ) -> Result<Admitted, Response> {
        match self.check(parts, body, path, meta).await {
            Ok((body, env_id)) => Ok(Admitted { body, env_id }),
            Err(error) => Err(PendingError(error).into_response()),
        }
    }

    /// The checks of [`Pipeline::admit`]; the first failure wins.
    async fn check(
        &self,
        parts: &mut Parts,
        body: axum::body::Body,
        path: &PathValues,
        meta: &'static ActionMeta,
    ) -> Result<(Bytes, Option<EnvId>), ApiError> {
        let body = self.read_body(&parts.headers, body).await?;
        let caller = match &self.authenticator {
            Some(authenticator) => Some((authenticator, authenticator.authenticate(parts, &body).await?)),
            None => None,
        };
        check_content_type(&parts.headers, &body)?;
        let env_id = match meta.scope {
            Scope::User => {
                let env_id = EnvId::from_segment(path.segment(0))?;
                if let Some((authenticator, identity)) = &caller {
                    authenticator.check_environment(identity, env_id).await?;
                }
                Some(env_id)
            }
            Scope::Account | Scope::Global => None,
        };
        Paging::from_query(&QueryParams::parse(parts.uri.query()))?;
        if let Some((_, identity)) = caller {
            if let Some(permission) = meta.permission {
                identity.require(permission)?;
            }
            parts.extensions.insert(identity);
        }
        Ok((body, env_id))
    }

    async fn read_body(&self, headers: &HeaderMap, body: axum::body::Body) -> Result<Bytes, ApiError> {
        let declared = headers.get(header::CONTENT_LENGTH).and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|length| length > self.body_limit as u64) {
            return Err(crate::extract::body_too_large());
        }
        match Limited::new(body, self.body_limit).collect().await {
            Ok(collected) => Ok(collected.to_bytes()),
            Err(failure) if failure.is::<LengthLimitError>() => Err(crate::extract::body_too_large()),
            #[cfg(feature = "serve")]
            Err(failure) if came_too_slowly(&*failure) => Err(ApiError::new(
                ErrorCode::InvalidStructure,
                "Invalid body: the request body was not received in time.",
            )),
            Err(_) => {
                Err(ApiError::new(ErrorCode::InvalidStructure, "Invalid body: the request body could not be read."))
            }
        }
    }
}

/// Whether a body read failed because the body missed the server's body deadline
/// ([`ServeOptions::body_read_timeout`](crate::ServeOptions::body_read_timeout)); the timeout
/// sits somewhere in the chain of errors the body layers wrap it in.
#[cfg(feature = "serve")]
fn came_too_slowly(failure: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(failure), |error| error.source())
        .any(|error| error.is::<tower_http::timeout::TimeoutError>())
}

/// `docs/wire-contract.md#signing-row-9`: a non-empty body must be declared `application/json`.
fn check_content_type(headers: &HeaderMap, body: &[u8]) -> Result<(), ApiError> {
    if body.is_empty() {
        return Ok(());
    }
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().trim());
    match media_type {
        Some(media_type) if media_type.eq_ignore_ascii_case("application/json") => Ok(()),
        _ => Err(ApiError::new(ErrorCode::BadRequest, "Invalid Content-Type")),
    }
}

/// A request that passed the framework's checks: its body and environment, ready for the
/// handler's own extractors.
#[derive(Debug)]
pub struct Admitted {
    body: Bytes,
    env_id: Option<EnvId>,
}

impl Admitted {
    /// The scope's environment id. Only user-scope actions bind `env_id`, and for them
    /// [`Pipeline::admit`] has always set it.
    pub fn env_id(&self) -> EnvId {
        self.env_id.expect("`env_id` is bound only in user-scope actions")
    }

    /// The request body as received.
    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    /// The reply for this request, to be made once the handler returned.
    pub fn reply<'a>(&'a self, parts: &'a Parts) -> Reply<'a> {
        Reply { parts }
    }
}

/// Turns what a handler returned into the response envelope. It borrows the request's head
/// rather than copying from it: the envelope's context (request id, warnings, debug string to
/// sign) and, for lists, the path and query the pagination links are made of.
#[derive(Debug)]
pub struct Reply<'a> {
    parts: &'a Parts,
}

impl Reply<'_> {
    /// The response for a handler's output, with `status` on success.
    pub fn finish<O: ActionOutput>(self, output: O, status: u16) -> Response {
        output.into_response(self, StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
    }

    /// The response for an error.
    pub fn reject(self, error: ApiError) -> Response {
        PendingError(error).into_response()
    }

    /// The request's URI as the client sent it, for pagination links.
    pub(crate) fn uri(&self) -> &Uri {
        client_uri(&self.parts.extensions, &self.parts.uri)
    }

    /// The request's envelope context (a detached one if the request never crossed the outer
    /// layer, which only a handler driven without the router does).
    pub(crate) fn context(&self) -> EnvelopeContext {
        self.parts.extensions.get::<EnvelopeContext>().cloned().unwrap_or_default()
    }
}
