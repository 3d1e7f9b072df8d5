//! The key file: API keys, their users and the environments, as JSON, read into a
//! [`MemoryKeyStore`].

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::error::Category;

use super::keys::{ApiKey, Secret, User};
use super::memory_store::MemoryKeyStore;
use crate::extract::EnvId;

/// The document: `environments`, `users`, `keys`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    environments: Vec<u64>,
    users: Vec<UserEntry>,
    keys: Vec<KeyEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserEntry {
    id: String,
    #[serde(default = "active")]
    active: bool,
    #[serde(default)]
    environments: Vec<u64>,
    #[serde(default)]
    permissions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyEntry {
    id: String,
    secret: Secret,
    user: String,
    #[serde(default = "active")]
    active: bool,
}

/// Users and keys are active unless the file says otherwise.
fn active() -> bool {
    true
}

impl MemoryKeyStore {
    /// Reads a key file:
    ///
    /// ```json
    /// {
    ///   "environments": [1, 2],
    ///   "users": [
    ///     {"id": "alice@example.com", "environments": [1], "permissions": ["images:manage"]}
    ///   ],
    ///   "keys": [
    ///     {"id": "APIKALICE00000000001", "secret": "...", "user": "alice@example.com"}
    ///   ]
    /// }
    /// ```
    ///
    /// `active` (default `true`) may be set to `false` on a user or a key. Every environment a
    /// user may use must be listed in `environments`, every key's `user` must be a user's `id`,
    /// and ids are unique; a file that breaks a rule is refused as a whole.
    pub fn from_json_file(path: impl AsRef<Path>) -> Result<Self, KeyFileError> {
        let path = path.as_ref();
        let text =
            std::fs::read_to_string(path).map_err(|source| KeyFileError::Read { path: path.to_owned(), source })?;
        Self::from_json(&text)
    }

    /// Reads the text of a key file; see [`MemoryKeyStore::from_json_file`].
    pub fn from_json(text: &str) -> Result<Self, KeyFileError> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let file: KeyFile = serde_path_to_error::deserialize(&mut deserializer).map_err(describe)?;
        deserializer.end().map_err(|error| invalid(error.to_string()))?;
        file.into_store()
    }
}

impl KeyFile {
    fn into_store(self) -> Result<MemoryKeyStore, KeyFileError> {
        let environments: BTreeSet<EnvId> = self.environments.into_iter().map(env_id).collect::<Result<_, _>>()?;
        let mut store = environments.iter().fold(MemoryKeyStore::new(), |store, env| store.with_environment(*env));
        let mut users: HashMap<String, User> = HashMap::new();
        for entry in self.users {
            let mut user_environments = BTreeSet::new();
            for id in entry.environments {
                let env = env_id(id)?;
                if !environments.contains(&env) {
                    return Err(invalid(format!(
                        "user `{}` may use environment {id}, which `environments` does not list",
                        entry.id
                    )));
                }
                user_environments.insert(env);
            }
            let user = User {
                id: entry.id.clone(),
                active: entry.active,
                environments: user_environments,
                permissions: entry.permissions.into_iter().collect(),
            };
            if users.insert(entry.id.clone(), user).is_some() {
                return Err(invalid(format!("user `{}` is listed twice", entry.id)));
            }
        }
        let mut key_ids = BTreeSet::new();
        for entry in self.keys {
            if entry.id.is_empty() || entry.secret.is_empty() {
                return Err(invalid("a key has an empty `id` or `secret`".to_owned()));
            }
            if !key_ids.insert(entry.id.clone()) {
                return Err(invalid(format!("key `{}` is listed twice", entry.id)));
            }
            let user = users.get(&entry.user).ok_or_else(|| {
                invalid(format!("key `{}` belongs to user `{}`, who is not listed", entry.id, entry.user))
            })?;
            store =
                store.with_key(ApiKey { id: entry.id, secret: entry.secret, active: entry.active, user: user.clone() });
        }
        Ok(store)
    }
}

fn env_id(id: u64) -> Result<EnvId, KeyFileError> {
    EnvId::new(id).ok_or_else(|| invalid("environment ids are positive integers, found 0".to_owned()))
}

fn invalid(detail: String) -> KeyFileError {
    KeyFileError::Invalid { detail }
}

/// Says where the document is wrong. serde's messages for wrong values quote the value, which
/// could be a secret, so only those naming a field are kept.
fn describe(failure: serde_path_to_error::Error<serde_json::Error>) -> KeyFileError {
    let error = failure.inner();
    if error.classify() != Category::Data {
        return invalid(error.to_string());
    }
    let message = error.to_string();
    let what = if message.starts_with("missing field") || message.starts_with("unknown field") {
        message.split(" at line ").next().unwrap_or_default().to_owned()
    } else {
        "a value of the wrong type".to_owned()
    };
    invalid(format!("{what} at `{}`, line {} column {}", failure.path(), error.line(), error.column()))
}

/// Why a key file could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum KeyFileError {
    /// The file could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The text is not a valid key file.
    Invalid {
        /// What is wrong and where; never quotes a secret.
        detail: String,
    },
}

impl fmt::Display for KeyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyFileError::Read { path, source } => write!(f, "cannot read the key file {}: {source}", path.display()),
            KeyFileError::Invalid { detail } => write!(f, "invalid key file: {detail}"),
        }
    }
}

impl std::error::Error for KeyFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            KeyFileError::Read { source, .. } => Some(source),
            KeyFileError::Invalid { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{
        "environments": [1, 2, 3],
        "users": [
            {"id": "alice", "environments": [1, 2], "permissions": ["images:manage"]},
            {"id": "bob", "active": false}
        ],
        "keys": [
            {"id": "APIKALICE", "secret": "alice-secret", "user": "alice"},
            {"id": "APIKBOB", "secret": "bob-secret", "user": "bob", "active": false}
        ]
    }"#;

    fn env(id: u64) -> EnvId {
        EnvId::new(id).unwrap()
    }

    fn error(text: &str) -> String {
        MemoryKeyStore::from_json(text).unwrap_err().to_string()
    }

    #[test]
    fn a_file_gives_keys_users_and_environments() {
        let store = MemoryKeyStore::from_json(FILE).unwrap();
        let alice = store.get("APIKALICE").unwrap();
        assert!(alice.active && alice.user.active);
        assert_eq!(alice.user.id, "alice");
        assert_eq!(alice.user.environments, BTreeSet::from([env(1), env(2)]));
        assert!(alice.user.has_permission("images:manage"));
        let bob = store.get("APIKBOB").unwrap();
        assert!(!bob.active && !bob.user.active && bob.user.environments.is_empty());
        assert!(store.has_environment(env(3)));
        assert!(!store.has_environment(env(4)));
        assert!(store.get("APIKCAROL").is_none());
    }

    #[test]
    fn a_file_that_breaks_a_rule_is_refused_saying_why() {
        let cases = [
            (
                FILE.replace("[1, 2, 3]", "[1, 3]"),
                "invalid key file: user `alice` may use environment 2, which `environments` does not list",
            ),
            (
                FILE.replace("[1, 2, 3]", "[0, 1, 2]"),
                "invalid key file: environment ids are positive integers, found 0",
            ),
            (
                FILE.replace("\"user\": \"bob\"", "\"user\": \"carol\""),
                "invalid key file: key `APIKBOB` belongs to user `carol`, who is not listed",
            ),
            (FILE.replace("APIKBOB", "APIKALICE"), "invalid key file: key `APIKALICE` is listed twice"),
            (FILE.replace("\"id\": \"bob\"", "\"id\": \"alice\""), "invalid key file: user `alice` is listed twice"),
            (FILE.replace("\"bob-secret\"", "\"\""), "invalid key file: a key has an empty `id` or `secret`"),
            (
                FILE.replace("\"secret\": \"alice-secret\", ", ""),
                "invalid key file: missing field `secret` at `keys[0]`, line 8 column 48",
            ),
            (
                FILE.replace("\"active\": false}", "\"enabled\": false}"),
                "invalid key file: unknown field `enabled`, expected one of `id`, `active`, `environments`, `permissions` at `users[1].enabled`, line 5 column 35",
            ),
            ("{\"environments\": [".to_owned(), "invalid key file: EOF while parsing a list at line 1 column 18"),
        ];
        for (text, expected) in cases {
            assert_eq!(error(&text), expected);
        }
    }

    #[test]
    fn errors_never_quote_a_secret() {
        let text = FILE.replace("\"alice-secret\"", "987654321");
        let message = error(&text);
        assert!(!message.contains("987654321"), "{message}");
        assert_eq!(message, "invalid key file: a value of the wrong type at `keys[0].secret`, line 8 column 51");
    }

    #[test]
    fn an_unreadable_file_names_the_path() {
        let message = MemoryKeyStore::from_json_file("/nonexistent/keys.json").unwrap_err().to_string();
        assert!(message.starts_with("cannot read the key file /nonexistent/keys.json: "), "{message}");
    }
}
