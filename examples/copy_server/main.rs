//! The copy server: a Scalr APIv2 images service that implements
//! `POST /api/v1beta0/user/{envId}/images/{imageId}/actions/copy/`.
//!
//! ```text
//! cargo run --example copy_server -- --listen 127.0.0.1:8080
//! ```

mod app;

use std::net::SocketAddr;

use clap::Parser;
use tracing_subscriber::EnvFilter;

/// Serve a Scalr-compatible images API with a demo environment.
#[derive(Debug, Parser)]
struct Options {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let options = Options::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

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

    let listener = tokio::net::TcpListener::bind(options.listen).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app::router(state)).with_graceful_shutdown(shutdown_signal()).await
}

/// Resolves on Ctrl-C, so in-flight requests finish before the server exits.
async fn shutdown_signal() {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::warn!(%error, "cannot listen for Ctrl-C; stop the server with a signal");
        std::future::pending::<()>().await;
    }
}
