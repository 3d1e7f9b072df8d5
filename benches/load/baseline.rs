//! The hand-written axum baseline of the loopback load benchmark (`benches/load/run.sh`), and the
//! signer the benchmark uses to sign its requests to the copy server.
//!
//! ```text
//! cargo run --release --example load_baseline -- serve --db copy_server.db --listen 127.0.0.1:8181
//! cargo run --release --example load_baseline -- sign GET /api/v1beta0/user/1/images/<id>/
//! ```
//!
//! `serve` answers `GET /floor` with a fixed JSON body and no log, and
//! `GET /api/v1beta0/user/{envId}/images/{imageId}/` unsigned from the same SQLite database as the
//! copy server, in a `{data, errors, meta, warnings}` envelope, with an access log of its own:
//! tower-http's `TraceLayer`, written to stderr through tracing-appender's non-blocking writer.

use std::error::Error;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use clap::Parser;
use scalr_endpoints::auth::{Secret, Signer};
use scalr_endpoints::{EnvId, PathParam};
use serde_json::json;
use tower_http::trace::TraceLayer;

use scalr_copy_server::images::ImageId;
use scalr_copy_server::store::{SqliteOptions, SqliteStore, Store};

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
    },
    /// Print the headers of a signed request, one `Name: value` a line, for wrk's `-H`.
    Sign {
        /// The method.
        method: String,
        /// The path, without a query.
        path: String,
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
        Command::Serve { listen, db } => serve(listen, db),
        Command::Sign { method, path, key_id, secret_key } => {
            let signer = Signer::new(&key_id, Secret::new(secret_key))?;
            for (name, value) in signer.sign(&method, &path, None, b"", Utc::now()).iter() {
                println!("{name}: {}", value.to_str()?);
            }
            Ok(())
        }
    }
}

#[tokio::main]
async fn serve(listen: SocketAddr, db: PathBuf) -> Result<(), Box<dyn Error>> {
    let (writer, _log_guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr()));
    tracing_subscriber::fmt().with_env_filter("info,tower_http=debug").with_writer(writer).with_ansi(false).init();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&db, SqliteOptions::default()).await?);
    let images = axum::Router::new()
        .route("/api/v1beta0/user/{envId}/images/{imageId}/", get(image))
        .layer(TraceLayer::new_for_http())
        .with_state(store);
    let app = axum::Router::new().route("/floor", get(floor)).merge(images);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    axum::serve(listener, app).await?;
    Ok(())
}

/// A fixed JSON body, the size of the copy server's unknown-route envelope.
async fn floor() -> Response {
    let body = r#"{"errors":[{"code":"EndpointNotFound","message":"The endpoint you are trying to access does not exist."}],"meta":{"requestId":"00000000-0000-4000-8000-000000000000"},"warnings":[]}"#;
    (StatusCode::NOT_FOUND, [(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// One image of an environment, unsigned.
async fn image(State(store): State<Arc<dyn Store>>, Path((env_id, image_id)): Path<(u64, String)>) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, Json(json!({"errors": [{"code": "ObjectNotFound"}]}))).into_response();
    let (Some(env_id), Some(image_id)) = (EnvId::new(env_id), ImageId::from_segment(&image_id)) else {
        return not_found();
    };
    match store.find_image(env_id, image_id).await {
        Ok(Some(image)) => Json(json!({
            "data": image,
            "errors": [],
            "meta": {"requestId": uuid::Uuid::new_v4()},
            "warnings": [],
        }))
        .into_response(),
        Ok(None) => not_found(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
