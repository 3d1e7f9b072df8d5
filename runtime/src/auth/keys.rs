//! API keys and the store that holds them: what authentication looks up for a key id.

use std::collections::BTreeSet;
use std::error::Error;
use std::fmt;
use std::sync::Arc;

use serde::Deserialize;

use crate::extract::EnvId;

/// The secret half of an API key: the HMAC key requests are signed with.
///
/// It has no `Display` and its `Debug` prints `Secret(<redacted>)`, so it cannot reach a log line
/// or a response by accident; its text comes out only through [`Secret::expose_text`], for a
/// key store that persists keys.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(Box<str>);

impl Secret {
    /// A secret from its text (HMAC uses the text's UTF-8 bytes).
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into().into_boxed_str())
    }

    /// Whether the text is empty, which no store should accept.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The secret's text, for a key store that keeps keys (a database must give the text back to
    /// verify signatures with it). Never log it or send it in a response.
    pub fn expose_text(&self) -> &str {
        &self.0
    }

    /// The HMAC key.
    pub(crate) fn expose(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The user an API key belongs to: what the key may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The user's id, e.g. an email address; for logs and handlers.
    pub id: String,
    /// An inactive user's keys are refused with `403 PermissionViolation "Inactive user status"`.
    pub active: bool,
    /// The environments the user may use; any other gets `403 PermissionViolation`.
    pub environments: BTreeSet<EnvId>,
    /// The permissions the user holds, e.g. `images:manage`, checked against an action's
    /// `permission`.
    pub permissions: BTreeSet<String>,
}

impl User {
    /// Whether the user may use environment `env_id`.
    pub fn may_use(&self, env_id: EnvId) -> bool {
        self.environments.contains(&env_id)
    }

    /// Whether the user holds `permission`.
    pub fn has_permission(&self, permission: &str) -> bool {
        self.permissions.contains(permission)
    }
}

/// An API key: its id (sent as `X-Scalr-Key-Id`), its secret, and its user.
#[derive(Debug, Clone)]
pub struct ApiKey {
    /// The key id.
    pub id: String,
    /// The secret requests are signed with.
    pub secret: Secret,
    /// An inactive key is refused like an unknown one: `401 BadAuthentication "Invalid API Key"`.
    pub active: bool,
    /// The key's user.
    pub user: User,
}

/// Where authentication finds API keys and environments.
///
/// Synchronous on purpose: lookups are quick (a map, or one indexed query of an embedded
/// database) and run once per request. An implementation returns `Err` when it cannot answer
/// (a database error, say): the client gets `500 InternalServerError "Server Error"` and the
/// error goes to the log, never to the client.
pub trait KeyStore: Send + Sync {
    /// The key `key_id` with its user, or `None` when there is no such key.
    fn key(&self, key_id: &str) -> Result<Option<Arc<ApiKey>>, KeyStoreError>;

    /// Whether environment `env_id` exists (whoever may use it).
    fn environment_exists(&self, env_id: EnvId) -> Result<bool, KeyStoreError>;
}

impl<K: KeyStore + ?Sized> KeyStore for Arc<K> {
    fn key(&self, key_id: &str) -> Result<Option<Arc<ApiKey>>, KeyStoreError> {
        (**self).key(key_id)
    }

    fn environment_exists(&self, env_id: EnvId) -> Result<bool, KeyStoreError> {
        (**self).environment_exists(env_id)
    }
}

/// A [`KeyStore`] that could not answer. Its message is logged, so it must not contain secrets.
#[derive(Debug)]
pub struct KeyStoreError(Box<dyn Error + Send + Sync>);

impl KeyStoreError {
    /// Wraps the store's own error (or a message).
    pub fn new(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self(source.into())
    }
}

impl fmt::Display for KeyStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the key store failed: {}", self.0)
    }
}

impl Error for KeyStoreError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_output() {
        let key = ApiKey {
            id: "APIKTEST".to_owned(),
            secret: Secret::new("hunter2-very-secret"),
            active: true,
            user: User {
                id: "alice".to_owned(),
                active: true,
                environments: BTreeSet::new(),
                permissions: BTreeSet::new(),
            },
        };
        let printed = format!("{key:?} {:#?}", key.secret);
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("APIKTEST") && printed.contains("Secret(<redacted>)"), "{printed}");
        assert_eq!(key.secret.expose_text(), "hunter2-very-secret", "a key store can still keep it");
    }

    #[test]
    fn store_errors_say_where_they_come_from() {
        let error = KeyStoreError::new("database is locked");
        assert_eq!(error.to_string(), "the key store failed: database is locked");
        assert_eq!(error.source().map(ToString::to_string).as_deref(), Some("database is locked"));
    }
}
