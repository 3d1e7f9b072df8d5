//! [`MemoryKeyStore`]: API keys held in memory, built in code or read from a key file.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::keys::{ApiKey, KeyStore, KeyStoreError};
use crate::extract::EnvId;

/// API keys and environments held in memory; it never fails.
///
/// ```ignore
/// let store = MemoryKeyStore::new().with_environment(env).with_key(key);
/// let router = ScalrApi::new().action(copy_image {}).authenticate(store).into_router();
/// ```
///
/// For keys kept in a file, see [`MemoryKeyStore::from_json_file`].
#[derive(Debug, Clone, Default)]
pub struct MemoryKeyStore {
    environments: BTreeSet<EnvId>,
    keys: HashMap<String, Arc<ApiKey>>,
}

impl MemoryKeyStore {
    /// A store with no keys and no environments.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an environment.
    pub fn with_environment(mut self, env_id: EnvId) -> Self {
        self.environments.insert(env_id);
        self
    }

    /// Adds a key, replacing any key with the same id.
    pub fn with_key(mut self, key: ApiKey) -> Self {
        self.keys.insert(key.id.clone(), Arc::new(key));
        self
    }

    /// The environments, in id order: with [`MemoryKeyStore::keys`], what a persistent key store
    /// imports from a key file.
    pub fn environments(&self) -> impl Iterator<Item = EnvId> + '_ {
        self.environments.iter().copied()
    }

    /// The keys with their users, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &ApiKey> + '_ {
        self.keys.values().map(Arc::as_ref)
    }
}

impl MemoryKeyStore {
    /// The key `key_id`, looked up at once: what [`KeyStore::key`] answers, for a store that
    /// keeps a `MemoryKeyStore` as its snapshot.
    pub fn get(&self, key_id: &str) -> Option<Arc<ApiKey>> {
        self.keys.get(key_id).cloned()
    }

    /// Whether environment `env_id` is in the store.
    pub fn has_environment(&self, env_id: EnvId) -> bool {
        self.environments.contains(&env_id)
    }
}

impl KeyStore for MemoryKeyStore {
    async fn key(&self, key_id: &str) -> Result<Option<Arc<ApiKey>>, KeyStoreError> {
        Ok(self.get(key_id))
    }

    async fn environment_exists(&self, env_id: EnvId) -> Result<bool, KeyStoreError> {
        Ok(self.has_environment(env_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Secret, User};

    #[test]
    fn keys_and_environments_are_found_by_id() {
        let env = |id| EnvId::new(id).unwrap();
        let user = User {
            id: "alice".to_owned(),
            active: true,
            environments: BTreeSet::from([env(1)]),
            permissions: BTreeSet::new(),
        };
        let key = |id: &str| ApiKey { id: id.to_owned(), secret: Secret::new("s"), active: true, user: user.clone() };
        let store = MemoryKeyStore::new().with_environment(env(1)).with_key(key("A")).with_key(key("B"));
        assert_eq!(store.get("A").map(|key| key.id.clone()).as_deref(), Some("A"));
        assert!(store.get("C").is_none());
        assert!(store.has_environment(env(1)));
        assert!(!store.has_environment(env(2)));
        assert_eq!(store.environments().collect::<Vec<_>>(), [env(1)]);
        let mut ids: Vec<&str> = store.keys().map(|key| key.id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["A", "B"]);
    }
}
