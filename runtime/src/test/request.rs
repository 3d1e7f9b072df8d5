//! [`TestRequest`]: one request of a [`TestClient`], built, signed and sent.

use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, Method, Request, header};
use serde::Serialize;
use tower::ServiceExt;

use super::{TestClient, TestResponse};

/// How many pages [`TestRequest::pages`] follows before it decides the links go round in a
/// circle.
const MOST_PAGES: usize = 10_000;

/// A request being built: add a query, a body or headers, then [`send`](TestRequest::send) it.
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct TestRequest<'c> {
    client: &'c TestClient,
    method: Method,
    target: String,
    body: Bytes,
    content_type: Option<HeaderValue>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl<'c> TestRequest<'c> {
    pub(super) fn new(client: &'c TestClient, method: Method, path: &str) -> Self {
        Self { client, method, target: path.to_owned(), body: Bytes::new(), content_type: None, headers: Vec::new() }
    }

    /// Adds query parameters, form-encoded, after any already in the path.
    pub fn query<K: AsRef<str>, V: AsRef<str>>(mut self, pairs: &[(K, V)]) -> Self {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs {
            query.append_pair(key.as_ref(), value.as_ref());
        }
        let query = query.finish();
        if !query.is_empty() {
            let separator = if self.target.contains('?') { '&' } else { '?' };
            self.target.push(separator);
            self.target.push_str(&query);
        }
        self
    }

    /// Sends `body` as JSON (`Content-Type: application/json`).
    ///
    /// # Panics
    ///
    /// When `body` cannot be serialised as JSON (a map with non-string keys, say).
    pub fn json<T: Serialize + ?Sized>(self, body: &T) -> Self {
        let bytes = serde_json::to_vec(body).expect("the test body serialises as JSON");
        self.body(bytes, "application/json")
    }

    /// Sends `bytes` exactly as given, declared as `content_type`.
    pub fn body(mut self, bytes: impl Into<Bytes>, content_type: &str) -> Self {
        self.body = bytes.into();
        self.content_type = HeaderValue::from_str(content_type).ok();
        self
    }

    /// Sets a header, replacing any value the client would send for it: also one of the
    /// signature's, to test how the server takes a tampered request.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Sends the request through the router, signed if the client signs.
    pub async fn send(self) -> TestResponse {
        let client = self.client;
        let request = self.build();
        let response = client.router.clone().oneshot(request).await.unwrap_or_else(|never| match never {});
        TestResponse::read(response).await
    }

    /// Sends the request, then follows each response's `pagination.next` link, signed the same
    /// way, until a page has none: the responses of every page, in order. A page that is not a
    /// `200` list ends the walk and is the last response.
    ///
    /// # Panics
    ///
    /// After 10,000 pages, since the links would then go round in a circle.
    pub async fn pages(self) -> Vec<TestResponse> {
        let client = self.client;
        let mut pages = vec![self.send().await];
        while let Some(next) = pages.last().and_then(TestResponse::next_link) {
            assert!(pages.len() < MOST_PAGES, "more than {MOST_PAGES} pages: the `next` links go round in a circle");
            pages.push(client.get(&next).send().await);
        }
        pages
    }

    fn build(self) -> Request<Body> {
        let mut request = Request::new(Body::from(self.body.clone()));
        *request.method_mut() = self.method;
        *request.uri_mut() =
            self.target.parse().unwrap_or_else(|_| panic!("{:?} is not a request target", self.target));
        if let Some(content_type) = self.content_type {
            request.headers_mut().insert(header::CONTENT_TYPE, content_type);
        }
        if let Some(signer) = self.client.signer() {
            let uri = request.uri();
            let headers =
                signer.sign(request.method().as_str(), uri.path(), uri.query(), &self.body, self.client.clock.now());
            headers.apply_to(request.headers_mut());
        }
        for (name, value) in self.headers {
            request.headers_mut().insert(name, value);
        }
        request
    }
}
