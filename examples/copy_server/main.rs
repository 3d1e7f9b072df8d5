//! The copy server: a Scalr APIv2 images service (list, get, register, rename, delete and copy
//! images) for signed requests only, keeping its environments, API keys and images in SQLite, or
//! in PostgreSQL, which several instances may share.
//!
//! ```text
//! cargo run --example copy_server -- [--listen 127.0.0.1:8080] [--db copy_server.db | --db postgres://...]
//!     [--log info] [--keys keys.json] [--rate-limit 300] [--cloud simulated|aws] [--cloud-timeout 20]
//!     [--shutdown-timeout 30] [--header-timeout 10] [--body-timeout 30] [--max-connections 1024]
//! ```
//!
//! `--cloud aws` (built with `--features aws`) copies, finds and deregisters images on EC2
//! through the AWS SDK, configured by its standard chain (`AWS_ACCESS_KEY_ID`, `AWS_PROFILE`,
//! `AWS_ENDPOINT_URL`, ...).
//!
//! The service itself is the library crate `scalr-copy-server` next to this file.

use std::error::Error;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use scalr_endpoints::ServeOptions;
use scalr_endpoints::auth::{MemoryKeyStore, RateLimit};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use scalr_copy_server::cloud::{Cloud, SimulatedEc2};
use scalr_copy_server::demo;
use scalr_copy_server::follow::{CopyFollower, FollowOptions};
use scalr_copy_server::images::Image;
use scalr_copy_server::log_filter::LogFilter;
use scalr_copy_server::log_lines::LogLines;
use scalr_copy_server::log_writer::BatchedLog;
use scalr_copy_server::store::{Directory, PostgresOptions, PostgresStore, SqliteOptions, SqliteStore, Store};

/// Serve a Scalr-compatible images API, kept in an SQLite database or in PostgreSQL.
#[derive(Debug, Parser)]
struct Options {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The database: an SQLite file, or a PostgreSQL URL (`postgres://user:password@host/db`),
    /// which several instances may share. A new one starts with a demo environment, its images,
    /// and a demo API key that is printed once.
    #[arg(long, value_name = "FILE|URL", env = "DATABASE_URL", default_value = "copy_server.db")]
    db: String,
    /// What to log to stderr: a level (error, warn, info, debug, trace) or tracing directives.
    #[arg(long, value_name = "LEVEL", env = "RUST_LOG", default_value = "info", value_parser = log_filter)]
    log: String,
    /// A key file (JSON: environments, users, keys) to import into the database at start; a new
    /// database then gets no demo key.
    #[arg(long, value_name = "FILE")]
    keys: Option<PathBuf>,
    /// At most this many requests per API key and UTC minute (`403 LimitExceeded` past it),
    /// counted in the database: instances on one PostgreSQL database share the limit.
    #[arg(long, value_name = "REQUESTS")]
    rate_limit: Option<u32>,
    /// Seconds shutdown (Ctrl-C, SIGTERM) waits for the requests in flight before it closes
    /// their connections.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    shutdown_timeout: f64,
    /// Seconds a client may take to send a request's head (or stay idle between requests).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    header_timeout: f64,
    /// Seconds a client may take to send a request's body.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    body_timeout: f64,
    /// Connections open at once; past it, new clients wait until one closes.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    max_connections: usize,
    /// The cloud images are copied on: `simulated` (new AMI ids, no cloud) or `aws` (EC2 through
    /// the AWS SDK's standard credentials and endpoint chain; needs `--features aws`).
    #[arg(long, value_enum, default_value_t = CloudKind::Simulated)]
    cloud: CloudKind,
    /// Seconds one call to the cloud may take, retries included, before the request answers
    /// `503 ServiceUnavailable` (with `--cloud aws`).
    #[arg(long, value_name = "SECONDS", default_value_t = 20.0)]
    cloud_timeout: f64,
}

/// The backends of `--cloud`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CloudKind {
    /// `SimulatedEc2`: copies get a new `ami-` id at once, nothing leaves the server.
    Simulated,
    /// `Ec2`: the AWS SDK (the `aws` feature).
    Aws,
}

impl Options {
    /// The server's connection limits.
    fn limits(&self) -> Result<ServeOptions, Box<dyn Error>> {
        let seconds = |value: f64, flag: &str| {
            Duration::try_from_secs_f64(value).map_err(|_| format!("--{flag} must be a number of seconds, not {value}"))
        };
        Ok(ServeOptions::new()
            .shutdown_timeout(seconds(self.shutdown_timeout, "shutdown-timeout")?)
            .header_read_timeout(seconds(self.header_timeout, "header-timeout")?)
            .body_read_timeout(seconds(self.body_timeout, "body-timeout")?)
            .max_connections(self.max_connections))
    }

    /// The cloud `--cloud` names.
    async fn cloud(&self) -> Result<Arc<dyn Cloud>, Box<dyn Error>> {
        let timeout =
            Duration::try_from_secs_f64(self.cloud_timeout).ok().filter(|timeout| !timeout.is_zero()).ok_or_else(
                || format!("--cloud-timeout must be a positive number of seconds, not {}", self.cloud_timeout),
            )?;
        match self.cloud {
            CloudKind::Simulated => Ok(Arc::new(SimulatedEc2)),
            CloudKind::Aws => aws(timeout).await,
        }
    }

    /// The PostgreSQL URL `--db` names, if it names one.
    fn postgres_url(&self) -> Option<&str> {
        ["postgres://", "postgresql://"].iter().any(|scheme| self.db.starts_with(scheme)).then_some(self.db.as_str())
    }

    /// The database, as printed: a PostgreSQL URL without its user and password.
    fn database_name(&self) -> String {
        match self.postgres_url() {
            Some(url) => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
                let rest = rest.split_once('?').map_or(rest, |(path, _)| path);
                format!("{scheme}://{rest}")
            }
            None => self.db.clone(),
        }
    }
}

/// EC2 through the AWS SDK's standard chain, each call limited to `timeout`.
#[cfg(feature = "aws")]
async fn aws(timeout: Duration) -> Result<Arc<dyn Cloud>, Box<dyn Error>> {
    use scalr_copy_server::cloud::ec2::{Ec2, Ec2Options};
    Ok(Arc::new(Ec2::from_env(Ec2Options { timeout, ..Ec2Options::default() }).await))
}

/// Without the `aws` feature there is no EC2 backend: say how to get one.
#[cfg(not(feature = "aws"))]
async fn aws(_timeout: Duration) -> Result<Arc<dyn Cloud>, Box<dyn Error>> {
    Err("--cloud aws needs the EC2 backend, which this binary was built without: \
         build it with `cargo run --example copy_server --features aws -- --cloud aws`"
        .into())
}

/// Accepts what `EnvFilter` accepts; `LogFilter` then picks the cheaper filter that means the same.
fn log_filter(text: &str) -> Result<String, String> {
    LogFilter::parse(text).map(|_| text.to_owned())
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = Options::parse();
    // The log lines go to stderr from a thread of their own: a request only appends its line
    // to a buffer, which the thread writes out in one `write` a few milliseconds after its first
    // line (`log_writer`). Nothing is dropped, and the guard writes what is left when `main`
    // returns.
    let (log, _log_guard) = match BatchedLog::new(std::io::stderr(), "copy_server-log") {
        Ok(started) => started,
        Err(error) => {
            eprintln!("copy_server: the log's thread could not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let filter = match LogFilter::parse(&options.log) {
        Ok(filter) => filter.into_layer(),
        Err(error) => {
            eprintln!("copy_server: --log: {error}");
            return ExitCode::FAILURE;
        }
    };
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        // For a person at a terminal: the default format, coloured.
        let format = tracing_subscriber::fmt::layer().with_writer(move || log.clone());
        tracing_subscriber::registry().with(filter).with(format).init();
    } else {
        // The same text, uncoloured, at a fraction of the cost (`log_lines`).
        tracing_subscriber::registry().with(filter).with(LogLines::new(log)).init();
    }
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
    let limits = options.limits()?;
    let cloud = options.cloud().await?;
    // A bad key file stops the server before it changes anything.
    let key_file = options.keys.as_ref().map(MemoryKeyStore::from_json_file).transpose()?;
    let store: Arc<dyn Store> = match options.postgres_url() {
        Some(url) => Arc::new(PostgresStore::open(url, PostgresOptions::default()).await?),
        None => Arc::new(SqliteStore::open(&options.db, SqliteOptions::default()).await?),
    };
    let demo_key = key_file.is_none().then(|| demo::new_key(demo::demo_user()));
    let seed = demo::seed(demo_key.as_ref().map(|(key, _)| key.clone()));
    let images: Vec<Image> = seed.images.iter().map(|(_, image)| image.clone()).collect();
    if store.seed(seed).await? {
        print_demo(&options, &images, demo_key.as_ref().map(|(key, secret)| (key.id.as_str(), secret.as_str())));
    } else {
        println!("database {}: opened", options.database_name());
    }
    if let (Some(path), Some(keys)) = (&options.keys, &key_file) {
        store.import(Directory::from_key_file(keys)).await?;
        println!("API keys from {}: {} imported", path.display(), keys.keys().count());
    }

    if options.cloud == CloudKind::Aws {
        println!("cloud: EC2, through the AWS SDK's standard chain");
    }

    let shutdown = shutdown_signal();
    let listener = tokio::net::TcpListener::bind(options.listen).await?;
    let address = listener.local_addr()?;
    println!("listening on http://{address}");
    println!("API explorer: http://{address}/api/docs/");
    // Follows the copies the cloud is still making, those left pending by a previous run first.
    let follower = CopyFollower::new(Arc::clone(&store), Arc::clone(&cloud), FollowOptions::default()).spawn();
    let state = scalr_copy_server::AppState { store, cloud };
    let rate_limit = options.rate_limit.map(RateLimit::per_minute);
    let served =
        scalr_endpoints::serve(listener, scalr_copy_server::router_with(state, rate_limit), limits, shutdown).await;
    follower.abort();
    served?;
    tracing::info!("stopped");
    Ok(())
}

/// What a new database starts with, and the demo key (once: only its id is kept readable).
fn print_demo(options: &Options, images: &[Image], key: Option<(&str, &str)>) {
    println!(
        "database {}: created, demo environment {} holds {} images:",
        options.database_name(),
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
/// requests in flight are answered, or `--shutdown-timeout` has passed.
///
/// The handlers are installed here, before the server says it listens, so that a signal sent as
/// soon as it does is never met by the default action (which would kill it mid-request).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{SignalKind, signal};
        match (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) {
            (Ok(interrupt), Ok(terminate)) => Some((interrupt, terminate)),
            (Err(error), _) | (_, Err(error)) => {
                tracing::warn!(%error, "cannot listen for Ctrl-C and SIGTERM");
                None
            }
        }
    };
    async move {
        #[cfg(unix)]
        let signal = match handlers {
            Some((mut interrupt, mut terminate)) => tokio::select! {
                _ = interrupt.recv() => "Ctrl-C",
                _ = terminate.recv() => "SIGTERM",
            },
            None => std::future::pending().await,
        };
        #[cfg(not(unix))]
        let signal = match tokio::signal::ctrl_c().await {
            Ok(()) => "Ctrl-C",
            Err(error) => {
                tracing::warn!(%error, "cannot listen for Ctrl-C");
                std::future::pending().await
            }
        };
        tracing::info!(signal, "shutting down: answering the requests in flight");
    }
}
