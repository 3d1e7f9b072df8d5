//! An in-process client for a [`ScalrApi`](crate::ScalrApi) router, for tests: it signs requests
//! as a Scalr client does and reads the envelopes back (feature `test-util`).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use scalr_endpoints_runtime::auth::{ApiKey, MemoryKeyStore, Secret, User};
//! use scalr_endpoints_runtime::test::TestClient;
//! use scalr_endpoints_runtime::{EnvId, ErrorCode, ScalrApi};
//!
//! let env = EnvId::new(1).unwrap();
//! let user = User { id: "alice".into(), active: true, environments: [env].into(), permissions: Default::default() };
//! let key = ApiKey { id: "APIKALICE".into(), secret: Secret::new("a-long-secret"), active: true, user };
//! let router = ScalrApi::<()>::new().authenticate(MemoryKeyStore::new().with_environment(env).with_key(key)).into_router();
//!
//! let client = TestClient::new(router).signed("APIKALICE", "a-long-secret").debug(true);
//! let response = client.get("/api/v1beta0/user/1/nothing/").query(&[("pageNum", "2")]).send().await;
//! response.assert_error(ErrorCode::EndpointNotFound, "The endpoint you are trying to access does not exist.");
//! assert_eq!(response.json()["meta"]["requestId"], response.request_id().to_string());
//!
//! // Unsigned, the same client's requests are refused.
//! let refused = client.clone().unsigned().get("/api/v1beta0/user/1/nothing/").send().await;
//! assert_eq!(refused.status().as_u16(), 404);
//! # }
//! ```
//!
//! Actions are reached the same way: `client.post(path).json(&body).send().await`, then
//! [`TestResponse::data`] for the success value, [`TestResponse::errors`] for a refusal, and
//! [`TestRequest::pages`] to follow a list's `pagination.next` links to the end.

mod request;
mod response;

use std::sync::Arc;

use axum::Router;
use axum::http::Method;

use crate::auth::{Clock, Secret, Signer, SystemClock};

pub use request::TestRequest;
pub use response::TestResponse;

/// Sends requests to a router in-process, signed with one API key or unsigned.
///
/// Cloning is cheap: the clones share the router.
#[derive(Clone)]
pub struct TestClient {
    router: Router,
    signer: Option<Signer>,
    debug: bool,
    clock: Arc<dyn Clock>,
}

impl TestClient {
    /// A client of `router` (built with its state: `api.into_router().with_state(app)`) that
    /// sends unsigned requests.
    pub fn new(router: Router) -> Self {
        Self { router, signer: None, debug: false, clock: Arc::new(SystemClock) }
    }

    /// Signs every request with the key `key_id` and its `secret`.
    ///
    /// # Panics
    ///
    /// When `key_id` cannot be sent in a header (a control character): a mistake in the test.
    pub fn signed(mut self, key_id: &str, secret: &str) -> Self {
        let signer = Signer::new(key_id, Secret::new(secret))
            .unwrap_or_else(|_| panic!("the key id {key_id:?} cannot be sent in a header"));
        self.signer = Some(signer);
        self
    }

    /// Sends the requests unsigned from now on.
    pub fn unsigned(mut self) -> Self {
        self.signer = None;
        self
    }

    /// Asks the server, with `X-Scalr-Debug: 1`, to return the string it verified the signature
    /// over in `meta.stringToSign` (signed requests only).
    pub fn debug(mut self, on: bool) -> Self {
        self.debug = on;
        self
    }

    /// Where the signing date comes from ([`SystemClock`] by default): give the server's test
    /// clock, so that a server with a frozen clock accepts the signatures.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// A request with any method. `path` is sent as written (percent-encoded) and may carry a
    /// query after `?`.
    pub fn request(&self, method: Method, path: &str) -> TestRequest<'_> {
        TestRequest::new(self, method, path)
    }

    /// A `GET` request.
    pub fn get(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::GET, path)
    }

    /// A `POST` request.
    pub fn post(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::POST, path)
    }

    /// A `PATCH` request.
    pub fn patch(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::PATCH, path)
    }

    /// A `PUT` request.
    pub fn put(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::PUT, path)
    }

    /// A `DELETE` request.
    pub fn delete(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::DELETE, path)
    }

    /// The signer for this client's requests, with debug when asked for.
    fn signer(&self) -> Option<Signer> {
        let signer = self.signer.clone()?;
        Some(if self.debug { signer.with_debug() } else { signer })
    }
}

/// Shows whether requests are signed, never the secret.
impl std::fmt::Debug for TestClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestClient").field("signed", &self.signer.is_some()).field("debug", &self.debug).finish()
    }
}
