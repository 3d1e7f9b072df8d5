//! [`ScalrApi`]: one list of actions, from which the router is built.

use std::any::TypeId;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::handler::Handler;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{MethodFilter, MethodRouter, Route, any, get};
use tower::{Layer, Service};

use crate::action::{Action, ActionFuture, ActionMeta, Method, Scope};
use crate::auth::{
    Authenticator, Clock, DynKeyStore, KeyStore, MemoryRateCounter, RateCounter, RateLimit, SharedRateCounter,
    SystemClock,
};
use crate::error::ErrorCode;
use crate::layer::EnvelopeLayer;
use crate::mount;
use crate::pipeline::Pipeline;
use crate::spec::{self, ServedSpec, SpecInfo};

/// The actions of a Scalr-style API, and how to serve them.
///
/// ```ignore
/// let router = ScalrApi::new().action(copy_image {}).into_router().with_state(app);
/// ```
///
/// The router answers every route with and without a trailing slash, answers `HEAD` for `GET`
/// routes, and answers anything else (unknown path, unknown method, a path parameter that does
/// not parse) with `404 EndpointNotFound`. Every error it returns is a Scalr envelope.
///
/// Requests are authenticated only when the API has a key store
/// ([`ScalrApi::authenticate`]); without one, every request is served unauthenticated, and
/// actions' `permission`s are not checked.
pub struct ScalrApi<S = ()> {
    actions: Vec<Registration<S>>,
    pipeline: Pipeline,
    info: SpecInfo,
    keys: Option<Arc<dyn DynKeyStore>>,
    rate_limit: Option<RateLimit>,
    rate_counter: Option<Arc<dyn SharedRateCounter>>,
    clock: Arc<dyn Clock>,
    layers: Vec<UserLayer<S>>,
    explorer: bool,
}

/// A layer the user put inside the envelope, applied to the router when it is built.
type UserLayer<S> = Box<dyn FnOnce(Router<S>) -> Router<S> + Send>;

struct Registration<S> {
    meta: &'static ActionMeta,
    type_id: TypeId,
    call: ActionCall<S>,
}

impl<S> Default for ScalrApi<S> {
    fn default() -> Self {
        Self {
            actions: Vec::new(),
            pipeline: Pipeline::default(),
            keys: None,
            rate_limit: None,
            rate_counter: None,
            clock: Arc::new(SystemClock),
            info: SpecInfo::default(),
            layers: Vec::new(),
            explorer: true,
        }
    }
}

impl<S: Clone + Send + Sync + 'static> ScalrApi<S> {
    /// An API with no actions.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an action: pass the marker `#[scalr_action]` defines next to the function,
    /// `my_action {}`.
    pub fn action<A: Action<S>>(mut self, _action: A) -> Self {
        self.actions.push(Registration { meta: A::META, type_id: TypeId::of::<A>(), call: A::call });
        self
    }

    /// Sets the largest request body accepted, in bytes ([`DEFAULT_BODY_LIMIT`] by default);
    /// a larger one gets `413 PayloadTooLarge`.
    ///
    /// [`DEFAULT_BODY_LIMIT`]: crate::pipeline::DEFAULT_BODY_LIMIT
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.pipeline = self.pipeline.with_body_limit(bytes);
        self
    }

    /// Sets the `info` block (title, version, description) of the specs.
    pub fn info(mut self, info: SpecInfo) -> Self {
        self.info = info;
        self
    }

    /// The Swagger 2.0 spec of `scope`, as served at `/api/{scope}.v1beta0.yml`.
    pub fn spec(&self, scope: Scope) -> serde_json::Value {
        let actions: Vec<&'static ActionMeta> = self.actions().collect();
        let checks = spec::Checks { authentication: self.keys.is_some(), rate_limit: self.rate_limit.is_some() };
        spec::document(scope, &actions, &self.info, checks)
    }

    /// Requires every request to be signed with an API key of `keys` (V1-HMAC-SHA256, as Scalr
    /// does), and checks the caller's access to the environment of user-scope actions and the
    /// `permission` an action declares. Handlers learn the caller with the
    /// [`Identity`](crate::auth::Identity) extractor.
    pub fn authenticate(mut self, keys: impl KeyStore) -> Self {
        self.keys = Some(Arc::new(keys));
        self
    }

    /// Limits the requests per API key and UTC calendar minute; over the limit a request gets
    /// `403 LimitExceeded`. Scalr leaves it off; [`RateLimit::default`] is Scalr's 300 when on.
    /// Needs [`ScalrApi::authenticate`], since the limit counts per key.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Where the rate limit counts requests ([`MemoryRateCounter`], this process's memory, by
    /// default). Instances of a service behind one load balancer share one limit only through
    /// a shared counter, e.g. a row per key and minute in their common database.
    ///
    /// [`MemoryRateCounter`]: crate::auth::MemoryRateCounter
    pub fn rate_counter(mut self, counter: impl RateCounter) -> Self {
        self.rate_counter = Some(Arc::new(counter));
        self
    }

    /// Where authentication and rate limiting read the time ([`SystemClock`] by default); for
    /// tests, e.g. `.clock(move || fixed_time)`.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Wraps the API's routes in `layer`, inside the layer that writes envelopes: a timeout,
    /// concurrency limit or load shedding whose rejection (a bare `503`, a `408`, a
    /// `HandleErrorLayer`'s status) must reach the client as a Scalr envelope with
    /// `X-Request-Id` and the debug `stringToSign`. Layers apply in the order given, each
    /// around the ones before, as with [`Router::layer`].
    ///
    /// ```ignore
    /// let api = ScalrApi::new()
    ///     .action(copy_image {})
    ///     .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(10)));
    /// ```
    ///
    /// As with `Router::layer`, each route gets its own copy of the layer's service: a limit
    /// meant for the whole API must share its count, e.g. tower's
    /// `GlobalConcurrencyLimitLayer` behind `load_shed()` and a `HandleErrorLayer` that answers
    /// an [`ApiError`](crate::ApiError) (`ServiceUnavailable`).
    ///
    /// Layers added with `Router::layer` after the router is built sit outside the envelope:
    /// the place for CORS, compression and access tracing, which see the finished envelope.
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.layers.push(Box::new(move |router: Router<S>| router.layer(layer)));
        self
    }

    /// Whether the router serves the API explorer (on by default): an HTML page per action at
    /// `/api/docs/{scope}/{action}/`, with a "Try it out" form that signs requests in the
    /// browser, and their index at `/api/docs/`, unauthenticated. `.explorer(false)` leaves
    /// them out; the specs are served either way.
    pub fn explorer(mut self, enabled: bool) -> Self {
        self.explorer = enabled;
        self
    }

    /// The metadata of the registered actions, in registration order.
    pub fn actions(&self) -> impl Iterator<Item = &'static ActionMeta> + '_ {
        self.actions.iter().map(|registration| registration.meta)
    }

    /// Builds the router, or says why the actions cannot be served together.
    ///
    /// Besides the actions it serves each scope's spec, unauthenticated, at
    /// `/api/{user,account,global}.v1beta0.yml` (and `.yaml`), built here once, the same
    /// documents in OpenAPI 3.1 at `/api/{scope}.v1beta0.openapi.json` (and `.openapi.yml`),
    /// and the API explorer at `/api/docs/` unless [`ScalrApi::explorer`] turned it off.
    ///
    /// The router composes with the service around it. It sets no fallback of its own, so it
    /// can be [merged](Router::merge) into a router that has one; it answers every other path
    /// under `/api/` with the `404 EndpointNotFound` envelope and leaves the rest of the
    /// service's paths to the service. [Nested](Router::nest) under a prefix, it verifies
    /// signatures over the path the client sent, and its pagination links and the specs'
    /// `basePath` carry the prefix.
    pub fn try_into_router(self) -> Result<Router<S>, BuildError> {
        let specs = Scope::ALL.map(|scope| (scope, self.spec(scope)));
        let metas: Vec<&'static ActionMeta> = self.actions().collect();
        let authentication = self.keys.is_some();
        let rate_counter = self.rate_counter;
        let pipeline = match (self.keys, self.rate_limit) {
            (Some(keys), rate_limit) => {
                let rate_limit = rate_limit.map(|limit| {
                    let counter = rate_counter.unwrap_or_else(|| Arc::new(MemoryRateCounter::new()));
                    (limit, counter)
                });
                self.pipeline.with_authenticator(Authenticator::new(keys, self.clock, rate_limit))
            }
            (None, Some(_)) => return Err(BuildError::RateLimitWithoutKeyStore),
            (None, None) => self.pipeline,
        };
        let pipeline = Arc::new(pipeline);
        let mut routes: BTreeMap<&'static str, (MethodRouter<S>, Vec<&'static ActionMeta>)> = BTreeMap::new();
        let mut registered: Vec<TypeId> = Vec::new();
        for action in &self.actions {
            if registered.contains(&action.type_id) {
                return Err(BuildError::RegisteredTwice { action: action.meta.name });
            }
            registered.push(action.type_id);
            let (router, metas) = routes.entry(action.meta.route).or_insert_with(|| (MethodRouter::new(), Vec::new()));
            if let Some(first) = metas.iter().find(|meta| meta.method == action.meta.method) {
                return Err(BuildError::SameRoute {
                    first: first.name,
                    second: action.meta.name,
                    method: action.meta.method,
                    path: first.path,
                });
            }
            if let Some(first) = metas.iter().find(|meta| meta.path != action.meta.path) {
                return Err(BuildError::NamedDifferently {
                    first: first.name,
                    first_path: first.path,
                    second: action.meta.name,
                    second_path: action.meta.path,
                });
            }
            metas.push(action.meta);
            *router = std::mem::take(router).merge(method_router(action.meta, action.call, Arc::clone(&pipeline)));
        }
        let mut router = Router::new();
        for (route, (method_router, metas)) in routes {
            let method_router = refuse_other_methods(method_router, &metas);
            router = router.route(route, method_router.clone()).route(&format!("{route}/"), method_router);
        }
        router = router.merge(spec::openapi::routes(&specs, authentication)?);
        if self.explorer {
            router = router.merge(crate::explorer::routes(&metas, &specs, &self.info));
        }
        for (scope, spec) in specs {
            let spec =
                Arc::new(ServedSpec::new(spec).map_err(|error| BuildError::Spec { scope, reason: error.to_string() })?);
            let serve = move |request: Request| {
                let yaml = spec.yaml(mount::prefix(request.extensions(), request.uri()));
                async move { ([(header::CONTENT_TYPE, HeaderValue::from_static("application/yaml"))], yaml) }
            };
            for extension in ["yml", "yaml"] {
                router = router.route(&format!("/api/{}.v1beta0.{extension}", scope.as_str()), get(serve.clone()));
            }
        }
        for path in ["/api", "/api/", "/api/{*rest}"] {
            router = router.route(path, any(endpoint_not_found));
        }
        for layer in self.layers {
            router = layer(router);
        }
        Ok(router.layer(EnvelopeLayer))
    }

    /// Builds the router.
    ///
    /// # Panics
    ///
    /// When two actions answer the same method and path, one action is registered twice, or a
    /// rate limit is set without a key store:
    /// a mistake in the program, reported at start with [`BuildError`]'s message. Use
    /// [`ScalrApi::try_into_router`] to handle it instead.
    pub fn into_router(self) -> Router<S> {
        self.try_into_router().unwrap_or_else(|error| panic!("{error}"))
    }
}

/// A method the path does not answer is no endpoint either (Scalr has no 405): each standard
/// method an action of the route does not take gets the not-found handler itself, so that axum
/// adds no `Allow` header, which it does only for a method that falls through to the fallback
/// (an extension method, which gets the same envelope).
fn refuse_other_methods<S: Clone + Send + Sync + 'static>(
    mut method_router: MethodRouter<S>,
    metas: &[&'static ActionMeta],
) -> MethodRouter<S> {
    let answers = |method: Method| metas.iter().any(|meta| meta.method == method);
    let others = [
        (MethodFilter::GET, answers(Method::Get)),
        // GET routes answer HEAD through GET.
        (MethodFilter::HEAD, answers(Method::Get)),
        (MethodFilter::POST, answers(Method::Post)),
        (MethodFilter::PUT, answers(Method::Put)),
        (MethodFilter::PATCH, answers(Method::Patch)),
        (MethodFilter::DELETE, answers(Method::Delete)),
        (MethodFilter::OPTIONS, false),
        (MethodFilter::TRACE, false),
        (MethodFilter::CONNECT, false),
    ];
    for (filter, answered) in others {
        if !answered {
            method_router = method_router.on(filter, endpoint_not_found);
        }
    }
    method_router.fallback(endpoint_not_found)
}

/// The codes routing and the outer layers answer any action with: no such endpoint (a path
/// parameter that does not parse, a method the path does not answer), and a handler that
/// panicked or whose answer could not be written.
pub(crate) const ROUTING_CODES: &[ErrorCode] = &[ErrorCode::EndpointNotFound, ErrorCode::InternalServerError];

/// A bare `404`: the envelope layer answers a `404` that carries no
/// [`ApiError`](crate::ApiError) with `EndpointNotFound`, so the commonest error of all reaches
/// the layer without an error in the response's extensions, which costs three allocations.
async fn endpoint_not_found() -> StatusCode {
    StatusCode::NOT_FOUND
}

/// The router of one action's method at its route.
fn method_router<S: Clone + Send + Sync + 'static>(
    meta: &'static ActionMeta,
    call: ActionCall<S>,
    pipeline: Arc<Pipeline>,
) -> MethodRouter<S> {
    MethodRouter::new().on(meta.method.filter(), ActionHandler { pipeline, call })
}

/// Why a set of actions cannot be served together.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// The same action was added twice.
    RegisteredTwice {
        /// The action's function name.
        action: &'static str,
    },
    /// Two actions on the same path name its placeholders differently, so the spec could not
    /// describe the path once.
    NamedDifferently {
        /// The action registered first.
        first: &'static str,
        /// Its path.
        first_path: &'static str,
        /// The action registered second.
        second: &'static str,
        /// Its path.
        second_path: &'static str,
    },
    /// A spec could not be written as YAML.
    Spec {
        /// The scope of the spec.
        scope: Scope,
        /// What went wrong.
        reason: String,
    },
    /// Two actions answer the same method on the same path.
    SameRoute {
        /// The action registered first.
        first: &'static str,
        /// The action registered second.
        second: &'static str,
        /// The method both answer.
        method: Method,
        /// The path both answer, as the first declares it.
        path: &'static str,
    },
    /// A rate limit counts requests per API key, so it needs a key store.
    RateLimitWithoutKeyStore,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::RegisteredTwice { action } => {
                write!(f, "action `{action}` is registered twice; register each action once")
            }
            BuildError::NamedDifferently { first, first_path, second, second_path } => write!(
                f,
                "actions `{first}` ({first_path}/) and `{second}` ({second_path}/) name the placeholders of one path differently; use the same names"
            ),
            BuildError::Spec { scope, reason } => write!(f, "the {} spec cannot be written: {reason}", scope.as_str()),
            BuildError::SameRoute { first, second, method, path } => write!(
                f,
                "actions `{first}` and `{second}` both answer {} {path}/; change the method or the path of one",
                method.as_str()
            ),
            BuildError::RateLimitWithoutKeyStore => {
                f.write_str("a rate limit counts requests per API key; call `authenticate` with a key store too")
            }
        }
    }
}

impl std::error::Error for BuildError {}

/// How the router calls an action: its [`Action::call`], as a plain function pointer.
type ActionCall<S> = fn(Request, S, Arc<Pipeline>) -> ActionFuture;

/// Adapts an action to axum's [`Handler`]. It holds the action's `call` as a pointer rather
/// than being generic over the action, so that axum's routing types (the handler's service,
/// its boxed route, their futures and drop glue) are instantiated once per state type, not
/// once per action in the user's crate.
struct ActionHandler<S> {
    pipeline: Arc<Pipeline>,
    call: ActionCall<S>,
}

impl<S> Clone for ActionHandler<S> {
    fn clone(&self) -> Self {
        Self { pipeline: Arc::clone(&self.pipeline), call: self.call }
    }
}

/// The `T` of [`Handler<T, S>`] for actions, keeping them apart from axum's function handlers.
#[doc(hidden)]
pub enum ActionHandlerMarker {}

impl<S> Handler<ActionHandlerMarker, S> for ActionHandler<S>
where
    S: Clone + Send + Sync + 'static,
{
    type Future = ActionFuture;

    fn call(self, request: Request, state: S) -> Self::Future {
        (self.call)(request, state, self.pipeline)
    }
}
