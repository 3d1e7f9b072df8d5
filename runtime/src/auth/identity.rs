//! [`Identity`]: who signed a request, for handlers.

use std::fmt;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::keys::{ApiKey, User};
use crate::error::{ApiError, ErrorCode};

/// The code of an action's declared `permission`, checked with [`Identity::require`].
pub(crate) const PERMISSION_CODES: &[ErrorCode] = &[ErrorCode::PermissionViolation];

/// The caller of an authenticated request: the API key it was signed with and the key's user.
///
/// An extractor: an action that takes `identity: Identity` learns who calls it, e.g. to check a
/// permission that depends on the request with [`Identity::require`]. It exists only when the
/// API authenticates ([`ScalrApi::authenticate`](crate::ScalrApi::authenticate)); without a key
/// store, extracting it is a mistake in the program, answered `500 InternalServerError`.
#[derive(Clone)]
pub struct Identity(Arc<ApiKey>);

impl Identity {
    pub(crate) fn new(key: Arc<ApiKey>) -> Self {
        Self(key)
    }

    /// The id of the API key the request was signed with.
    pub fn key_id(&self) -> &str {
        &self.0.id
    }

    /// The key's user.
    pub fn user(&self) -> &User {
        &self.0.user
    }

    /// `403 PermissionViolation "Insufficient Permissions"` unless the user holds `permission`.
    /// The framework calls it for an action's declared `permission`; handlers may call it for
    /// permissions that depend on the request.
    pub fn require(&self, permission: &str) -> Result<(), ApiError> {
        if self.user().has_permission(permission) {
            Ok(())
        } else {
            Err(ApiError::new(ErrorCode::PermissionViolation, "Insufficient Permissions"))
        }
    }
}

/// Shows the key id and the user, never the secret.
impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity").field("key_id", &self.key_id()).field("user", self.user()).finish()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Identity {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Identity>().cloned().ok_or_else(|| {
            ApiError::internal("an action takes `Identity` but its API has no key store: call `ScalrApi::authenticate`")
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::auth::Secret;
    use crate::extract::EnvId;

    fn identity(permissions: &[&str]) -> Identity {
        Identity::new(Arc::new(ApiKey {
            id: "APIKALICE".to_owned(),
            secret: Secret::new("hunter2-very-secret"),
            active: true,
            user: User {
                id: "alice".to_owned(),
                active: true,
                environments: BTreeSet::from([EnvId::new(1).unwrap()]),
                permissions: permissions.iter().map(|permission| (*permission).to_owned()).collect(),
            },
        }))
    }

    #[test]
    fn debug_output_shows_the_key_id_and_user_but_not_the_secret() {
        let printed = format!("{:?}", identity(&[]));
        assert!(printed.starts_with("Identity { key_id: \"APIKALICE\", user: User { id: \"alice\""), "{printed}");
        assert!(!printed.contains("hunter2") && !printed.contains("Secret"), "{printed}");
    }

    #[test]
    fn a_permission_is_required_by_name() {
        assert_eq!(identity(&["images:manage"]).require("images:manage"), Ok(()));
        let refused = identity(&["images:read"]).require("images:manage").unwrap_err();
        assert_eq!((refused.code(), refused.message()), (ErrorCode::PermissionViolation, "Insufficient Permissions"));
    }
}
