//! What `#[scalr_action]` costs at run time: the example's generated copy handler against a
//! hand-written axum handler with the same behaviour (same checks in the same order, same
//! envelope, same layers), both driven in-process through their routers over the same SQLite
//! demo database.
//!
//! ```text
//! cargo bench --bench handler_overhead
//! ```
//!
//! After criterion's report it prints the throughput ratio generated / hand-written.

mod support;

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body as HttpBody;
use axum::http::{Request, header};
use criterion::{Criterion, criterion_group};
use http_body_util::BodyExt;
use tower::ServiceExt;

use scalr_copy_server::testing::demo_server::DemoDatabase;

const SOURCE: &str = "3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c";
const UNKNOWN: &str = "11111111-2222-4333-8444-555555555555";
const BODY: &str = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;
/// Refused by the copy's third check, before the store is read: the framework's share of the
/// work is largest here.
const UNKNOWN_REGION: &str = r#"{"cloudLocation": "mars-north-1", "cloudPlatform": "ec2"}"#;

/// The same copy action, written by hand against axum and the runtime's public pieces.
mod hand_written {
    use axum::Router;
    use axum::extract::{RawPathParams, Request, State};
    use axum::http::{HeaderMap, StatusCode, header};
    use axum::response::{IntoResponse, Response};
    use axum::routing::post;
    use scalr_endpoints::{
        ApiError, Body, DEFAULT_BODY_LIMIT, EnvId, EnvelopeLayer, ErrorCode, Paging, PathParam, QueryParams, RequestId,
    };
    use serde::Serialize;

    use scalr_copy_server::AppState;
    use scalr_copy_server::actions;
    use scalr_copy_server::images::{CloudLocation, ImageId};

    const PATH: &str = "/api/v1beta0/user/{env_id}/images/{image_id}/actions/copy";

    pub fn router(state: AppState) -> Router {
        let not_found = || async { ApiError::endpoint_not_found() };
        Router::new()
            .route(PATH, post(copy_image))
            .route(&format!("{PATH}/"), post(copy_image))
            .fallback(not_found)
            .method_not_allowed_fallback(not_found)
            // The envelope layer also answers a panic.
            .layer(EnvelopeLayer)
            .with_state(state)
    }

    #[derive(Serialize)]
    struct Envelope<'a, T> {
        data: &'a T,
        errors: [(); 0],
        meta: Meta,
        warnings: [(); 0],
    }

    #[derive(Serialize)]
    struct Meta {
        #[serde(rename = "requestId")]
        request_id: RequestId,
    }

    fn is_json(headers: &HeaderMap) -> bool {
        headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|value| {
            value.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/json")
        })
    }

    async fn copy_image(
        State(app): State<AppState>,
        path: RawPathParams,
        request_id: RequestId,
        request: Request,
    ) -> Response {
        let mut values = path.iter().map(|(_, value)| value);
        let (env, image) = (values.next().unwrap_or_default(), values.next().unwrap_or_default());
        let Some(image_id) = ImageId::from_segment(image) else {
            return ApiError::endpoint_not_found().into_response();
        };
        let (parts, body) = request.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, DEFAULT_BODY_LIMIT).await else {
            return ApiError::new(ErrorCode::PayloadTooLarge, "The request body is larger than this endpoint accepts.")
                .into_response();
        };
        if !bytes.is_empty() && !is_json(&parts.headers) {
            return ApiError::new(ErrorCode::BadRequest, "Invalid Content-Type").into_response();
        }
        let digits = !env.is_empty() && env.bytes().all(|b| b.is_ascii_digit());
        let Some(env_id) = env.parse().ok().filter(|_| digits).and_then(EnvId::new) else {
            return ApiError::new(ErrorCode::InvalidValue, "Environment has not been provided with the request")
                .into_response();
        };
        if let Err(error) = Paging::from_query(&QueryParams::parse(parts.uri.query())) {
            return error.into_response();
        }
        let target = match Body::<CloudLocation>::from_json(&bytes) {
            Ok(Body(target)) => target,
            Err(error) => return error.into_response(),
        };
        match actions::copy_image(State(app), env_id, image_id, Body(target)).await {
            Ok(image) => {
                let envelope = Envelope { data: &image, errors: [], meta: Meta { request_id }, warnings: [] };
                let body = serde_json::to_vec(&envelope).expect("an image serialises");
                (StatusCode::CREATED, [(header::CONTENT_TYPE, "application/json")], body).into_response()
            }
            Err(error) => error.into_response(),
        }
    }
}

/// The router `#[scalr_action]` generates, without a key store: the hand-written handler does
/// not authenticate either (`benches/auth.rs` measures authentication).
fn generated(state: scalr_copy_server::AppState) -> Router {
    scalr_copy_server::api().into_router().with_state(state)
}

fn copy_request(image: &str, body: &'static str) -> Request<HttpBody> {
    Request::post(format!("/api/v1beta0/user/1/images/{image}/actions/copy/"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(HttpBody::from(body))
        .expect("a valid request")
}

/// One request of a benchmark case: the image, the body, and the status it must get.
#[derive(Clone, Copy)]
struct Case {
    image: &'static str,
    body: &'static str,
    status: u16,
}

async fn round_trip(router: &Router, case: Case) {
    let response = router.clone().oneshot(copy_request(case.image, case.body)).await.expect("routers never fail");
    assert_eq!(response.status().as_u16(), case.status);
    let body = response.into_body().collect().await.expect("a readable body").to_bytes();
    std::hint::black_box(body);
}

/// Which router a benchmark times.
#[derive(Clone, Copy)]
enum Measured {
    Generated,
    HandWritten,
}

/// Times `iters` round trips on one router. Each timed request is followed by the same request
/// on the other router, untimed, so that both routers are measured under the same conditions:
/// the same growth of their (fresh) demo databases, the same state of the blocking threads that
/// run SQLite. Measured one after the other instead, the two drifted apart by several percent
/// on the store-bound cases while alternating showed no difference.
fn timed(runtime: &tokio::runtime::Runtime, measured: Measured, case: Case, iters: u64) -> Duration {
    let directory = support::database_dir();
    let (one, other) =
        runtime.block_on(async { (DemoDatabase::new_in(&directory).await, DemoDatabase::new_in(&directory).await) });
    let (generated, hand_written) = (generated(one.state()), hand_written::router(other.state()));
    let (timed_router, untimed_router) = match measured {
        Measured::Generated => (&generated, &hand_written),
        Measured::HandWritten => (&hand_written, &generated),
    };
    runtime.block_on(async {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let started = Instant::now();
            round_trip(timed_router, case).await;
            total += started.elapsed();
            round_trip(untimed_router, case).await;
        }
        total
    })
}

const CASES: [(&str, Case); 3] = [
    ("copy_201", Case { image: SOURCE, body: BODY, status: 201 }),
    ("copy_404", Case { image: UNKNOWN, body: BODY, status: 404 }),
    ("copy_400_region", Case { image: SOURCE, body: UNKNOWN_REGION, status: 400 }),
];

fn handlers(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a runtime");
    for (name, case) in CASES {
        let mut group = c.benchmark_group(name);
        group.bench_function("generated", |b| b.iter_custom(|iters| timed(&runtime, Measured::Generated, case, iters)));
        group.bench_function("hand_written", |b| {
            b.iter_custom(|iters| timed(&runtime, Measured::HandWritten, case, iters))
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(8)).warm_up_time(Duration::from_secs(2));
    targets = handlers
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    for (group, _) in CASES {
        if let (Some(generated), Some(hand_written)) = (
            support::typical_nanoseconds(&format!("{group}/generated")),
            support::typical_nanoseconds(&format!("{group}/hand_written")),
        ) {
            println!(
                "{group}: generated {generated:.0} ns, hand-written {hand_written:.0} ns, throughput ratio generated/hand-written = {:.3}",
                hand_written / generated
            );
        }
    }
}
