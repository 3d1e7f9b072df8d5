//! What the framework costs a request no action answers, in-process and without the kernel's
//! share: the copy server's router answering an unknown route (404 envelope, request id, span)
//! with no log, again with the example's log (`LogLines`) writing to a sink, and with
//! tracing-subscriber's fmt layer writing the same text, against a bare axum route returning a
//! fixed JSON body of the same size.
//!
//! ```text
//! cargo bench --bench floor
//! ```
//!
//! After criterion's report it prints the per-request times and the throughput ratios over the
//! bare route. The loopback benchmark (`benches/load/run.sh`) measures the same floor over HTTP,
//! where TCP and the load tool add a cost both sides share.

mod support;

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body as HttpBody;
use axum::http::{Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use criterion::{Criterion, criterion_group};
use http_body_util::BodyExt;
use tower::ServiceExt;
use tracing_subscriber::layer::SubscriberExt as _;

use scalr_copy_server::log_filter::LogFilter;
use scalr_copy_server::log_lines::LogLines;
use scalr_copy_server::log_writer::{BatchedLog, FlushGuard};
use scalr_copy_server::testing::demo_server::DemoDatabase;

/// The load baseline's fixed body, the size of the copy server's unknown-route envelope.
async fn fixed_body() -> Response {
    let body = r#"{"errors":[{"code":"EndpointNotFound","message":"The endpoint you are trying to access does not exist."}],"meta":{"requestId":"00000000-0000-4000-8000-000000000000"},"warnings":[]}"#;
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Sends `path` to `router` and reads the whole answer.
async fn round_trip(router: &Router, path: &str) {
    let request = Request::get(path).body(HttpBody::empty()).expect("a request");
    let response = router.clone().oneshot(request).await.expect("routers are infallible");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.into_body().collect().await.expect("a readable body").to_bytes();
    std::hint::black_box(body);
}

/// The copy server's log, as `copy_server` sets it up at its default level when stderr is not a
/// terminal, writing to nowhere; the guard keeps its writing thread.
fn logging_subscriber() -> (impl tracing::Subscriber + Send + Sync, FlushGuard) {
    let (log, guard) = BatchedLog::new(std::io::sink(), "floor-log").expect("the log's thread starts");
    let filter = LogFilter::parse("info").expect("a level").into_layer();
    (tracing_subscriber::registry().with(filter).with(LogLines::new(log)), guard)
}

/// The same lines through tracing-subscriber's fmt layer, which `LogLines` stands in for.
fn fmt_subscriber() -> impl tracing::Subscriber + Send + Sync {
    let filter = LogFilter::parse("info").expect("a level").into_layer();
    tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::sink).with_ansi(false))
}

fn floor(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a runtime");
    let database = runtime.block_on(DemoDatabase::new_in(&support::database_dir()));
    let copy_server = database.router();
    let bare = Router::new().route("/floor", axum::routing::get(fixed_body));
    let time = |router: &Router, path: &'static str, iters: u64| {
        runtime.block_on(async {
            let started = Instant::now();
            for _ in 0..iters {
                round_trip(router, path).await;
            }
            started.elapsed()
        })
    };
    let unknown = "/api/v1beta0/unknown";
    let mut group = c.benchmark_group("floor");
    group.bench_function("bare_axum", |b| b.iter_custom(|iters| time(&bare, "/floor", iters)));
    group.bench_function("unknown_route", |b| b.iter_custom(|iters| time(&copy_server, unknown, iters)));
    let (subscriber, _log_guard) = logging_subscriber();
    tracing::subscriber::with_default(subscriber, || {
        group.bench_function("unknown_route_logged", |b| b.iter_custom(|iters| time(&copy_server, unknown, iters)));
    });
    tracing::subscriber::with_default(fmt_subscriber(), || {
        group.bench_function("unknown_route_fmt_logged", |b| b.iter_custom(|iters| time(&copy_server, unknown, iters)));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(6)).warm_up_time(Duration::from_secs(2));
    targets = floor
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    let Some(bare) = support::typical_nanoseconds("floor/bare_axum") else { return };
    println!("bare axum route: {bare:.0} ns");
    for case in ["unknown_route", "unknown_route_logged", "unknown_route_fmt_logged"] {
        if let Some(nanoseconds) = support::typical_nanoseconds(&format!("floor/{case}")) {
            println!("{case}: {nanoseconds:.0} ns, throughput ratio over the bare route = {:.3}", bare / nanoseconds);
        }
    }
}
