//! The images the example serves, kept in memory.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use scalr_endpoints::EnvId;

use super::images::{Image, ImageId, ImageScope};

/// An image and the environment that owns it (`None` for account and Scalr images, which every
/// environment sees).
#[derive(Debug, Clone)]
struct Stored {
    env: Option<EnvId>,
    image: Image,
}

/// Images by id.
#[derive(Debug, Default)]
pub struct MemoryStore {
    images: Mutex<HashMap<ImageId, Stored>>,
}

impl MemoryStore {
    /// Adds an image; `env` is `None` for images outside the environment scope.
    pub fn insert(&self, env: Option<EnvId>, image: Image) {
        let mut images = self.images.lock().unwrap_or_else(PoisonError::into_inner);
        images.insert(image.id, Stored { env, image });
    }

    /// The image `id` as environment `env` sees it: its own images, and those of the account
    /// and Scalr scopes.
    pub fn find(&self, env: EnvId, id: ImageId) -> Option<Image> {
        let images = self.images.lock().unwrap_or_else(PoisonError::into_inner);
        let stored = images.get(&id)?;
        let visible = match stored.image.scope {
            ImageScope::Environment => stored.env == Some(env),
            ImageScope::Account | ImageScope::Scalr => true,
        };
        visible.then(|| stored.image.clone())
    }

    /// The images environment `env` sees, oldest first.
    pub fn list(&self, env: EnvId) -> Vec<Image> {
        let images = self.images.lock().unwrap_or_else(PoisonError::into_inner);
        let mut visible: Vec<Image> = images
            .values()
            .filter(|stored| stored.image.scope != ImageScope::Environment || stored.env == Some(env))
            .map(|stored| stored.image.clone())
            .collect();
        visible.sort_by(|a, b| a.added.cmp(&b.added).then_with(|| a.name.cmp(&b.name)));
        visible
    }
}
