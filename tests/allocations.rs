//! How many heap allocations the framework, and the copy server's access line, add to a
//! request, counted exactly: allocation counts do not drift with the machine's load as times
//! do, so a change that makes every request allocate more fails here, however noisy the
//! benchmarks are.
//!
//! The test binary counts every allocation its thread makes; the routers run on that thread
//! (tokio's current-thread runtime), so one request's count is the difference across it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use axum::Router;
use axum::body::Body as HttpBody;
use axum::http::{Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use tower::ServiceExt;

use scalr_copy_server::testing::demo_server::DemoDatabase;

/// The system allocator, counting the allocations (and reallocations) of each thread.
struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count_one() {
    // A thread being torn down has no counter left; its allocations do not matter here.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

// SAFETY: every call is forwarded to the system allocator unchanged; counting allocates nothing.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's guarantees for `layout` are `System.alloc`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from `System` with `layout`, as the caller guarantees.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        count_one();
        // SAFETY: as for `dealloc`, and `size` is the caller's valid new size.
        unsafe { System.realloc(pointer, layout, size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// The allocations the copy server's unknown-route answer makes (404 envelope, request id,
/// context; no subscriber, so no span), measured when the change that bounds it was made. Raising it needs a reason in the commit that does.
const UNKNOWN_ROUTE_ALLOCATIONS: u64 = 27;

/// The load benchmark's bare route: a fixed JSON body.
async fn fixed_body() -> Response {
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "application/json")], "{}").into_response()
}

/// The allocations of one request to `path`, from handing it to the router to holding the
/// whole body.
async fn allocations_of(router: &Router, path: &str) -> u64 {
    let request = Request::get(path).body(HttpBody::empty()).expect("a request");
    let before = ALLOCATIONS.get();
    let response = router.clone().oneshot(request).await.expect("routers are infallible");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.into_body().collect().await.expect("a readable body").to_bytes();
    let allocations = ALLOCATIONS.get() - before;
    drop(body);
    allocations
}

#[tokio::test(flavor = "current_thread")]
async fn an_unknown_route_allocates_no_more_than_it_did() {
    let database = DemoDatabase::new().await;
    let copy_server = database.router();
    let bare = Router::new().route("/floor", axum::routing::get(fixed_body));
    // The first requests fill lazily made things (the runtime's, the router's); count the third.
    let mut counts = (0, 0);
    for _ in 0..3 {
        counts = (allocations_of(&bare, "/floor").await, allocations_of(&copy_server, "/api/v1beta0/unknown").await);
    }
    let (bare, unknown) = counts;
    println!("allocations per request: bare axum route {bare}, the copy server's unknown route {unknown}");
    assert!(
        unknown <= UNKNOWN_ROUTE_ALLOCATIONS,
        "the unknown route now makes {unknown} allocations per request, more than the {UNKNOWN_ROUTE_ALLOCATIONS} it made \
         (the bare axum route makes {bare})"
    );
    // The two counts come from the same counter: a counter that saw nothing would pass above.
    assert!(bare > 0 && unknown > bare, "bare {bare}, unknown {unknown}");
}

/// The allocations the copy server's access line adds to the unknown route, measured when
/// `LogLines` was written: the span's fields and their place in the span's extensions. (The fmt
/// layer it replaced added five.) Raising it needs a reason in the commit that does.
const ACCESS_LINE_ALLOCATIONS: u64 = 2;

/// [`allocations_of`] with `subscriber` as the thread's subscriber for the whole request.
async fn logged_allocations_of(router: &Router, path: &str, subscriber: &tracing::Dispatch) -> u64 {
    let _default = tracing::dispatcher::set_default(subscriber);
    allocations_of(router, path).await
}

#[tokio::test(flavor = "current_thread")]
async fn the_access_line_allocates_no_more_than_it_did() {
    use tracing_subscriber::layer::SubscriberExt as _;

    let database = DemoDatabase::new().await;
    let copy_server = database.router();
    // As `copy_server` logs when stderr is not a terminal, into nowhere.
    let (log, _guard) = scalr_copy_server::log_writer::BatchedLog::new(std::io::sink(), "test-log").expect("a thread");
    let lines = tracing::Dispatch::new(
        tracing_subscriber::registry()
            .with(scalr_copy_server::log_filter::LogFilter::parse("info").expect("a level").into_layer())
            .with(scalr_copy_server::log_lines::LogLines::new(log)),
    );
    let fmt = tracing::Dispatch::new(
        tracing_subscriber::registry()
            .with(scalr_copy_server::log_filter::LogFilter::parse("info").expect("a level").into_layer())
            .with(tracing_subscriber::fmt::layer().with_writer(std::io::sink).with_ansi(false)),
    );
    let unknown = "/api/v1beta0/unknown";
    // The first requests fill lazily made things; the shared log buffer grows now and then, so
    // the fewest of the later requests is the line's own count.
    let (mut without, mut with_lines, mut with_fmt) = (u64::MAX, u64::MAX, u64::MAX);
    for round in 0..8 {
        let counts = (
            allocations_of(&copy_server, unknown).await,
            logged_allocations_of(&copy_server, unknown, &lines).await,
            logged_allocations_of(&copy_server, unknown, &fmt).await,
        );
        if round >= 2 {
            without = without.min(counts.0);
            with_lines = with_lines.min(counts.1);
            with_fmt = with_fmt.min(counts.2);
        }
    }
    println!("allocations per unknown-route request: no log {without}, LogLines {with_lines}, fmt layer {with_fmt}");
    // More with a subscriber than without: the counts saw the line being written.
    assert!(with_lines > without, "no log {without}, LogLines {with_lines}");
    assert!(
        with_lines - without <= ACCESS_LINE_ALLOCATIONS,
        "the access line now adds {} allocations to a request, more than the {ACCESS_LINE_ALLOCATIONS} it added \
         (the fmt layer adds {})",
        with_lines - without,
        with_fmt.saturating_sub(without)
    );
}
