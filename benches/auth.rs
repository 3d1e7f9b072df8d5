//! What request signing costs the server: verifying one signature alone, and the example's copy
//! action driven in-process through its router with a signed request against the same router
//! without a key store, serving the same request unsigned.
//!
//! ```text
//! cargo bench --bench auth
//! ```
//!
//! After criterion's report it prints the per-request cost of authentication and the ratios.

mod support;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body as HttpBody;
use axum::http::{HeaderMap, Request, header};
use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group};
use http_body_util::BodyExt;
use scalr_endpoints::auth::{DynKeyStore, RateLimit, Secret, StringToSign};
use tower::ServiceExt;

use scalr_copy_server::testing::demo_server::DemoDatabase;

/// An image the demo environment does not hold: the action answers 404 after every framework
/// check, and the store does not grow between iterations.
const UNKNOWN: &str = "11111111-2222-4333-8444-555555555555";
const BODY: &str = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;
const SIGNED_AT: &str = "2026-11-28T23:42:04Z";

fn path() -> String {
    format!("/api/v1beta0/user/1/images/{UNKNOWN}/actions/copy/")
}

fn signed_at() -> DateTime<Utc> {
    SIGNED_AT.parse().expect("a valid date")
}

/// The copy router over a demo database, and the headers that sign the benchmark's request for
/// it.
struct Server {
    router: Router,
    signature: HeaderMap,
    _database: DemoDatabase,
}

impl Server {
    fn unsigned(runtime: &tokio::runtime::Runtime) -> Self {
        let database = runtime.block_on(DemoDatabase::new_in(&support::database_dir()));
        let router = scalr_copy_server::api().into_router().with_state(database.state());
        Self { router, signature: HeaderMap::new(), _database: database }
    }

    fn signed(runtime: &tokio::runtime::Runtime, rate_limit: Option<RateLimit>) -> Self {
        let database = runtime.block_on(DemoDatabase::new_in(&support::database_dir()));
        let keys = Arc::clone(&database.store) as Arc<dyn DynKeyStore>;
        let mut api = scalr_copy_server::api().authenticate(keys).clock(signed_at);
        if let Some(limit) = rate_limit {
            api = api.rate_limit(limit);
        }
        let mut signature = HeaderMap::new();
        database.signer.sign("POST", &path(), None, BODY.as_bytes(), signed_at()).apply_to(&mut signature);
        Self { router: api.into_router().with_state(database.state()), signature, _database: database }
    }

    fn request(&self) -> Request<HttpBody> {
        let mut request = Request::post(path())
            .header(header::CONTENT_TYPE, "application/json")
            .body(HttpBody::from(BODY))
            .expect("a valid request");
        request.headers_mut().extend(self.signature.clone());
        request
    }

    /// Times `iters` round trips, each answered 404 `ObjectNotFound`.
    fn time(&self, runtime: &tokio::runtime::Runtime, iters: u64) -> Duration {
        runtime.block_on(async {
            let started = Instant::now();
            for _ in 0..iters {
                let response = self.router.clone().oneshot(self.request()).await.expect("routers never fail");
                assert_eq!(response.status().as_u16(), 404);
                black_box(response.into_body().collect().await.expect("a readable body").to_bytes());
            }
            started.elapsed()
        })
    }
}

fn verify(c: &mut Criterion) {
    let secret = Secret::new("9yR7oF2vA1kLx3Qp8sTz0cWb4nHm6dJg");
    let path = path();
    let signature = StringToSign::new("POST", SIGNED_AT, &path, None, BODY.as_bytes()).sign(&secret);
    let mut group = c.benchmark_group("auth");
    group.bench_function("verify", |b| {
        b.iter(|| {
            let string = StringToSign::new("POST", black_box(SIGNED_AT), &path, None, black_box(BODY.as_bytes()));
            assert!(string.verify(&secret, black_box(signature.as_bytes())));
        })
    });
    group.finish();
}

fn router(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a runtime");
    let servers = [
        ("unsigned", Server::unsigned(&runtime)),
        ("signed", Server::signed(&runtime, None)),
        ("signed_rate_limited", Server::signed(&runtime, Some(RateLimit::per_minute(u32::MAX)))),
    ];
    let mut group = c.benchmark_group("copy_404");
    for (name, server) in &servers {
        group.bench_function(*name, |b| b.iter_custom(|iters| server.time(&runtime, iters)));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(8)).warm_up_time(Duration::from_secs(2));
    targets = verify, router
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if let Some(verify) = support::typical_nanoseconds("auth/verify") {
        println!("verify alone: {verify:.0} ns");
    }
    let Some(unsigned) = support::typical_nanoseconds("copy_404/unsigned") else { return };
    for signed in ["signed", "signed_rate_limited"] {
        if let Some(time) = support::typical_nanoseconds(&format!("copy_404/{signed}")) {
            println!(
                "copy_404 {signed}: {time:.0} ns, unsigned {unsigned:.0} ns, authentication adds {:.0} ns, time ratio {signed}/unsigned = {:.3}",
                time - unsigned,
                time / unsigned
            );
        }
    }
}
