//! Requests and replies for the integration tests: drive a router in-process or a server over
//! HTTP, and read its envelopes.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use scalr_endpoints::auth::Signer;
use serde_json::{Value, json};
use tower::ServiceExt;

/// A response, with its body parsed as JSON.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub raw: Vec<u8>,
    pub json: Value,
}

impl Reply {
    /// A response, its body parsed as JSON (`null` when empty).
    pub fn new(status: StatusCode, headers: HeaderMap, raw: Vec<u8>) -> Self {
        let declared_json = headers.get(header::CONTENT_TYPE).is_some_and(|value| value == "application/json");
        let json = if raw.is_empty() || !declared_json {
            Value::Null
        } else {
            serde_json::from_slice(&raw).unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&raw)))
        };
        Self { status, headers, raw, json }
    }

    /// The request id the response carries in its header.
    pub fn request_id(&self) -> &str {
        self.headers.get("x-request-id").expect("every response has a request id").to_str().unwrap()
    }

    /// Asserts that this is exactly the error envelope for `code` and `message` with `status`,
    /// served as JSON with the request id of the header.
    pub fn assert_error(&self, status: u16, code: &str, message: &str) {
        assert_eq!(self.status.as_u16(), status, "status of {}", self.json);
        self.assert_json();
        let expected = json!({
            "errors": [{"code": code, "message": message}],
            "meta": {"requestId": self.request_id()},
            "warnings": [],
        });
        assert_eq!(self.json, expected);
    }

    /// Asserts the response is served as `application/json`.
    pub fn assert_json(&self) {
        assert_eq!(
            self.headers.get(header::CONTENT_TYPE).map(|value| value.to_str().unwrap()),
            Some("application/json"),
            "content type"
        );
    }
}

/// Sends one request through `router`.
pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("the router never fails");
    let status = response.status();
    let headers = response.headers().clone();
    let raw = response.into_body().collect().await.expect("the body can be read").to_bytes().to_vec();
    Reply::new(status, headers, raw)
}

/// Sends one request over HTTP, signed by `signer` now; `body` is JSON.
pub async fn send_http(
    client: &reqwest::Client,
    signer: &Signer,
    method: Method,
    url: &str,
    body: Option<&str>,
) -> Result<Reply, reqwest::Error> {
    let mut request = client.request(method, url);
    if let Some(body) = body {
        request = request.header(header::CONTENT_TYPE, "application/json").body(body.to_owned());
    }
    let mut request = request.build()?;
    signer.sign_reqwest(&mut request, Utc::now()).expect("the body is in memory");
    let response = client.execute(request).await?;
    let (status, headers) = (response.status(), response.headers().clone());
    Ok(Reply::new(status, headers, response.bytes().await?.to_vec()))
}

/// A request with a JSON body.
pub fn json_request(method: Method, uri: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// A request without a body.
pub fn empty_request(method: Method, uri: &str) -> Request<Body> {
    Request::builder().method(method).uri(uri).body(Body::empty()).unwrap()
}

/// A request with a JSON body, signed by `signer` at `at`.
pub fn signed_json_request(signer: &Signer, at: DateTime<Utc>, method: Method, uri: &str, body: &str) -> Request<Body> {
    signed(signer, at, json_request(method, uri, body), body.as_bytes())
}

/// A request without a body, signed by `signer` at `at`.
pub fn signed_empty_request(signer: &Signer, at: DateTime<Utc>, method: Method, uri: &str) -> Request<Body> {
    signed(signer, at, empty_request(method, uri), b"")
}

/// `request` with the headers `signer` makes at `at` for its method, path, query and `body`,
/// the bytes it carries.
fn signed(signer: &Signer, at: DateTime<Utc>, mut request: Request<Body>, body: &[u8]) -> Request<Body> {
    let uri = request.uri().clone();
    signer.sign(request.method().as_str(), uri.path(), uri.query(), body, at).apply_to(request.headers_mut());
    request
}
