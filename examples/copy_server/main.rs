//! The copy server: a Scalr APIv2 images service that implements
//! `POST /api/v1beta0/user/{envId}/images/{imageId}/actions/copy/`, for signed requests only.
//!
//! ```text
//! cargo run --example copy_server -- --listen 127.0.0.1:8080 [--keys keys.json]
//! ```

mod app;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use scalr_endpoints::auth::MemoryKeyStore;
use tracing_subscriber::EnvFilter;

/// Serve a Scalr-compatible images API with a demo environment.
#[derive(Debug, Parser)]
struct Options {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// A key file (JSON: environments, users, keys) to take the API keys from, instead of a
    /// fresh demo key.
    #[arg(long, value_name = "FILE")]
    keys: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = Options::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match serve(options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("copy_server: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(options: Options) -> Result<(), Box<dyn std::error::Error>> {
    // A bad key file stops the server before it prints anything.
    let file_keys = match &options.keys {
        Some(path) => Some((path, MemoryKeyStore::from_json_file(path)?)),
        None => None,
    };
    let state = app::AppState::default();
    let images = app::demo::seed(&state.store);
    println!("demo environment {} holds {} images:", app::demo::DEMO_ENV, images.len());
    for image in &images {
        println!(
            "  {}  {:<16} {:<15} {:?}/{:?}",
            image.id,
            image.cloud_location.as_deref().unwrap_or("-"),
            image.name,
            image.scope,
            image.status
        );
    }

    let keys = match file_keys {
        Some((path, keys)) => {
            println!("API keys from {}", path.display());
            keys
        }
        None => demo_keys(),
    };
    let listener = tokio::net::TcpListener::bind(options.listen).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app::router(state, keys)).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

/// A store with one fresh key of the demo user, printed so that a client can sign with it.
fn demo_keys() -> MemoryKeyStore {
    let user = app::demo::demo_user();
    println!(
        "sign requests with this demo key of {} (environment {}, {}):",
        user.id,
        app::demo::DEMO_ENV,
        app::demo::MANAGE_IMAGES
    );
    let (key, secret) = app::demo::new_key(user);
    println!("  export SCALR_API_KEY_ID={} SCALR_API_SECRET_KEY={secret}", key.id);
    app::demo::key_store([key])
}

/// Resolves on Ctrl-C, so in-flight requests finish before the server exits.
async fn shutdown_signal() {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::warn!(%error, "cannot listen for Ctrl-C; stop the server with a signal");
        std::future::pending::<()>().await;
    }
}
