//! The server's side of authentication: the checks of `docs/wire-contract.md#signing-error-table` (rows 1 to 8),
//! in its order, and the environment checks of user-scope actions that follow them.

use std::fmt;
use std::sync::Arc;

use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue};

use super::clock::Clock;
use super::date;
use super::identity::Identity;
use super::keys::{DynKeyStore, KeyStoreError};
use super::rate_limit::{Minute, RateLimit, SharedRateCounter, WhenUncounted};
use super::signature::{DATE_HEADER, DEBUG_HEADER, KEY_ID_HEADER, SIGNATURE_HEADER, SIGNATURE_SCHEME, StringToSign};
use crate::envelope::EnvelopeContext;
use crate::error::{ApiError, ErrorCode};
use crate::extract::EnvId;
use crate::mount::client_uri;

/// Scalr's message for `docs/wire-contract.md#signing-row-8`, word for word.
const RATE_LIMIT_MESSAGE: &str = "The maximum request rate permitted by the Scalr APIs has been exceeded for your account. For best results, use an increasing or variable sleep interval between requests.";

/// The codes of the signature checks: a missing or unreadable date, a refused signature or key,
/// an inactive user, and a key store that failed.
pub(crate) const SIGNATURE_CODES: &[ErrorCode] = &[
    ErrorCode::BadRequest,
    ErrorCode::BadAuthentication,
    ErrorCode::PermissionViolation,
    ErrorCode::InternalServerError,
    ErrorCode::ServiceUnavailable,
];
/// The codes of the environment checks of user-scope actions.
pub(crate) const ENVIRONMENT_CODES: &[ErrorCode] = &[ErrorCode::ObjectNotFound, ErrorCode::PermissionViolation];
/// The codes of the rate limit: over it, and a counter that failed when requests it cannot
/// count are refused.
pub(crate) const RATE_LIMIT_CODES: &[ErrorCode] = &[ErrorCode::LimitExceeded, ErrorCode::ServiceUnavailable];

/// Verifies signed requests against a key store; one per router, shared by its actions.
pub(crate) struct Authenticator {
    keys: Arc<dyn DynKeyStore>,
    clock: Arc<dyn Clock>,
    rate_limit: Option<(RateLimit, Arc<dyn SharedRateCounter>)>,
}

impl Authenticator {
    pub(crate) fn new(
        keys: Arc<dyn DynKeyStore>,
        clock: Arc<dyn Clock>,
        rate_limit: Option<(RateLimit, Arc<dyn SharedRateCounter>)>,
    ) -> Self {
        Self { keys, clock, rate_limit }
    }

    /// Rows 1 to 8 of `docs/wire-contract.md#signing-error-table`, the first failure winning, over the path and query the client
    /// sent (with the prefix of a nesting router). With `X-Scalr-Debug: 1`, the string to sign
    /// goes into the request's envelope context as soon as the date is known, so that whatever
    /// envelope answers the request carries it.
    pub(crate) async fn authenticate(&self, parts: &mut Parts, body: &[u8]) -> Result<Identity, ApiError> {
        let context = EnvelopeContext::of(parts).clone();
        let uri = client_uri(&parts.extensions, &parts.uri);
        let headers = &parts.headers;
        let (Some(key_id), Some(signature)) = (present(headers, &KEY_ID_HEADER), present(headers, &SIGNATURE_HEADER))
        else {
            return Err(bad_authentication("Unsigned request"));
        };
        // A key id that is not text cannot name a key: it fails as an unknown one (`docs/wire-contract.md#signing-row-4`).
        let key_id = key_id.to_str().ok();
        let sent_date = headers.get(DATE_HEADER).and_then(|date| date.to_str().ok()).ok_or_else(invalid_date)?;
        let string_to_sign = StringToSign::new(parts.method.as_str(), sent_date, uri.path(), uri.query(), body);
        let debug = headers.get(DEBUG_HEADER).is_some_and(|value| value.as_bytes().trim_ascii() == b"1");
        if debug {
            context.set_string_to_sign(string_to_sign.to_string());
        }
        let signed_at = date::parse(string_to_sign.date()).ok_or_else(invalid_date)?;

        let (scheme, signature) = split_signature(signature.as_bytes());
        if scheme != SIGNATURE_SCHEME.as_bytes() {
            return Err(bad_authentication("Invalid signature"));
        }
        let key = match key_id {
            Some(key_id) => self.keys.key(key_id).await.map_err(store_failure)?,
            None => None,
        };
        let key = key.filter(|key| key.active).ok_or_else(|| bad_authentication("Invalid API Key"))?;
        let now = self.clock.now();
        if !date::is_fresh(signed_at, now) {
            return Err(bad_authentication(if debug {
                format!("Request is expired. Now is {}", date::format_now(now))
            } else {
                "Request is expired.".to_owned()
            }));
        }
        if !string_to_sign.verify(&key.secret, signature) {
            return Err(bad_authentication("Signature does not match"));
        }
        if !key.user.active {
            return Err(ApiError::new(ErrorCode::PermissionViolation, "Inactive user status"));
        }
        if let Some((limit, counter)) = &self.rate_limit {
            check_rate(*limit, counter.count(&key.id, Minute::of(now)).await)?;
        }
        Ok(Identity::new(key))
    }

    /// `docs/wire-contract.md#d6-an-unknown-environment-is-objectnotfound`: an environment that does not exist is `404 ObjectNotFound`, one the
    /// caller's user may not use `403 PermissionViolation`.
    pub(crate) async fn check_environment(&self, identity: &Identity, env_id: EnvId) -> Result<(), ApiError> {
        if !self.keys.environment_exists(env_id).await.map_err(store_failure)? {
            return Err(ApiError::new(ErrorCode::ObjectNotFound, "Invalid environment"));
        }
        if !identity.user().may_use(env_id) {
            return Err(ApiError::new(ErrorCode::PermissionViolation, "You don't have access to the environment."));
        }
        Ok(())
    }
}

/// Shows the settings, not the keys.
impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rate_limit = self.rate_limit.as_ref().map(|(limit, _)| limit);
        f.debug_struct("Authenticator").field("rate_limit", &rate_limit).finish_non_exhaustive()
    }
}

/// The header's value, unless it is missing or blank.
fn present<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Option<&'h HeaderValue> {
    headers.get(name).filter(|value| !value.as_bytes().trim_ascii().is_empty())
}

/// `V1-HMAC-SHA256 <signature>`, split on the first space into the scheme and the signature.
fn split_signature(value: &[u8]) -> (&[u8], &[u8]) {
    match value.iter().position(|byte| *byte == b' ') {
        Some(space) => (&value[..space], &value[space + 1..]),
        None => (value, &[]),
    }
}

fn bad_authentication(message: impl Into<std::borrow::Cow<'static, str>>) -> ApiError {
    ApiError::new(ErrorCode::BadAuthentication, message)
}

fn invalid_date() -> ApiError {
    ApiError::new(ErrorCode::BadRequest, "Missing or invalid X-Scalr-Date header")
}

/// The client learns only that the server failed, or is unavailable for now; the store's
/// error goes to the log.
fn store_failure(error: KeyStoreError) -> ApiError {
    if error.is_unavailable() {
        tracing::warn!(detail = %error, "the key store is unavailable");
        ApiError::new(ErrorCode::ServiceUnavailable, "The service is currently unavailable.")
    } else {
        ApiError::internal(error)
    }
}

/// `docs/wire-contract.md#rate-limit`: the 301st request of a minute is refused. A counter that
/// failed refuses or admits the request as the limit says, logged either way.
fn check_rate(limit: RateLimit, counted: Result<u64, super::rate_limit::RateCounterError>) -> Result<(), ApiError> {
    match counted {
        Ok(count) if count <= u64::from(limit.requests_per_minute()) => Ok(()),
        Ok(_) => Err(ApiError::new(ErrorCode::LimitExceeded, RATE_LIMIT_MESSAGE)),
        Err(error) => match limit.uncounted() {
            WhenUncounted::Admit => {
                tracing::warn!(detail = %error, "the rate counter failed; the request is admitted uncounted");
                Ok(())
            }
            _ => {
                tracing::error!(detail = %error, "the rate counter failed; the request is refused");
                Err(ApiError::new(ErrorCode::ServiceUnavailable, "The service is currently unavailable."))
            }
        },
    }
}
