//! The copy server: a Scalr-compatible images service built on scalr-endpoints.
//!
//! `main.rs` (the root package's `copy_server` example) runs it; the integration tests and
//! benchmarks depend on this crate to drive the same router, with the helpers of `testing` (the
//! `testing` feature).
//! What the service does and why is in `README.md` next to this crate's `Cargo.toml`.

pub mod actions;
pub mod cloud;
pub mod demo;
pub mod follow;
pub mod images;
pub mod log_filter;
pub mod log_lines;
pub mod log_writer;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;

use std::sync::Arc;

use scalr_endpoints::ScalrApi;
use scalr_endpoints::auth::{DynKeyStore, Minute, RateCounter, RateCounterError, RateLimit};

use cloud::Cloud;
use store::Store;

/// What every action of the server shares: where images are kept, and the cloud they live on.
#[derive(Clone)]
pub struct AppState {
    /// The environments, keys and images.
    pub store: Arc<dyn Store>,
    /// The cloud side of copies, registrations and deletions.
    pub cloud: Arc<dyn Cloud>,
}

/// The server's actions.
pub fn api() -> ScalrApi<AppState> {
    ScalrApi::new()
        .action(actions::list_images {})
        .action(actions::get_image {})
        .action(actions::register_image {})
        .action(actions::rename_image {})
        .action(actions::delete_image {})
        .action(actions::copy_image {})
}

/// The router, serving requests signed with a key of the state's store.
pub fn router(state: AppState) -> axum::Router {
    router_with(state, None)
}

/// The router, serving requests signed with a key of the state's store, at most `rate_limit`
/// per key and minute when one is given, counted by the store ([`Store::count_request`]): the
/// instances that share a PostgreSQL database share the limit.
pub fn router_with(state: AppState, rate_limit: Option<RateLimit>) -> axum::Router {
    let keys: Arc<dyn DynKeyStore> = Arc::clone(&state.store) as Arc<dyn DynKeyStore>;
    let mut api = api().authenticate(keys);
    if let Some(limit) = rate_limit {
        api = api.rate_limit(limit).rate_counter(StoreCounter(Arc::clone(&state.store)));
    }
    api.into_router().with_state(state)
}

/// The rate limit's counter: the store's counts.
struct StoreCounter(Arc<dyn Store>);

impl RateCounter for StoreCounter {
    async fn count(&self, key_id: &str, minute: Minute) -> Result<u64, RateCounterError> {
        self.0.count_request(key_id, minute).await.map_err(RateCounterError::new)
    }
}
