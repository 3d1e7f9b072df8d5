//! The copy server: a Scalr APIv2 images service (list, get, register, rename, delete and copy
//! images) for signed requests only, keeping its environments, API keys and images in SQLite.
//!
//! ```text
//! cargo run --example copy_server -- [--listen 127.0.0.1:8080] [--db copy_server.db] [--log info] [--keys keys.json]
//! ```
//!
//! The service itself is the library crate `scalr-copy-server` next to this file.

use std::error::Error;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use scalr_endpoints::auth::MemoryKeyStore;
use tracing_subscriber::EnvFilter;

use scalr_copy_server::cloud::SimulatedEc2;
use scalr_copy_server::demo;
use scalr_copy_server::images::Image;
use scalr_copy_server::store::{Directory, SqliteOptions, SqliteStore, Store};

/// Serve a Scalr-compatible images API, kept in an SQLite database.
#[derive(Debug, Parser)]
struct Options {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The SQLite database. A new one starts with a demo environment, its images, and a demo API
    /// key that is printed once.
    #[arg(long, value_name = "FILE", default_value = "copy_server.db")]
    db: PathBuf,
    /// What to log to stderr: a level (error, warn, info, debug, trace) or tracing directives.
    #[arg(long, value_name = "LEVEL", env = "RUST_LOG", default_value = "info", value_parser = log_filter)]
    log: String,
    /// A key file (JSON: environments, users, keys) to import into the database at start; a new
    /// database then gets no demo key.
    #[arg(long, value_name = "FILE")]
    keys: Option<PathBuf>,
}

/// Accepts what `EnvFilter` accepts.
fn log_filter(text: &str) -> Result<String, String> {
    EnvFilter::try_new(text).map(|_| text.to_owned()).map_err(|error| error.to_string())
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = Options::parse();
    // The log lines go to stderr from a thread of their own: a request only hands its line over
    // (the access log would otherwise write to stderr, synchronously, once per request). The
    // writer is not lossy: should stderr fall 128 000 lines behind, requests wait for it rather
    // than lose their lines. The log thread writes through a buffer that it flushes each time
    // it has taken every waiting line, so that a burst of requests costs one `write` and not one
    // per line. The guard flushes what is left when `main` returns.
    let (writer, _log_guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("copy_server-log")
        .finish(std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr()));
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(&options.log))
        .with_writer(writer)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let outcome = serve(options).await;
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("copy_server: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(options: Options) -> Result<(), Box<dyn Error>> {
    // A bad key file stops the server before it changes anything.
    let key_file = options.keys.as_ref().map(MemoryKeyStore::from_json_file).transpose()?;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&options.db, SqliteOptions::default()).await?);
    let demo_key = key_file.is_none().then(|| demo::new_key(demo::demo_user()));
    let seed = demo::seed(demo_key.as_ref().map(|(key, _)| key.clone()));
    let images: Vec<Image> = seed.images.iter().map(|(_, image)| image.clone()).collect();
    if store.seed(seed).await? {
        print_demo(&options, &images, demo_key.as_ref().map(|(key, secret)| (key.id.as_str(), secret.as_str())));
    } else {
        println!("database {}: opened", options.db.display());
    }
    if let (Some(path), Some(keys)) = (&options.keys, &key_file) {
        store.import(Directory::from_key_file(keys)).await?;
        println!("API keys from {}: {} imported", path.display(), keys.keys().count());
    }

    let listener = tokio::net::TcpListener::bind(options.listen).await?;
    let address = listener.local_addr()?;
    println!("listening on http://{address}");
    println!("API explorer: http://{address}/api/docs/");
    let state = scalr_copy_server::AppState { store, cloud: Arc::new(SimulatedEc2) };
    axum::serve(listener, scalr_copy_server::router(state)).with_graceful_shutdown(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// What a new database starts with, and the demo key (once: only its id is kept readable).
fn print_demo(options: &Options, images: &[Image], key: Option<(&str, &str)>) {
    println!(
        "database {}: created, demo environment {} holds {} images:",
        options.db.display(),
        demo::DEMO_ENV,
        images.len()
    );
    for image in images {
        println!(
            "  {}  {:<16} {:<19} {:?}/{:?}",
            image.id,
            image.cloud_location.as_deref().unwrap_or("-"),
            image.name,
            image.scope,
            image.status
        );
    }
    if let Some((key_id, secret)) = key {
        println!(
            "sign requests with this demo key of {} (environment {}, {}):",
            demo::DEMO_USER,
            demo::DEMO_ENV,
            demo::MANAGE_IMAGES
        );
        println!("  export SCALR_API_KEY_ID={key_id} SCALR_API_SECRET_KEY={secret}");
    }
}

/// Resolves on Ctrl-C or SIGTERM: the server then stops accepting connections and exits once the
/// requests in flight are answered.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    let signal = tokio::select! {
        () = ctrl_c => "Ctrl-C",
        () = terminate => "SIGTERM",
    };
    tracing::info!(signal, "shutting down: answering the requests in flight");
}
