//! The copy server: a Scalr-compatible images service built on scalr-endpoints.
//!
//! `main.rs` runs it; the integration tests and benchmarks include this module to drive the
//! same router in-process.

pub mod actions;
pub mod demo;
pub mod images;
pub mod store;

use std::sync::Arc;

use scalr_endpoints::ScalrApi;
use scalr_endpoints::auth::KeyStore;

use store::MemoryStore;

/// What every action of the server shares.
#[derive(Debug, Clone, Default)]
pub struct AppState {
    /// The images.
    pub store: Arc<MemoryStore>,
}

/// The server's actions.
pub fn api() -> ScalrApi<AppState> {
    ScalrApi::new().action(actions::list_images {}).action(actions::copy_image {})
}

/// The router, serving `state` to requests signed with a key of `keys`.
pub fn router(state: AppState, keys: impl KeyStore + 'static) -> axum::Router {
    api().authenticate(keys).into_router().with_state(state)
}
