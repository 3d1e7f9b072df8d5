//! The hand-written axum baseline of the loopback load benchmark (`benches/load/run.sh`), and the
//! signer the benchmark uses to sign its requests to the copy server.
//!
//! ```text
//! cargo run --release --example load_baseline -- serve --db copy_server.db --listen 127.0.0.1:8181
//! cargo run --release --example load_baseline -- sign GET /api/v1beta0/user/1/images/<id>/
//! ```
//!
//! `serve` answers `GET /floor` with a fixed JSON body and no log, and, unsigned, from the same
//! SQLite database as the copy server, in a `{data, errors, meta, warnings}` envelope, with an
//! access log of its own (tower-http's `TraceLayer`, written to stderr through
//! the copy server's batched writer, `scalr_copy_server::log_writer`):
//!
//! - `GET /floor/logged`: the fixed body in the copy server's request span (its four fields) with
//!   its `request finished` line, and nothing else of the copy server: what the access log alone
//!   costs a bare route. With `--log-lines` the lines are written by the copy server's own layer
//!   (`scalr_copy_server::log_lines`) instead of tracing-subscriber's fmt layer;
//! - `GET /api/v1beta0/user/{envId}/images/{imageId}/`: one image;
//! - `GET /api/v1beta0/user/{envId}/images/`: the first page of the images, with its total;
//! - `POST /api/v1beta0/user/{envId}/images/{imageId}/actions/copy/`: the copy's checks in the
//!   copy server's order (body, region, platform, the image, its region, the environment's
//!   platforms), the simulated cloud's copy, and the insertion.

use std::error::Error;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use clap::Parser;
use scalr_endpoints::auth::{KEY_ID_HEADER, Secret, Signer};
use scalr_endpoints::{EnvId, PathParam};
use serde_json::json;
use tower_http::trace::TraceLayer;
use tracing::Instrument as _;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use scalr_copy_server::cloud::{AWS_REGIONS, Cloud, SimulatedEc2};
use scalr_copy_server::images::{COPY_PLATFORM, CloudLocation, ImageId, wire_name};
use scalr_copy_server::log_lines::LogLines;
use scalr_copy_server::log_writer::BatchedLog;
use scalr_copy_server::store::{ImageFilter, Insertion, SqliteOptions, SqliteStore, Store};

/// The baseline server, or the signer of one request.
#[derive(Debug, Parser)]
enum Command {
    /// Serve the baseline routes.
    Serve {
        /// The address to listen on (loopback).
        #[arg(long, default_value = "127.0.0.1:8181")]
        listen: SocketAddr,
        /// The copy server's SQLite database.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Write the log with the copy server's line layer rather than the fmt layer.
        #[arg(long)]
        log_lines: bool,
    },
    /// Print the headers of a signed request, one `Name: value` a line, for wrk's `-H`.
    Sign {
        /// The method.
        method: String,
        /// The path, without a query.
        path: String,
        /// The JSON body, for a POST.
        #[arg(long, default_value = "")]
        body: String,
        /// The API key id.
        #[arg(long, env = "SCALR_API_KEY_ID")]
        key_id: String,
        /// The API secret key.
        #[arg(long, env = "SCALR_API_SECRET_KEY", hide_env_values = true)]
        secret_key: String,
    },
}

fn main() -> Result<(), Box<dyn Error>> {
    match Command::parse() {
        Command::Serve { listen, db, log_lines } => serve(listen, db, log_lines),
        Command::Sign { method, path, body, key_id, secret_key } => {
            let signer = Signer::new(&key_id, Secret::new(secret_key))?;
            for (name, value) in signer.sign(&method, &path, None, body.as_bytes(), Utc::now()).iter() {
                println!("{name}: {}", value.to_str()?);
            }
            Ok(())
        }
    }
}

#[tokio::main]
async fn serve(listen: SocketAddr, db: PathBuf, log_lines: bool) -> Result<(), Box<dyn Error>> {
    let (log, _log_guard) = BatchedLog::new(std::io::stderr(), "load_baseline-log")?;
    // The copy server's filter for these directives (`log_filter`): targets and levels only.
    let filter: Targets = "info,tower_http=debug".parse()?;
    if log_lines {
        tracing_subscriber::registry().with(filter).with(LogLines::new(log)).init();
    } else {
        let format = tracing_subscriber::fmt::layer().with_writer(move || log.clone()).with_ansi(false);
        tracing_subscriber::registry().with(filter).with(format).init();
    }
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&db, SqliteOptions::default()).await?);
    let images = axum::Router::new()
        .route("/api/v1beta0/user/{envId}/images/", get(list))
        .route("/api/v1beta0/user/{envId}/images/{imageId}/", get(image))
        .route("/api/v1beta0/user/{envId}/images/{imageId}/actions/copy/", post(copy))
        .layer(TraceLayer::new_for_http())
        .with_state(store);
    let app = axum::Router::new().route("/floor", get(floor)).route("/floor/logged", get(floor_logged)).merge(images);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    axum::serve(listener, app).await?;
    Ok(())
}

/// A fixed JSON body, the size of the copy server's unknown-route envelope.
async fn floor() -> Response {
    let body = r#"{"errors":[{"code":"EndpointNotFound","message":"The endpoint you are trying to access does not exist."}],"meta":{"requestId":"00000000-0000-4000-8000-000000000000"},"warnings":[]}"#;
    (StatusCode::NOT_FOUND, [(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// [`floor`] in a span with the four fields of the copy server's request span, formatted alike,
/// and with its `request finished` line: the access log's own cost, without a framework.
async fn floor_logged(request: Request) -> Response {
    let key_id = request.headers().get(KEY_ID_HEADER).and_then(|value| value.to_str().ok()).unwrap_or("-");
    let span = tracing::info_span!(
        "request",
        request_id = %uuid::Uuid::new_v4(),
        method = %request.method(),
        path = %request.uri().path(),
        key_id = %key_id,
    );
    let started = Instant::now();
    async move {
        let response = floor().await;
        tracing::info!(
            status = response.status().as_u16(),
            latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            "request finished"
        );
        response
    }
    .instrument(span)
    .await
}

/// One image of an environment, unsigned.
async fn image(State(store): State<Arc<dyn Store>>, Path((env_id, image_id)): Path<(u64, String)>) -> Response {
    let (Some(env_id), Some(image_id)) = (EnvId::new(env_id), ImageId::from_segment(&image_id)) else {
        return refused(StatusCode::NOT_FOUND, "ObjectNotFound");
    };
    match store.find_image(env_id, image_id).await {
        Ok(Some(image)) => envelope(StatusCode::OK, json!(image)),
        Ok(None) => refused(StatusCode::NOT_FOUND, "ObjectNotFound"),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The first page of an environment's images, unsigned and unfiltered.
async fn list(State(store): State<Arc<dyn Store>>, Path(env_id): Path<u64>) -> Response {
    let Some(env_id) = EnvId::new(env_id) else { return refused(StatusCode::NOT_FOUND, "ObjectNotFound") };
    match store.list_images(env_id, ImageFilter::default(), scalr_endpoints::Paging::default()).await {
        Ok(page) => {
            let total = page.total();
            let mut response = envelope(StatusCode::OK, json!(page.items()));
            response.headers_mut().insert("x-total", total.into());
            response
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A copy, unsigned, with the copy server's checks in its order.
async fn copy(
    State(store): State<Arc<dyn Store>>,
    Path((env_id, image_id)): Path<(u64, String)>,
    Json(target): Json<CloudLocation>,
) -> Response {
    let (Some(env_id), Some(image_id)) = (EnvId::new(env_id), ImageId::from_segment(&image_id)) else {
        return refused(StatusCode::NOT_FOUND, "ObjectNotFound");
    };
    let (Some(region), Some(platform)) = (target.cloud_location, target.cloud_platform) else {
        return refused(StatusCode::BAD_REQUEST, "InvalidStructure");
    };
    if !AWS_REGIONS.contains(&region.as_str()) || platform != wire_name(&COPY_PLATFORM) {
        return refused(StatusCode::BAD_REQUEST, "InvalidValue");
    }
    let source = match store.find_image(env_id, image_id).await {
        Ok(Some(source)) => source,
        Ok(None) => return refused(StatusCode::NOT_FOUND, "ObjectNotFound"),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    if source.cloud_location.as_deref() == Some(region.as_str()) {
        return refused(StatusCode::BAD_REQUEST, "BadRequest");
    }
    match store.enabled_platforms(env_id).await {
        Ok(platforms) if platforms.contains(&COPY_PLATFORM) => {}
        Ok(_) => return refused(StatusCode::CONFLICT, "NotEnabledPlatform"),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    let Ok(started) = SimulatedEc2.copy_image(&source, &region).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let copy = source.copied_to(region, started.cloud_image_id);
    match store.insert_image(Some(env_id), copy.clone()).await {
        Ok(Insertion::Added) => envelope(StatusCode::CREATED, json!(copy)),
        Ok(Insertion::AlreadyRegistered) => refused(StatusCode::CONFLICT, "UnicityViolation"),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A success envelope.
fn envelope(status: StatusCode, data: serde_json::Value) -> Response {
    let body = json!({"data": data, "errors": [], "meta": {"requestId": uuid::Uuid::new_v4()}, "warnings": []});
    (status, Json(body)).into_response()
}

/// An error envelope with `code`.
fn refused(status: StatusCode, code: &str) -> Response {
    (status, Json(json!({"errors": [{"code": code}], "meta": {}, "warnings": []}))).into_response()
}
