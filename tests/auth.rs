//! Request signing end to end, through a router: every row of
//! docs/wire-contract.md#signing-error-table with its exact envelope and in its order, the date
//! window, tampering, debug meta, the environment checks
//! (docs/wire-contract.md#d6-an-unknown-environment-is-objectnotfound), declared permissions,
//! rate limiting, a failing key store, the `Identity` extractor, logging, and requests signed
//! exactly as scalr-ctl and scalr-api sign them.

use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Body as HttpBody;
use axum::http::{HeaderValue, Method, Request, header};
use chrono::{DateTime, TimeDelta, Utc};
use scalr_endpoints::auth::{
    ApiKey, DynKeyStore, Identity, KeyStore, KeyStoreError, MemoryKeyStore, MemoryRateCounter, Minute, RateCounter,
    RateCounterError, RateLimit, Secret, Signer, StringToSign, User, WhenUncounted,
};
use scalr_endpoints::prelude::*;
use scalr_endpoints::{BuildError, ENDPOINT_NOT_FOUND_MESSAGE};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use scalr_copy_server::testing::http::{
    Reply, empty_request, json_request, send, signed_empty_request, signed_json_request,
};

/// The server's time, unless a test moves it.
const NOW: &str = "2026-11-28T23:42:04Z";
/// Alice's secret; the requests of the two real clients below were signed with it.
const ALICE_SECRET: &str = "9yR7oF2vA1kLx3Qp8sTz0cWb4nHm6dJg";

/// Alice may use environments 1 and 2 and manage things.
const ALICE: &str = "APIKALICE00000000001";
/// A reader may use environment 1 only, and holds no permission.
const READER: &str = "APIKREADER0000000001";
/// An old key of Alice's, deactivated.
const RETIRED: &str = "APIKRETIRED000000001";
/// The key of a user who was deactivated.
const SUSPENDED: &str = "APIKSUSPENDED0000001";

const WHOAMI: &str = "/api/v1beta0/user/1/whoami";
const THINGS: &str = "/api/v1beta0/user/1/things/";

const RATE_LIMIT_MESSAGE: &str = "The maximum request rate permitted by the Scalr APIs has been exceeded for your account. For best results, use an increasing or variable sleep interval between requests.";

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Caller {
    key_id: String,
    user_id: String,
    env_id: u64,
}

impl ApiObject for Caller {}

#[derive(Debug, Clone, Serialize, JsonSchema)]
struct Thing {
    name: String,
}

impl ApiObject for Thing {}

#[derive(Debug, Deserialize, JsonSchema)]
struct NewThing {
    name: String,
}

/// Say who calls, from where.
#[scalr_action(get, "whoami")]
async fn whoami(identity: Identity, env_id: EnvId) -> Caller {
    Caller { key_id: identity.key_id().to_owned(), user_id: identity.user().id.clone(), env_id: env_id.get() }
}

/// List things.
#[scalr_action(get, "things/")]
async fn list_things(paging: Paging) -> Page<Thing> {
    paging.page(Vec::new())
}

/// Create a thing.
#[scalr_action(post, "things/", permission = "things:manage")]
async fn create_thing(thing: Body<NewThing>) -> Result<Thing, ApiError> {
    Ok(Thing { name: thing.0.name })
}

/// Answer from the global scope, which has no environment.
#[scalr_action(get, "ping", scope = global)]
async fn ping() -> Result<(), ApiError> {
    Ok(())
}

fn actions() -> ScalrApi {
    ScalrApi::new().action(whoami {}).action(list_things {}).action(create_thing {}).action(ping {})
}

fn now() -> DateTime<Utc> {
    NOW.parse().unwrap()
}

fn env(id: u64) -> EnvId {
    EnvId::new(id).unwrap()
}

fn secret_of(key_id: &str) -> String {
    if key_id == ALICE { ALICE_SECRET.to_owned() } else { format!("the secret of {key_id}") }
}

fn user(id: &str, active: bool, environments: &[u64], permissions: &[&str]) -> User {
    User {
        id: id.to_owned(),
        active,
        environments: environments.iter().map(|id| env(*id)).collect(),
        permissions: permissions.iter().map(|permission| (*permission).to_owned()).collect(),
    }
}

/// Environments 1, 2 and 3 exist; 99 does not.
fn keys() -> MemoryKeyStore {
    let alice = user("alice", true, &[1, 2], &["things:manage"]);
    let key = |id: &str, active: bool, user: &User| ApiKey {
        id: id.to_owned(),
        secret: Secret::new(secret_of(id)),
        active,
        user: user.clone(),
    };
    MemoryKeyStore::new()
        .with_environment(env(1))
        .with_environment(env(2))
        .with_environment(env(3))
        .with_key(key(ALICE, true, &alice))
        .with_key(key(RETIRED, false, &alice))
        .with_key(key(READER, true, &user("reader", true, &[1], &[])))
        .with_key(key(SUSPENDED, true, &user("mallory", false, &[1], &["things:manage"])))
}

fn signer(key_id: &str) -> Signer {
    Signer::new(key_id, Secret::new(secret_of(key_id))).unwrap()
}

/// The API under test, authenticating with [`keys`], on a clock the test controls.
struct Api {
    router: Router,
    clock: Arc<Mutex<DateTime<Utc>>>,
}

impl Api {
    fn new() -> Self {
        Self::with(|api| api)
    }

    fn with(configure: impl FnOnce(ScalrApi) -> ScalrApi) -> Self {
        let clock = Arc::new(Mutex::new(now()));
        let time = Arc::clone(&clock);
        let api = actions().authenticate(keys()).clock(move || *time.lock().unwrap_or_else(PoisonError::into_inner));
        Self { router: configure(api).into_router(), clock }
    }

    fn set_time(&self, at: DateTime<Utc>) {
        *self.clock.lock().unwrap() = at;
    }

    async fn send(&self, request: Request<HttpBody>) -> Reply {
        send(&self.router, request).await
    }

    /// GET `uri` signed by `key_id` at the server's time.
    async fn get(&self, key_id: &str, uri: &str) -> Reply {
        self.send(signed_empty_request(&signer(key_id), now(), Method::GET, uri)).await
    }
}

/// A request with exactly these headers.
fn request(method: Method, uri: &str, headers: &[(&str, &str)], body: &str) -> Request<HttpBody> {
    let mut builder = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(HttpBody::from(body.to_owned())).unwrap()
}

/// A GET of `WHOAMI` signed by Alice now, with one header changed (or removed, for `None`).
fn altered(name: &str, value: Option<&str>) -> Request<HttpBody> {
    let mut request = signed_empty_request(&signer(ALICE), now(), Method::GET, WHOAMI);
    match value {
        Some(value) => {
            request.headers_mut().insert(name.parse::<header::HeaderName>().unwrap(), value.parse().unwrap())
        }
        None => request.headers_mut().remove(name),
    };
    request
}

/// The signature header of a GET of `WHOAMI` signed by Alice now.
fn alice_signature() -> String {
    let request = signed_empty_request(&signer(ALICE), now(), Method::GET, WHOAMI);
    request.headers()["x-scalr-signature"].to_str().unwrap().to_owned()
}

// Rows of docs/wire-contract.md#signing-error-table, in order; each test also shows the row wins
// over the rows after it.

#[tokio::test]
async fn row_1_a_request_without_its_key_id_or_signature_is_unsigned() {
    let api = Api::new();
    for request in [
        altered("x-scalr-key-id", None),
        altered("x-scalr-signature", None),
        altered("x-scalr-key-id", Some("")),
        altered("x-scalr-signature", Some("  ")),
        // Nothing at all: docs/wire-contract.md#signing-row-1 comes before the missing date of
        // docs/wire-contract.md#signing-row-2.
        empty_request(Method::GET, WHOAMI),
    ] {
        api.send(request).await.assert_error(401, "BadAuthentication", "Unsigned request");
    }
}

#[tokio::test]
async fn row_2_a_missing_or_unreadable_date_is_a_bad_request() {
    let api = Api::new();
    let message = "Missing or invalid X-Scalr-Date header";
    api.send(altered("x-scalr-date", None)).await.assert_error(400, "BadRequest", message);
    for date in ["", "yesterday", "2026-11-28T23:42:04", "2026-11-28", "Sat, 28 Nov 2026 23:42:04 GMT", "1795909324"] {
        api.send(altered("x-scalr-date", Some(date))).await.assert_error(400, "BadRequest", message);
    }
    // Before docs/wire-contract.md#signing-row-3.
    let mut request = altered("x-scalr-date", Some("soon"));
    request.headers_mut().insert("x-scalr-signature", HeaderValue::from_static("HMAC-SHA1 abc="));
    api.send(request).await.assert_error(400, "BadRequest", message);
}

#[tokio::test]
async fn row_3_another_signing_scheme_is_an_invalid_signature() {
    let api = Api::new();
    let signature = alice_signature();
    let base64 = signature.strip_prefix("V1-HMAC-SHA256 ").unwrap();
    for value in [
        format!("V1-HMAC-SHA1 {base64}"),
        format!("v1-hmac-sha256 {base64}"),
        format!("V1-HMAC-SHA256:{base64}"),
        base64.to_owned(),
    ] {
        api.send(altered("x-scalr-signature", Some(&value))).await.assert_error(
            401,
            "BadAuthentication",
            "Invalid signature",
        );
    }
    // Before docs/wire-contract.md#signing-row-4.
    let mut request = altered("x-scalr-signature", Some(&format!("AWS4 {base64}")));
    request.headers_mut().insert("x-scalr-key-id", HeaderValue::from_static("APIKNOBODY"));
    api.send(request).await.assert_error(401, "BadAuthentication", "Invalid signature");
}

#[tokio::test]
async fn row_4_an_unknown_or_inactive_key_is_an_invalid_api_key() {
    let api = Api::new();
    let signed_by_stranger =
        signed_empty_request(&Signer::new("APIKNOBODY", Secret::new("anything")).unwrap(), now(), Method::GET, WHOAMI);
    let mut not_text = altered("x-scalr-key-id", None);
    not_text.headers_mut().insert("x-scalr-key-id", HeaderValue::from_bytes(b"APIK\xff").unwrap());
    for request in [signed_by_stranger, api_request_of(RETIRED), not_text] {
        api.send(request).await.assert_error(401, "BadAuthentication", "Invalid API Key");
    }
    // Before docs/wire-contract.md#signing-row-5.
    let expired = signed_empty_request(&signer(RETIRED), now() - TimeDelta::hours(1), Method::GET, WHOAMI);
    api.send(expired).await.assert_error(401, "BadAuthentication", "Invalid API Key");
}

fn api_request_of(key_id: &str) -> Request<HttpBody> {
    signed_empty_request(&signer(key_id), now(), Method::GET, WHOAMI)
}

#[tokio::test]
async fn row_5_a_request_signed_more_than_300_seconds_away_is_expired() {
    let api = Api::new();
    for seconds in [301, -301, 3600, -86_400] {
        let request = signed_empty_request(&signer(ALICE), now() + TimeDelta::seconds(seconds), Method::GET, WHOAMI);
        api.send(request).await.assert_error(401, "BadAuthentication", "Request is expired.");
    }
    for seconds in [300, 299, 0, -299, -300] {
        let request = signed_empty_request(&signer(ALICE), now() + TimeDelta::seconds(seconds), Method::GET, WHOAMI);
        let reply = api.send(request).await;
        assert_eq!(reply.status.as_u16(), 200, "signed {seconds} s from now: {}", reply.json);
    }
    // The window is the server's clock, not the test's: later, the same request has expired.
    api.set_time(now() + TimeDelta::seconds(301));
    api.send(api_request_of(ALICE)).await.assert_error(401, "BadAuthentication", "Request is expired.");
    // Before docs/wire-contract.md#signing-row-6.
    api.set_time(now());
    let forged = Signer::new(ALICE, Secret::new("a guess")).unwrap();
    let request = signed_empty_request(&forged, now() - TimeDelta::seconds(301), Method::GET, WHOAMI);
    api.send(request).await.assert_error(401, "BadAuthentication", "Request is expired.");
}

#[tokio::test]
async fn row_6_a_wrong_secret_or_a_tampered_request_does_not_match() {
    let api = Api::new();
    let message = "Signature does not match";
    let forged = Signer::new(ALICE, Secret::new("a guess")).unwrap();
    api.send(signed_empty_request(&forged, now(), Method::GET, WHOAMI)).await.assert_error(
        401,
        "BadAuthentication",
        message,
    );
    // A key's signature with another key's id.
    let mut swapped = api_request_of(READER);
    swapped.headers_mut().insert("x-scalr-key-id", HeaderValue::from_static(ALICE));
    api.send(swapped).await.assert_error(401, "BadAuthentication", message);

    let alice = signer(ALICE);
    let body = r#"{"name": "a"}"#;
    let tampered = |method: Method, signed_uri: &str, sent_uri: &str, signed_body: &str, sent_body: &str| {
        let signed = signed_json_request(&alice, now(), method.clone(), signed_uri, signed_body);
        let mut sent = json_request(method, sent_uri, sent_body);
        sent.headers_mut().extend(signed.headers().clone());
        sent
    };
    for request in [
        tampered(Method::POST, THINGS, THINGS, body, r#"{"name": "b"}"#),
        tampered(Method::POST, THINGS, THINGS, body, &format!("{body} ")),
        tampered(Method::POST, THINGS, "/api/v1beta0/user/2/things/", body, body),
        // The path is signed as sent: no trailing slash is another path, so is an encoded digit.
        tampered(Method::POST, THINGS, "/api/v1beta0/user/1/things", body, body),
        tampered(Method::POST, THINGS, "/api/v1beta0/user/%31/things/", body, body),
        tampered(Method::POST, &format!("{THINGS}?maxResults=2"), &format!("{THINGS}?maxResults=3"), body, body),
        tampered(Method::POST, THINGS, &format!("{THINGS}?maxResults=3"), body, body),
        tampered(Method::GET, THINGS, THINGS, "", "{}"),
    ] {
        api.send(request).await.assert_error(401, "BadAuthentication", message);
    }
    let mut head = signed_empty_request(&alice, now(), Method::GET, THINGS);
    *head.method_mut() = Method::HEAD;
    let reply = api.send(head).await;
    assert_eq!((reply.status.as_u16(), reply.raw.is_empty()), (401, true), "HEAD signed as GET");
    // Before docs/wire-contract.md#signing-row-7.
    let forged = Signer::new(SUSPENDED, Secret::new("a guess")).unwrap();
    api.send(signed_empty_request(&forged, now(), Method::GET, WHOAMI)).await.assert_error(
        401,
        "BadAuthentication",
        message,
    );
}

#[tokio::test]
async fn what_is_signed_is_what_travels() {
    let api = Api::new();
    let alice = signer(ALICE);
    // The raw path, percent-encoding and all; the route still reads environment 1.
    let encoded = "/api/v1beta0/user/%31/whoami/";
    let reply = api.send(signed_empty_request(&alice, now(), Method::GET, encoded)).await;
    assert_eq!(reply.json["data"]["envId"], 1, "{}", reply.json);
    // The query in any order and encoding that decodes to the same parameters.
    let signed = signed_empty_request(&alice, now(), Method::GET, &format!("{THINGS}?maxResults=2&name=a%20b"));
    let mut sent = empty_request(Method::GET, &format!("{THINGS}?name=a+b&maxResults=1&maxResults=2"));
    sent.headers_mut().extend(signed.headers().clone());
    assert_eq!(api.send(sent).await.status.as_u16(), 200);
    // HEAD is signed as HEAD.
    let head = api.send(signed_empty_request(&alice, now(), Method::HEAD, THINGS)).await;
    assert_eq!(head.status.as_u16(), 200);
}

#[tokio::test]
async fn row_7_an_inactive_user_is_refused() {
    let api = Api::new();
    api.send(api_request_of(SUSPENDED)).await.assert_error(403, "PermissionViolation", "Inactive user status");
}

#[tokio::test]
async fn row_8_a_key_over_its_rate_limit_is_refused_until_the_next_minute() {
    let api = Api::with(|api| api.rate_limit(RateLimit::per_minute(3)));
    for _ in 0..3 {
        assert_eq!(api.send(api_request_of(ALICE)).await.status.as_u16(), 200);
    }
    for _ in 0..2 {
        api.send(api_request_of(ALICE)).await.assert_error(403, "LimitExceeded", RATE_LIMIT_MESSAGE);
    }
    assert_eq!(api.send(api_request_of(READER)).await.status.as_u16(), 200, "each key has its own count");
    // Requests that fail authentication never reach the count.
    let api = Api::with(|api| api.rate_limit(RateLimit::per_minute(1)));
    let forged = Signer::new(ALICE, Secret::new("a guess")).unwrap();
    for _ in 0..3 {
        api.send(signed_empty_request(&forged, now(), Method::GET, WHOAMI)).await.assert_error(
            401,
            "BadAuthentication",
            "Signature does not match",
        );
    }
    assert_eq!(api.send(api_request_of(ALICE)).await.status.as_u16(), 200);
    api.send(api_request_of(ALICE)).await.assert_error(403, "LimitExceeded", RATE_LIMIT_MESSAGE);
    // The next calendar minute starts afresh (23:42:04 -> 23:43:00).
    let next_minute: DateTime<Utc> = "2026-11-28T23:43:00Z".parse().unwrap();
    api.set_time(next_minute);
    let reply = api.send(signed_empty_request(&signer(ALICE), next_minute, Method::GET, WHOAMI)).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
}

#[test]
fn a_rate_limit_needs_a_key_store() {
    let error = actions().rate_limit(RateLimit::default()).try_into_router().unwrap_err();
    assert_eq!(error, BuildError::RateLimitWithoutKeyStore);
    assert_eq!(error.to_string(), "a rate limit counts requests per API key; call `authenticate` with a key store too");
}

#[tokio::test]
async fn row_9_the_content_type_is_checked_after_authentication() {
    let api = Api::new();
    let body = r#"{"name": "a"}"#;
    let signed = signed_json_request(&signer(ALICE), now(), Method::POST, THINGS, body);
    let mut as_text = signed;
    as_text.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    api.send(as_text).await.assert_error(400, "BadRequest", "Invalid Content-Type");
    let unsigned = request(Method::POST, THINGS, &[("content-type", "text/plain")], body);
    api.send(unsigned).await.assert_error(401, "BadAuthentication", "Unsigned request");
}

#[tokio::test]
async fn routing_comes_before_authentication() {
    let api = Api::new();
    api.send(empty_request(Method::GET, "/api/v1beta0/user/1/nothing")).await.assert_error(
        404,
        "EndpointNotFound",
        ENDPOINT_NOT_FOUND_MESSAGE,
    );
}

#[tokio::test]
async fn every_date_form_of_the_clients_verifies() {
    let api = Api::new();
    let secret = Secret::new(ALICE_SECRET);
    for date in [
        "2026-11-28T23:42:04.000Z",
        "2026-11-28T23:42:04Z",
        "2026-11-28T23:42:04.365273+00:00",
        "2026-11-29T05:12:04+05:30",
        "2026-11-29T05:12:04.365273+05:30",
        // Whitespace is removed before signing and reading.
        "2026-11-28T23:42:04 +00:00",
    ] {
        let signature = StringToSign::new("GET", date, WHOAMI, None, b"").sign(&secret);
        let headers = [
            ("x-scalr-key-id", ALICE),
            ("x-scalr-date", date),
            ("x-scalr-signature", &format!("V1-HMAC-SHA256 {signature}")),
        ];
        let reply = api.send(request(Method::GET, WHOAMI, &headers, "")).await;
        assert_eq!(reply.status.as_u16(), 200, "{date}: {}", reply.json);
    }
}

// The two real clients: headers and signatures computed once with each client's own code
// (scalr-ctl 7.16.2 `scalrctl/request.py`, scalr-api 1.0.1 `scalr/api_client.py`) at 2026-11-28
// 23:42:04 UTC, with Alice's key.

#[tokio::test]
async fn scalr_ctl_signatures_verify() {
    let api = Api::new();
    // scalr-ctl sends and signs `{}` on GET, with its JSON Content-Type.
    let get = request(
        Method::GET,
        "/api/v1beta0/user/1/things/?maxResults=2",
        &[
            ("content-type", "application/json; charset=utf-8"),
            ("x-scalr-key-id", ALICE),
            ("x-scalr-date", "2026-11-28T23:42:04.000Z"),
            ("x-scalr-signature", "V1-HMAC-SHA256 SXZhIees8SE89G1pAyZauYQI8oSOvfk9HHPeZf7VzYk="),
        ],
        "{}",
    );
    let reply = api.send(get).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
    let post = request(
        Method::POST,
        THINGS,
        &[
            ("content-type", "application/json; charset=utf-8"),
            ("x-scalr-key-id", ALICE),
            ("x-scalr-date", "2026-11-28T23:42:04.000Z"),
            ("x-scalr-signature", "V1-HMAC-SHA256 Ldavty//Oa5EwxT9LjUTxQE0ELkjwuHnskHusOtdO9U="),
        ],
        r#"{"name": "made by scalr-ctl"}"#,
    );
    let reply = api.send(post).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.json);
    assert_eq!(reply.json["data"], json!({"name": "made by scalr-ctl"}));
}

#[tokio::test]
async fn scalr_api_signatures_verify() {
    let api = Api::new();
    // scalr-api sends no body on GET, and Python's isoformat date with microseconds.
    let get = request(
        Method::GET,
        "/api/v1beta0/user/1/things/?pageNum=1&maxResults=2",
        &[
            ("x-scalr-key-id", ALICE),
            ("x-scalr-date", "2026-11-28T23:42:04.365273+00:00"),
            ("x-scalr-signature", "V1-HMAC-SHA256 JNTa7N3eIs1At+FNkTJnp2Slf6e/IBmPo8zM/80wqcQ="),
        ],
        "",
    );
    let reply = api.send(get).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
    // With TZ set to India, the date carries +05:30.
    let post = request(
        Method::POST,
        THINGS,
        &[
            ("content-type", "application/json"),
            ("x-scalr-key-id", ALICE),
            ("x-scalr-date", "2026-11-29T05:12:04.365273+05:30"),
            ("x-scalr-signature", "V1-HMAC-SHA256 5ecC6BCQkJ0XEEmOrucOY8uupVg+hIBipPFVW6yjSXU="),
        ],
        r#"{"name": "made by scalr-api"}"#,
    );
    let reply = api.send(post).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.json);
}

// Debug output.

fn debug(mut request: Request<HttpBody>) -> Request<HttpBody> {
    request.headers_mut().insert("x-scalr-debug", HeaderValue::from_static("1"));
    request
}

#[tokio::test]
async fn with_debug_every_envelope_carries_the_string_to_sign() {
    let api = Api::new();
    let expected =
        "POST\n2026-11-28T23:42:04.000Z\n/api/v1beta0/user/1/things/\nmaxResults=2&name=a%20b\n{\"name\": \"a\"}";
    let uri = format!("{THINGS}?name=a+b&maxResults=2");
    let body = r#"{"name": "a"}"#;

    let forged = Signer::new(ALICE, Secret::new("a guess")).unwrap();
    let mismatch = api.send(debug(signed_json_request(&forged, now(), Method::POST, &uri, body))).await;
    assert_eq!(mismatch.status.as_u16(), 401);
    assert_eq!(
        mismatch.json,
        json!({
            "errors": [{"code": "BadAuthentication", "message": "Signature does not match"}],
            "meta": {"requestId": mismatch.request_id(), "stringToSign": expected},
            "warnings": [],
        })
    );

    let created = api.send(debug(signed_json_request(&signer(ALICE), now(), Method::POST, &uri, body))).await;
    assert_eq!(created.status.as_u16(), 201);
    assert_eq!(created.json["meta"], json!({"requestId": created.request_id(), "stringToSign": expected}));

    let denied = api.send(debug(signed_json_request(&signer(READER), now(), Method::POST, &uri, body))).await;
    assert_eq!((denied.status.as_u16(), &denied.json["meta"]["stringToSign"]), (403, &json!(expected)));

    // The same requests without the header: the envelopes have no debug meta.
    api.send(signed_json_request(&forged, now(), Method::POST, &uri, body)).await.assert_error(
        401,
        "BadAuthentication",
        "Signature does not match",
    );
    let created = api.send(signed_json_request(&signer(ALICE), now(), Method::POST, &uri, body)).await;
    assert_eq!(created.json["meta"], json!({"requestId": created.request_id()}));
    // Only `1` asks for it.
    let mut zero = signed_json_request(&signer(ALICE), now(), Method::POST, &uri, body);
    zero.headers_mut().insert("x-scalr-debug", HeaderValue::from_static("0"));
    let created = api.send(zero).await;
    assert_eq!(created.json["meta"], json!({"requestId": created.request_id()}));
}

#[tokio::test]
async fn with_debug_the_expiry_message_tells_the_server_time() {
    let api = Api::new();
    let signed_at = now() - TimeDelta::seconds(301);
    let reply = api.send(debug(signed_empty_request(&signer(ALICE), signed_at, Method::GET, WHOAMI))).await;
    assert_eq!(reply.status.as_u16(), 401);
    assert_eq!(
        reply.json["errors"],
        json!([{"code": "BadAuthentication", "message": "Request is expired. Now is 2026-11-28T23:42:04Z"}])
    );
    assert_eq!(reply.json["meta"]["stringToSign"], "GET\n2026-11-28T23:37:03.000Z\n/api/v1beta0/user/1/whoami\n\n");
}

// Environments (docs/wire-contract.md#d6-an-unknown-environment-is-objectnotfound) and
// permissions (docs/wire-contract.md#order-of-checks).

#[tokio::test]
async fn user_scope_checks_the_environment_after_authentication() {
    let api = Api::new();
    api.get(ALICE, "/api/v1beta0/user/99/whoami").await.assert_error(404, "ObjectNotFound", "Invalid environment");
    api.get(ALICE, "/api/v1beta0/user/3/whoami").await.assert_error(
        403,
        "PermissionViolation",
        "You don't have access to the environment.",
    );
    api.get(ALICE, "/api/v1beta0/user/0/whoami").await.assert_error(
        400,
        "InvalidValue",
        "Environment has not been provided with the request",
    );
    // Authentication first: an unsigned request for an unknown environment is unsigned.
    api.send(empty_request(Method::GET, "/api/v1beta0/user/99/whoami")).await.assert_error(
        401,
        "BadAuthentication",
        "Unsigned request",
    );
    let reply = api.get(ALICE, "/api/v1beta0/user/2/whoami").await;
    assert_eq!(reply.json["data"], json!({"keyId": ALICE, "userId": "alice", "envId": 2}));
    // The global scope has no environment to check.
    assert_eq!(api.get(READER, "/api/v1beta0/global/ping").await.status.as_u16(), 200);
}

#[tokio::test]
async fn a_declared_permission_is_checked_after_the_environment_and_paging() {
    let api = Api::new();
    let create =
        |key_id: &str, uri: &str| signed_json_request(&signer(key_id), now(), Method::POST, uri, r#"{"name": "a"}"#);
    api.send(create(READER, THINGS)).await.assert_error(403, "PermissionViolation", "Insufficient Permissions");
    api.send(create(READER, "/api/v1beta0/user/2/things/")).await.assert_error(
        403,
        "PermissionViolation",
        "You don't have access to the environment.",
    );
    api.send(create(READER, &format!("{THINGS}?pageNum=0"))).await.assert_error(
        400,
        "InvalidValue",
        "Page number should be more than 0.",
    );
    let created = api.send(create(ALICE, THINGS)).await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.json);
    assert_eq!(api.get(READER, THINGS).await.status.as_u16(), 200, "no permission declared, none needed");
}

// The key store.

/// A store whose database is down.
struct BrokenStore;

impl KeyStore for BrokenStore {
    async fn key(&self, _key_id: &str) -> Result<Option<Arc<ApiKey>>, KeyStoreError> {
        Err(KeyStoreError::new("database is locked"))
    }

    async fn environment_exists(&self, _env_id: EnvId) -> Result<bool, KeyStoreError> {
        Err(KeyStoreError::new("database is locked"))
    }
}

/// A store whose database cannot be reached for now.
struct UnreachableStore;

impl KeyStore for UnreachableStore {
    async fn key(&self, _key_id: &str) -> Result<Option<Arc<ApiKey>>, KeyStoreError> {
        Err(KeyStoreError::unavailable("connection refused"))
    }

    async fn environment_exists(&self, _env_id: EnvId) -> Result<bool, KeyStoreError> {
        Err(KeyStoreError::unavailable("connection refused"))
    }
}

/// Keys from [`keys`], environments from a database that is down.
struct BrokenEnvironments(MemoryKeyStore);

impl KeyStore for BrokenEnvironments {
    async fn key(&self, key_id: &str) -> Result<Option<Arc<ApiKey>>, KeyStoreError> {
        Ok(self.0.get(key_id))
    }

    async fn environment_exists(&self, _env_id: EnvId) -> Result<bool, KeyStoreError> {
        Err(KeyStoreError::new("database is locked"))
    }
}

/// A rate counter whose database is down.
struct BrokenCounter;

impl RateCounter for BrokenCounter {
    async fn count(&self, _key_id: &str, _minute: Minute) -> Result<u64, RateCounterError> {
        Err(RateCounterError::new("counter table is locked"))
    }
}

#[tokio::test]
async fn a_failing_key_store_is_a_server_error_and_the_detail_is_logged() {
    let logs = Logs::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    for store in [Arc::new(BrokenStore) as Arc<dyn DynKeyStore>, Arc::new(BrokenEnvironments(keys()))] {
        let router = actions().authenticate(store).clock(now).into_router();
        send(&router, api_request_of(ALICE)).await.assert_error(500, "InternalServerError", "Server Error");
    }
    assert_eq!(logs.text().matches("the key store failed: database is locked").count(), 2, "{}", logs.text());
}

#[tokio::test]
async fn an_unreachable_key_store_is_503_and_the_detail_is_logged() {
    let logs = Logs::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    let router = actions().authenticate(UnreachableStore).clock(now).into_router();
    send(&router, api_request_of(ALICE)).await.assert_error(
        503,
        "ServiceUnavailable",
        "The service is currently unavailable.",
    );
    assert!(logs.text().contains("the key store is unavailable: connection refused"), "{}", logs.text());
}

#[tokio::test]
async fn a_failing_rate_counter_refuses_or_admits_as_the_limit_says_and_logs_it() {
    let logs = Logs::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    let refusing =
        actions().authenticate(keys()).clock(now).rate_limit(RateLimit::default()).rate_counter(BrokenCounter);
    send(&refusing.into_router(), api_request_of(ALICE)).await.assert_error(
        503,
        "ServiceUnavailable",
        "The service is currently unavailable.",
    );
    let admitting = actions()
        .authenticate(keys())
        .clock(now)
        .rate_limit(RateLimit::default().when_uncounted(WhenUncounted::Admit))
        .rate_counter(BrokenCounter);
    let admitted = send(&admitting.into_router(), api_request_of(ALICE)).await;
    assert_eq!(admitted.status.as_u16(), 200, "{}", admitted.json);
    let text = logs.text();
    assert!(text.contains("the rate counter failed; the request is refused"), "{text}");
    assert!(text.contains("the rate counter failed; the request is admitted uncounted"), "{text}");
    assert!(text.contains("counter table is locked"), "{text}");
}

/// A counter shared by two routers (two instances of a service) holds one limit for both.
#[tokio::test]
async fn instances_sharing_a_counter_share_the_limit() {
    let counter = Arc::new(MemoryRateCounter::new());
    let instance = || {
        actions()
            .authenticate(keys())
            .clock(now)
            .rate_limit(RateLimit::per_minute(3))
            .rate_counter(Arc::clone(&counter))
            .into_router()
    };
    let (first, second) = (instance(), instance());
    for router in [&first, &second, &first] {
        assert_eq!(send(router, api_request_of(ALICE)).await.status.as_u16(), 200);
    }
    send(&second, api_request_of(ALICE)).await.assert_error(
        403,
        "LimitExceeded",
        "The maximum request rate permitted by the Scalr APIs has been exceeded for your account. For best results, use an increasing or variable sleep interval between requests.",
    );
}

#[tokio::test]
async fn a_huge_claimed_key_id_is_cut_in_the_log() {
    let logs = Logs::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    let api = Api::new();
    let huge = "K".repeat(300 * 1024);
    let forged = Signer::new(&huge, Secret::new("a guess")).unwrap();
    api.send(signed_empty_request(&forged, now(), Method::GET, WHOAMI)).await.assert_error(
        401,
        "BadAuthentication",
        "Invalid API Key",
    );
    let text = logs.text();
    assert!(text.contains(&format!("key_id={}…(307200 bytes)", "K".repeat(64))), "{}", &text[..text.len().min(500)]);
    assert!(text.len() < 4096, "the log grew by {} bytes for one request", text.len());
}

#[tokio::test]
async fn the_key_id_is_logged_and_the_secret_never() {
    let logs = Logs::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    let api = Api::new();
    let forged = Signer::new(ALICE, Secret::new("a guess")).unwrap();
    api.send(debug(signed_empty_request(&forged, now(), Method::GET, WHOAMI))).await;
    api.send(api_request_of(ALICE)).await;
    api.send(empty_request(Method::GET, WHOAMI)).await;
    let text = logs.text();
    assert_eq!(text.matches(&format!("key_id={ALICE}")).count(), 2, "{text}");
    assert!(!text.contains(ALICE_SECRET) && !text.contains("a guess"), "{text}");

    // One line per request, with the request id, the method, the path, the key id, the status
    // and the latency.
    let lines: Vec<&str> = text.lines().filter(|line| line.contains("request finished")).collect();
    assert_eq!(lines.len(), 3, "{text}");
    for (line, (key_id, status)) in lines.iter().zip([(ALICE, 401), (ALICE, 200), ("-", 401)]) {
        for field in [
            "request_id=".to_owned(),
            "method=GET".to_owned(),
            format!("path={WHOAMI}"),
            format!("key_id={key_id}}}"),
            format!("status={status} "),
            "latency_us=".to_owned(),
        ] {
            assert!(line.contains(&field), "{field} in {line}");
        }
    }
}

/// Captures what the `tracing` subscriber writes.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync {
        let logs = self.clone();
        tracing_subscriber::fmt().with_writer(move || logs.clone()).with_ansi(false).finish()
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// The identity extractor.

#[tokio::test]
async fn handlers_learn_who_signed() {
    let api = Api::new();
    let reply = api.get(ALICE, WHOAMI).await;
    assert_eq!(reply.json["data"], json!({"keyId": ALICE, "userId": "alice", "envId": 1}));
    let reply = api.get(READER, WHOAMI).await;
    assert_eq!(reply.json["data"], json!({"keyId": READER, "userId": "reader", "envId": 1}));
}

#[tokio::test]
async fn without_a_key_store_requests_are_not_authenticated_and_identity_is_a_mistake() {
    let router = actions().into_router();
    let created = send(&router, json_request(Method::POST, THINGS, r#"{"name": "a"}"#)).await;
    assert_eq!(created.status.as_u16(), 201, "no key store, no permission check: {}", created.json);
    send(&router, empty_request(Method::GET, WHOAMI)).await.assert_error(500, "InternalServerError", "Server Error");
}
