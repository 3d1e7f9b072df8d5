//! API keys and the store that holds them: what authentication looks up for a key id.

use std::collections::BTreeSet;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
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
/// Lookups are async, so a store can query a shared database on every request (keys revoked
/// there stop working at once on every instance) or keep a cache of its own. Implement it with
/// `async fn`:
///
/// ```ignore
/// impl KeyStore for PgKeys {
///     async fn key(&self, key_id: &str) -> Result<Option<Arc<ApiKey>>, KeyStoreError> { ... }
///     async fn environment_exists(&self, env_id: EnvId) -> Result<bool, KeyStoreError> { ... }
/// }
/// ```
///
/// A store that cannot answer returns `Err`: [`KeyStoreError::new`] answers the client
/// `500 InternalServerError "Server Error"`, [`KeyStoreError::unavailable`] (the database is
/// unreachable for now) `503 ServiceUnavailable`; either way the error goes to the log under
/// the request id, never to the client.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key store",
    note = "implement `scalr_endpoints::auth::KeyStore` (two `async fn`s: `key` and `environment_exists`), or use `MemoryKeyStore`"
)]
pub trait KeyStore: Send + Sync + 'static {
    /// The key `key_id` with its user, or `None` when there is no such key.
    fn key(&self, key_id: &str) -> impl Future<Output = Result<Option<Arc<ApiKey>>, KeyStoreError>> + Send;

    /// Whether environment `env_id` exists (whoever may use it).
    fn environment_exists(&self, env_id: EnvId) -> impl Future<Output = Result<bool, KeyStoreError>> + Send;
}

impl<K: KeyStore + ?Sized> KeyStore for Arc<K> {
    fn key(&self, key_id: &str) -> impl Future<Output = Result<Option<Arc<ApiKey>>, KeyStoreError>> + Send {
        (**self).key(key_id)
    }

    fn environment_exists(&self, env_id: EnvId) -> impl Future<Output = Result<bool, KeyStoreError>> + Send {
        (**self).environment_exists(env_id)
    }
}

/// A [`KeyStore`] behind a pointer: the same lookups with boxed futures, so that it can be a
/// trait object. Every `KeyStore` is one. Use it where the store's type is chosen at run time
/// (`Arc<dyn DynKeyStore>`, itself a `KeyStore`), or as a supertrait of a trait object of your
/// own that must also authenticate (`trait Store: DynKeyStore`, then upcast the
/// `Arc<dyn Store>` to `Arc<dyn DynKeyStore>`).
pub trait DynKeyStore: Send + Sync + 'static {
    /// [`KeyStore::key`], boxed.
    fn key<'a>(&'a self, key_id: &'a str) -> BoxFuture<'a, Result<Option<Arc<ApiKey>>, KeyStoreError>>;
    /// [`KeyStore::environment_exists`], boxed.
    fn environment_exists(&self, env_id: EnvId) -> BoxFuture<'_, Result<bool, KeyStoreError>>;
}

impl KeyStore for dyn DynKeyStore {
    async fn key(&self, key_id: &str) -> Result<Option<Arc<ApiKey>>, KeyStoreError> {
        DynKeyStore::key(self, key_id).await
    }

    async fn environment_exists(&self, env_id: EnvId) -> Result<bool, KeyStoreError> {
        DynKeyStore::environment_exists(self, env_id).await
    }
}

impl<K: KeyStore> DynKeyStore for K {
    fn key<'a>(&'a self, key_id: &'a str) -> BoxFuture<'a, Result<Option<Arc<ApiKey>>, KeyStoreError>> {
        Box::pin(KeyStore::key(self, key_id))
    }

    fn environment_exists(&self, env_id: EnvId) -> BoxFuture<'_, Result<bool, KeyStoreError>> {
        Box::pin(KeyStore::environment_exists(self, env_id))
    }
}

/// A boxed future that can cross threads.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A [`KeyStore`] that could not answer. Its message is logged, so it must not contain secrets.
#[derive(Debug)]
pub struct KeyStoreError {
    source: Box<dyn Error + Send + Sync>,
    unavailable: bool,
}

impl KeyStoreError {
    /// The store failed (a query error, say): `500 InternalServerError`.
    pub fn new(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self { source: source.into(), unavailable: false }
    }

    /// The store cannot be reached for now (a connection refused, a pool timed out), and a retry
    /// may succeed: `503 ServiceUnavailable`.
    pub fn unavailable(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self { source: source.into(), unavailable: true }
    }

    /// Whether it was made with [`KeyStoreError::unavailable`].
    pub fn is_unavailable(&self) -> bool {
        self.unavailable
    }
}

impl fmt::Display for KeyStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.unavailable { "is unavailable" } else { "failed" };
        write!(f, "the key store {kind}: {}", self.source)
    }
}

impl Error for KeyStoreError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
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
        assert!(!error.is_unavailable());
        let down = KeyStoreError::unavailable("connection refused");
        assert_eq!(down.to_string(), "the key store is unavailable: connection refused");
        assert!(down.is_unavailable());
    }
}
