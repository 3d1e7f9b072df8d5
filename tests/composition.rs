//! The API inside a real axum service: nested under a prefix, merged beside the service's own
//! routes and fallback, with the service's tower layers inside and outside the envelope, and the
//! debug `stringToSign` on every kind of rejection, all driven by the test client.

use std::collections::BTreeSet;
use std::io::Read;
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::routing::get;
use scalr_endpoints::auth::{ApiKey, Identity, MemoryKeyStore, Secret, User};
use scalr_endpoints::prelude::*;
use scalr_endpoints::test::{TestClient, TestResponse};
use scalr_endpoints::{EnvelopeLayer, Scope};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const KEY_ID: &str = "APIKCOMPOSITION00001";
const SECRET: &str = "composition-secret-0123456789abcdef";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
struct Widget {
    id: u32,
    colour: String,
}

impl ApiObject for Widget {
    const FILTERABLE: &'static [&'static str] = &["colour"];
}

fn widgets() -> Vec<Widget> {
    (1..=5).map(|id| Widget { id, colour: if id % 2 == 0 { "red" } else { "blue" }.to_owned() }).collect()
}

/// List the widgets.
#[scalr_action(get, "widgets/")]
async fn list_widgets(paging: Paging, filters: Filters<Widget>) -> Result<Page<Widget>, ApiError> {
    let colour = filters.get::<String>("colour")?;
    let chosen = widgets().into_iter().filter(|widget| colour.as_ref().is_none_or(|colour| widget.colour == *colour));
    Ok(paging.page(chosen))
}

/// Get a widget.
#[scalr_action(get, "widgets/<widgetId>/")]
async fn get_widget(widget_id: u32) -> Result<Widget, ApiError> {
    widgets()
        .into_iter()
        .find(|widget| widget.id == widget_id)
        .ok_or_else(|| ApiError::new(ErrorCode::ObjectNotFound, "No such widget."))
}

/// Take longer than the service's timeout.
#[scalr_action(get, "slow/", scope = global)]
async fn slow() -> Result<(), ApiError> {
    tokio::time::sleep(Duration::from_secs(5)).await;
    Ok(())
}

/// Fail with a panic.
#[scalr_action(get, "broken/", scope = global)]
async fn broken() -> Result<(), ApiError> {
    panic!("the handler broke")
}

/// Needs a permission nobody has.
#[scalr_action(get, "secret/", scope = global)]
async fn secret(identity: Identity) -> Result<(), ApiError> {
    identity.require("widgets:admin")
}

/// A tenant header, checked by the service's own extractor.
struct Tenant;

impl<S: Send + Sync> FromRequestParts<S> for Tenant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        match parts.headers.get("x-tenant") {
            Some(_) => Ok(Tenant),
            None => Err(ApiError::new(ErrorCode::InvalidValue, "The X-Tenant header is required.")),
        }
    }
}

/// Needs the tenant header.
#[scalr_action(get, "tenant/", scope = global)]
async fn tenant(_tenant: Tenant) -> Result<(), ApiError> {
    Ok(())
}

#[derive(Debug, Deserialize)]
struct Limit {
    #[allow(dead_code)]
    limit: u8,
}

/// Reads a query with axum's own extractor, whose rejection is not an `ApiError`.
#[scalr_action(get, "limited/", scope = global)]
async fn limited(_limit: Query<Limit>) -> Result<(), ApiError> {
    Ok(())
}

fn key_store() -> MemoryKeyStore {
    let env = EnvId::new(1).unwrap();
    let user = User {
        id: "composer".to_owned(),
        active: true,
        environments: BTreeSet::from([env]),
        permissions: BTreeSet::new(),
    };
    MemoryKeyStore::new().with_environment(env).with_key(ApiKey {
        id: KEY_ID.to_owned(),
        secret: Secret::new(SECRET),
        active: true,
        user,
    })
}

fn api() -> ScalrApi {
    ScalrApi::new()
        .action(list_widgets {})
        .action(get_widget {})
        .action(slow {})
        .action(broken {})
        .action(secret {})
        .action(tenant {})
        .action(limited {})
        .authenticate(key_store())
}

fn signed(router: Router) -> TestClient {
    TestClient::new(router).signed(KEY_ID, SECRET)
}

fn spec_base_path(response: &TestResponse) -> String {
    assert_eq!(response.status(), StatusCode::OK, "{response}");
    let spec: serde_json::Value = yaml_serde::from_slice(response.body()).expect("the spec is YAML");
    spec["basePath"].as_str().expect("a basePath").to_owned()
}

#[tokio::test]
async fn nested_under_a_prefix_signatures_links_and_the_spec_carry_it() {
    let service = Router::new().nest("/scalr", api().into_router());
    let client = signed(service);

    let widget = client.get("/scalr/api/v1beta0/user/1/widgets/2/").send().await;
    assert_eq!(widget.data::<Widget>(), Widget { id: 2, colour: "red".into() });

    let first = client.get("/scalr/api/v1beta0/user/1/widgets/").query(&[("maxResults", "2")]).send().await;
    assert_eq!(first.status(), StatusCode::OK, "{first}");
    let next = first.pagination().and_then(|pagination| pagination.next).expect("a next link");
    assert!(next.starts_with("/scalr/api/v1beta0/user/1/widgets/?"), "{next}");
    let second = client.get(&next).send().await;
    assert_eq!(second.status(), StatusCode::OK, "{second}");
    assert_eq!(second.data::<Vec<Widget>>().iter().map(|widget| widget.id).collect::<Vec<_>>(), [3, 4]);

    let pages = client.get("/scalr/api/v1beta0/user/1/widgets/").query(&[("maxResults", "2")]).pages().await;
    let ids: Vec<u32> = pages.iter().flat_map(|page| page.data::<Vec<Widget>>()).map(|widget| widget.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);

    let spec = TestClient::new(Router::new().nest("/scalr", api().into_router()));
    assert_eq!(spec_base_path(&spec.get("/scalr/api/user.v1beta0.yml").send().await), "/scalr/api/v1beta0/user");
    assert_eq!(spec_base_path(&spec.get("/scalr/api/global.v1beta0.yaml").send().await), "/scalr/api/v1beta0/global");
}

#[tokio::test]
async fn at_the_root_the_spec_and_links_have_no_prefix() {
    let client = signed(api().into_router());
    assert_eq!(spec_base_path(&client.get("/api/user.v1beta0.yml").send().await), "/api/v1beta0/user");
    let first = client.get("/api/v1beta0/user/1/widgets/?maxResults=4").send().await;
    let next = first.pagination().and_then(|pagination| pagination.next).expect("a next link");
    assert!(next.starts_with("/api/v1beta0/user/1/widgets/?"), "{next}");
}

#[tokio::test]
async fn a_signature_over_the_path_without_the_prefix_is_refused() {
    let client = signed(Router::new().nest("/scalr", api().into_router()));
    // Signed over `/api/...` but sent to `/scalr/api/...`: the server verifies what was sent.
    let signer = scalr_endpoints::auth::Signer::new(KEY_ID, Secret::new(SECRET)).unwrap();
    let headers = signer.sign("GET", "/api/v1beta0/user/1/widgets/2/", None, b"", chrono::Utc::now());
    let unsigned = client.clone().unsigned();
    let mut request = unsigned.get("/scalr/api/v1beta0/user/1/widgets/2/");
    for (name, value) in headers.iter() {
        request = request.header(name, value.clone());
    }
    request.send().await.assert_error(ErrorCode::BadAuthentication, "Signature does not match");
}

#[tokio::test]
async fn merged_beside_a_service_with_its_own_fallback_both_answer() {
    let service = Router::new()
        .route("/health", get(|| async { "ok" }))
        .fallback(|| async { (StatusCode::NOT_FOUND, "the service has no such page") })
        .merge(api().into_router());
    let client = signed(service);

    let health = client.get("/health").send().await;
    assert_eq!((health.status(), health.body()), (StatusCode::OK, &b"ok"[..]));
    let widget = client.get("/api/v1beta0/user/1/widgets/1/").send().await;
    assert_eq!(widget.data::<Widget>().id, 1);

    let elsewhere = client.get("/nowhere").send().await;
    assert_eq!((elsewhere.status(), elsewhere.body()), (StatusCode::NOT_FOUND, &b"the service has no such page"[..]));
    assert!(elsewhere.headers().get("x-request-id").is_none(), "the service's own 404 is not an envelope");

    for path in ["/api/nowhere", "/api/v1beta0/user/1/nothing/", "/api/", "/api"] {
        client
            .get(path)
            .send()
            .await
            .assert_error(ErrorCode::EndpointNotFound, scalr_endpoints::ENDPOINT_NOT_FOUND_MESSAGE);
    }
    // The API's routes answer other methods with the envelope too, not with the service's 405.
    client
        .delete("/api/v1beta0/user/1/widgets/1/")
        .send()
        .await
        .assert_error(ErrorCode::EndpointNotFound, scalr_endpoints::ENDPOINT_NOT_FOUND_MESSAGE);
}

#[tokio::test]
async fn the_api_alone_answers_every_unknown_path_with_an_envelope() {
    let client = TestClient::new(api().into_router());
    client
        .get("/favicon.ico")
        .send()
        .await
        .assert_error(ErrorCode::EndpointNotFound, scalr_endpoints::ENDPOINT_NOT_FOUND_MESSAGE);
}

#[tokio::test]
async fn a_timeout_inside_the_envelope_answers_503_with_the_request_id() {
    let api = api().layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_millis(50)));
    let client = signed(api.into_router()).debug(true);
    let response = client.get("/api/v1beta0/global/slow/").send().await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{response}");
    assert_eq!(response.errors(), [ApiError::new(ErrorCode::ServiceUnavailable, "The request timed out.")]);
    assert_eq!(response.json()["meta"]["requestId"], response.request_id().to_string());
    assert!(response.string_to_sign().is_some_and(|text| text.starts_with("GET\n")), "{response}");
}

/// A layer whose service panics as it is called, before it has a future to return.
#[derive(Clone)]
struct PanicsWhenCalled;

impl<S> tower::Layer<S> for PanicsWhenCalled {
    type Service =
        tower::util::BoxCloneSyncService<axum::extract::Request, axum::response::Response, std::convert::Infallible>;

    fn layer(&self, _inner: S) -> Self::Service {
        tower::util::BoxCloneSyncService::new(tower::service_fn(
            |_request: axum::extract::Request| -> std::future::Ready<_> { panic!("the layer broke") },
        ))
    }
}

#[tokio::test]
async fn a_layer_that_panics_answers_500_with_the_request_id() {
    // Inside a router, the layer's service is called as its route's future runs.
    let client = signed(api().layer(PanicsWhenCalled).into_router());
    let response = client.get("/api/v1beta0/user/1/widgets/1/").send().await;
    response.assert_error(ErrorCode::InternalServerError, "Server Error");
    assert_eq!(response.json()["meta"]["requestId"], response.request_id().to_string());
    // The router serves the next request as it did the first.
    client
        .get("/api/v1beta0/user/1/widgets/1/")
        .send()
        .await
        .assert_error(ErrorCode::InternalServerError, "Server Error");
    // Right under the envelope layer, it is called before there is a future to poll.
    let service = tower::Layer::layer(&EnvelopeLayer, tower::Layer::layer(&PanicsWhenCalled, ()));
    let request = axum::http::Request::get("/api/v1beta0/user/1/widgets/1/").body(axum::body::Body::empty()).unwrap();
    let Ok(response) = tower::ServiceExt::oneshot(service, request).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["errors"][0]["code"], "InternalServerError");
}

#[tokio::test]
async fn load_shedding_inside_the_envelope_answers_503() {
    let shedding = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(|_: tower::BoxError| async {
            ApiError::new(ErrorCode::ServiceUnavailable, "The service is overloaded; retry later.")
        }))
        .load_shed()
        // A router's layers wrap each route on its own: the global limit shares one count.
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(1));
    let router = api().layer(shedding).into_router();
    let client = signed(router);
    let busy = client.get("/api/v1beta0/global/slow/");
    let (slow, refused) = tokio::join!(tokio::time::timeout(Duration::from_millis(300), busy.send()), async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        client.get("/api/v1beta0/user/1/widgets/1/").send().await
    });
    assert!(slow.is_err(), "the slow request was still running");
    refused.assert_error(ErrorCode::ServiceUnavailable, "The service is overloaded; retry later.");
}

#[tokio::test]
async fn outer_layers_see_the_finished_envelope() {
    let router = api()
        .into_router()
        .layer(CompressionLayer::new())
        .layer(CorsLayer::permissive())
        .layer(TraceLayer::new_for_http());
    let client = TestClient::new(router);
    let response = client
        .get("/api/v1beta0/user/1/widgets/")
        .header(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"))
        .header(header::ORIGIN, HeaderValue::from_static("https://console.example"))
        .send()
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let mut text = String::new();
    flate2::read::GzDecoder::new(response.body()).read_to_string(&mut text).expect("a gzip body");
    let envelope: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(envelope["errors"][0]["code"], "BadAuthentication");
    assert_eq!(envelope["meta"]["requestId"], response.request_id().to_string());
}

#[tokio::test]
async fn an_envelope_layer_applied_twice_writes_one_envelope() {
    let router = api().into_router().layer(EnvelopeLayer);
    let client = signed(router);
    let response = client.get("/api/v1beta0/user/1/widgets/9/").send().await;
    response.assert_error(ErrorCode::ObjectNotFound, "No such widget.");
    assert_eq!(response.headers().get_all("x-request-id").iter().count(), 1);
    let success = client.get("/api/v1beta0/user/1/widgets/1/").send().await;
    assert_eq!(success.json()["meta"]["requestId"], success.request_id().to_string());
}

/// Every kind of rejection after authentication, with `X-Scalr-Debug: 1`: the envelope says
/// what was signed. (Routing comes first, as in Scalr: an unknown endpoint is refused before any
/// signature is verified, so its envelope has nothing signed to show.)
#[tokio::test]
async fn every_rejection_carries_the_debug_string_to_sign() {
    let router = api()
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_millis(50)))
        .into_router();
    let client = signed(router).debug(true);
    let cases: &[(&str, &str, ErrorCode)] = &[
        ("framework check (paging)", "/api/v1beta0/user/1/widgets/?maxResults=0", ErrorCode::InvalidValue),
        ("Filters", "/api/v1beta0/user/1/widgets/?foo=bar", ErrorCode::InvalidStructure),
        ("environment", "/api/v1beta0/user/7/widgets/", ErrorCode::ObjectNotFound),
        ("handler", "/api/v1beta0/user/1/widgets/9/", ErrorCode::ObjectNotFound),
        ("Identity permission", "/api/v1beta0/global/secret/", ErrorCode::PermissionViolation),
        ("user extractor", "/api/v1beta0/global/tenant/", ErrorCode::InvalidValue),
        ("foreign axum rejection", "/api/v1beta0/global/limited/?limit=x", ErrorCode::BadRequest),
        ("panic", "/api/v1beta0/global/broken/", ErrorCode::InternalServerError),
        ("tower layer", "/api/v1beta0/global/slow/", ErrorCode::ServiceUnavailable),
    ];
    for (kind, path, code) in cases {
        let response = client.get(path).send().await;
        let (path_only, query) = path.split_once('?').unwrap_or((*path, ""));
        assert_eq!(response.errors().first().map(ApiError::code), Some(*code), "{kind}: {response}");
        let signed = response.string_to_sign().unwrap_or_else(|| panic!("{kind}: no stringToSign in {response}"));
        let lines: Vec<&str> = signed.split('\n').collect();
        assert_eq!(lines[0], "GET", "{kind}");
        assert_eq!(lines[2], path_only, "{kind}");
        assert_eq!(lines[3], query, "{kind}");
    }
}

#[tokio::test]
async fn without_debug_no_rejection_shows_the_string_to_sign() {
    let client = signed(api().into_router());
    let response = client.get("/api/v1beta0/user/1/widgets/?foo=bar").send().await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.string_to_sign(), None);
    assert_eq!(response.json()["meta"].as_object().map(|meta| meta.len()), Some(1));
}

#[tokio::test]
async fn the_specs_of_a_merged_api_are_served_unauthenticated() {
    let service = Router::new().route("/", get(|| async { "home" })).merge(api().into_router());
    let client = TestClient::new(service);
    assert_eq!(spec_base_path(&client.get("/api/account.v1beta0.yml").send().await), "/api/v1beta0/account");
    let spec = api().spec(Scope::Global);
    assert!(spec["paths"]["/slow/"]["get"].is_object());
}

#[tokio::test]
async fn an_empty_segment_never_matches_a_route() {
    let client = signed(api().into_router());
    for path in ["/api/v1beta0/user//widgets/", "/api/v1beta0/user//widgets/1/", "/api/v1beta0/user/1/widgets//"] {
        client
            .get(path)
            .send()
            .await
            .assert_error(ErrorCode::EndpointNotFound, scalr_endpoints::ENDPOINT_NOT_FOUND_MESSAGE);
    }
    // Refused before authentication, like any unknown endpoint.
    let unsigned = TestClient::new(api().into_router());
    unsigned
        .get("/api/v1beta0/user//widgets/")
        .send()
        .await
        .assert_error(ErrorCode::EndpointNotFound, scalr_endpoints::ENDPOINT_NOT_FOUND_MESSAGE);
}

#[tokio::test]
async fn a_method_the_route_does_not_answer_has_no_allow_header() {
    let client = signed(api().into_router());
    for method in ["DELETE", "PUT", "PATCH", "POST"] {
        let response = client.request(method.parse().unwrap(), "/api/v1beta0/user/1/widgets/1/").send().await;
        response.assert_error(ErrorCode::EndpointNotFound, scalr_endpoints::ENDPOINT_NOT_FOUND_MESSAGE);
        assert!(response.headers().get(header::ALLOW).is_none(), "{method}: {:?}", response.headers());
    }
}
