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

/// The router, serving `state`.
pub fn router(state: AppState) -> axum::Router {
    api().into_router().with_state(state)
}
