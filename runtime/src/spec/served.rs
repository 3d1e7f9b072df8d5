//! A scope's spec as the router serves it: YAML written once for the API at the root, and once
//! per prefix the API is reached under when it is nested, so that `basePath` leads back through
//! the prefix the client used.

use std::sync::{Mutex, PoisonError};

use axum::body::Bytes;
use serde_json::Value;

/// How many prefixes' documents are kept. A router nests an API under a fixed set of prefixes;
/// past this many (a prefix with a path parameter), documents are written per request.
const PREFIXES_KEPT: usize = 16;

/// One scope's document, and its YAML.
#[derive(Debug)]
pub(crate) struct ServedSpec {
    document: Value,
    at_root: Bytes,
    nested: Mutex<Vec<(Box<str>, Bytes)>>,
}

impl ServedSpec {
    /// Writes `document` as YAML; fails only if the document cannot be YAML at all.
    pub(crate) fn new(document: Value) -> Result<Self, yaml_serde::Error> {
        let at_root = Bytes::from(yaml_serde::to_string(&document)?);
        Ok(Self { document, at_root, nested: Mutex::new(Vec::new()) })
    }

    /// The YAML for an API nested under `prefix` (`""` at the root).
    pub(crate) fn yaml(&self, prefix: &str) -> Bytes {
        if prefix.is_empty() {
            return self.at_root.clone();
        }
        let mut nested = self.nested.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, yaml)) = nested.iter().find(|(kept, _)| **kept == *prefix) {
            return yaml.clone();
        }
        let yaml = self.write_nested(prefix);
        if nested.len() < PREFIXES_KEPT {
            nested.push((prefix.into(), yaml.clone()));
        }
        yaml
    }

    fn write_nested(&self, prefix: &str) -> Bytes {
        let mut document = self.document.clone();
        let base_path = document["basePath"].as_str().unwrap_or_default();
        document["basePath"] = Value::from(format!("{prefix}{base_path}"));
        // The document differs from the one written in `new` by one string, so it is YAML too.
        yaml_serde::to_string(&document).map(Bytes::from).unwrap_or_else(|_| self.at_root.clone())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn served() -> ServedSpec {
        ServedSpec::new(json!({"swagger": "2.0", "basePath": "/api/v1beta0/user", "paths": {}})).unwrap()
    }

    fn base_path(yaml: &Bytes) -> String {
        let document: Value = yaml_serde::from_slice(yaml).unwrap();
        document["basePath"].as_str().unwrap().to_owned()
    }

    #[test]
    fn the_base_path_carries_the_prefix_the_api_is_nested_under() {
        let spec = served();
        assert_eq!(base_path(&spec.yaml("")), "/api/v1beta0/user");
        assert_eq!(base_path(&spec.yaml("/scalr")), "/scalr/api/v1beta0/user");
        assert_eq!(base_path(&spec.yaml("/a/b")), "/a/b/api/v1beta0/user");
        assert_eq!(base_path(&spec.yaml("/scalr")), "/scalr/api/v1beta0/user");
    }

    #[test]
    fn documents_past_the_kept_prefixes_are_still_right() {
        let spec = served();
        for tenant in 0..PREFIXES_KEPT + 4 {
            assert_eq!(base_path(&spec.yaml(&format!("/t{tenant}"))), format!("/t{tenant}/api/v1beta0/user"));
        }
        assert_eq!(spec.nested.lock().unwrap().len(), PREFIXES_KEPT);
    }
}
