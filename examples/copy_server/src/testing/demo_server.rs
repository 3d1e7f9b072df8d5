//! The example server for the integration tests and benchmarks: a fresh demo database (SQLite,
//! or PostgreSQL when the environment asks for it: [`Backend::from_env`]), its router, the router
//! served over TCP on an ephemeral port, and the example's binary run as a process of its own.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use scalr_endpoints::EnvId;
use scalr_endpoints::auth::{Secret, Signer, User};
use scalr_endpoints::test::TestClient;
use tempfile::TempDir;

use crate::cloud::SimulatedEc2;
use crate::images::CloudPlatform;
use crate::store::{Directory, Environment, PostgresOptions, PostgresStore, SqliteOptions, SqliteStore, Store};
use crate::{AppState, demo};

/// The environment variable that runs the demo databases of [`DemoDatabase::new`] on PostgreSQL:
/// `COPY_SERVER_TEST_STORE=postgres`, with [`DATABASE_URL`] naming the server.
pub const TEST_STORE: &str = "COPY_SERVER_TEST_STORE";

/// The environment variable naming the PostgreSQL server of the tests
/// (`postgres://user@127.0.0.1:5432/postgres`): each test creates a database of its own there.
pub const DATABASE_URL: &str = "DATABASE_URL";

/// Which store a demo database is kept in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file in a temporary directory.
    Sqlite,
    /// A new database on the PostgreSQL server of this URL.
    Postgres(String),
}

impl Backend {
    /// PostgreSQL on [`DATABASE_URL`] when [`TEST_STORE`] is `postgres`, else SQLite.
    ///
    /// # Panics
    ///
    /// When PostgreSQL is asked for without a `DATABASE_URL`.
    pub fn from_env() -> Self {
        match std::env::var(TEST_STORE).as_deref() {
            Ok("postgres") => Backend::Postgres(
                postgres_url().unwrap_or_else(|| panic!("{TEST_STORE}=postgres needs {DATABASE_URL}=postgres://...")),
            ),
            Ok("sqlite") | Err(_) => Backend::Sqlite,
            Ok(other) => panic!("{TEST_STORE}={other}: expected sqlite or postgres"),
        }
    }
}

/// The PostgreSQL server of the tests, from [`DATABASE_URL`].
pub fn postgres_url() -> Option<String> {
    std::env::var(DATABASE_URL).ok().filter(|url| !url.trim().is_empty())
}

/// The PostgreSQL server of the tests, or `None` after printing that `suite` is skipped: a test
/// that needs PostgreSQL returns at once without one.
pub fn postgres_or_skip(suite: &str) -> Option<String> {
    let url = postgres_url();
    if url.is_none() {
        // Straight to stderr, past the test harness's capture: a plain `cargo test` shows it.
        let line = format!("skipped: no {DATABASE_URL} (PostgreSQL suite: {suite})\n");
        let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    }
    url
}

/// A database of its own on a PostgreSQL server, for one test, dropped with it.
pub struct ScratchDatabase {
    /// Its URL.
    pub url: String,
    server: String,
    name: String,
}

impl ScratchDatabase {
    /// Creates a new, empty database on the server of `server_url`.
    pub async fn create(server_url: &str) -> Self {
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let (client, connection) =
            tokio_postgres::connect(server_url, tokio_postgres::NoTls).await.expect("the PostgreSQL server answers");
        let connection = tokio::spawn(connection);
        client.batch_execute(&format!("CREATE DATABASE {name}")).await.expect("a new database");
        drop(client);
        let _ = connection.await;
        Self { url: with_database(server_url, &name), server: server_url.to_owned(), name }
    }

    /// A connection to this database, for a test to read or change it directly.
    pub async fn connect(&self) -> tokio_postgres::Client {
        let (client, connection) =
            tokio_postgres::connect(&self.url, tokio_postgres::NoTls).await.expect("the test database answers");
        tokio::spawn(connection);
        client
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot be blocked on: another thread with a
        // runtime of its own drops the database, ending the connections still open to it.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            runtime.block_on(async {
                let (client, connection) = tokio_postgres::connect(&server, tokio_postgres::NoTls).await?;
                tokio::spawn(connection);
                client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await
            })
        });
        if let Ok(Err(error)) = dropped.join() {
            eprintln!("cannot drop the test database {}: {error}", self.name);
        }
    }
}

/// `url` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let (location, query) = rest.split_once('?').map_or((rest, None), |(location, query)| (location, Some(query)));
    let authority = location.split_once('/').map_or(location, |(authority, _)| authority);
    match query {
        Some(query) => format!("{scheme}://{authority}/{name}?{query}"),
        None => format!("{scheme}://{authority}/{name}"),
    }
}

/// A demo database in a temporary directory of its own (or a PostgreSQL database of its own),
/// and the demo user's key to sign with.
pub struct DemoDatabase {
    /// The store on the database.
    pub store: Arc<dyn Store>,
    /// The SQLite file, when the store is SQLite.
    sqlite_path: Option<PathBuf>,
    /// The PostgreSQL database, when the store is PostgreSQL.
    pub postgres: Option<ScratchDatabase>,
    /// The demo key's id.
    pub key_id: String,
    /// Signs with the demo key.
    pub signer: Signer,
    /// The demo key's secret.
    pub secret: String,
    /// The directory, removed on drop.
    pub dir: TempDir,
}

impl DemoDatabase {
    /// The demo seed, with a key of the demo user, in the store [`Backend::from_env`] names.
    pub async fn new() -> Self {
        Self::on(Backend::from_env(), &std::env::temp_dir()).await
    }

    /// The demo seed in SQLite, in a new directory under `parent`: benchmarks put it in memory
    /// (`/dev/shm`), so that disk latency does not blur what they compare.
    pub async fn new_in(parent: &Path) -> Self {
        Self::on(Backend::Sqlite, parent).await
    }

    /// The demo seed in `backend` (an SQLite file goes in a new directory under `parent`).
    pub async fn on(backend: Backend, parent: &Path) -> Self {
        let dir = tempfile::tempdir_in(parent).expect("a temporary directory");
        let (store, sqlite_path, postgres): (Arc<dyn Store>, _, _) = match backend {
            Backend::Sqlite => {
                let path = dir.path().join("images.db");
                let store = SqliteStore::open(&path, SqliteOptions::default()).await.expect("a new database opens");
                (Arc::new(store), Some(path), None)
            }
            Backend::Postgres(server) => {
                let database = ScratchDatabase::create(&server).await;
                let options = PostgresOptions { connections: 8, ..PostgresOptions::default() };
                let store = PostgresStore::open(&database.url, options).await.expect("a new database opens");
                (Arc::new(store), None, Some(database))
            }
        };
        let (key, secret) = demo::new_key(demo::demo_user());
        let key_id = key.id.clone();
        assert!(store.seed(demo::seed(Some(key))).await.expect("the seed is written"), "a new database is seeded");
        let signer = Signer::new(&key_id, Secret::new(secret.clone())).expect("a valid key id");
        Self { store, sqlite_path, postgres, key_id, signer, secret, dir }
    }

    /// The SQLite file, when the store is SQLite (tests of SQLite's own behaviour need it).
    pub fn sqlite_path(&self) -> Option<&Path> {
        self.sqlite_path.as_deref()
    }

    /// Adds environment `id` with `platforms` enabled.
    pub async fn add_environment(&self, id: u64, platforms: Vec<CloudPlatform>) {
        let id = EnvId::new(id).expect("a positive id");
        let environment = Environment { id, name: format!("env-{id}"), platforms };
        self.import(Directory { environments: vec![environment], keys: Vec::new() }).await;
    }

    /// Adds a fresh key of `user` (whose environments exist); its id and a signer.
    pub async fn add_key(&self, user: User) -> (String, Signer) {
        let (key, secret) = demo::new_key(user);
        let key_id = key.id.clone();
        self.import(Directory { environments: Vec::new(), keys: vec![key] }).await;
        let signer = Signer::new(&key_id, Secret::new(secret)).expect("a valid key id");
        (key_id, signer)
    }

    /// An in-process client of the router, signing with the demo key.
    pub fn client(&self) -> TestClient {
        TestClient::new(self.router()).signed(&self.key_id, &self.secret)
    }

    /// An in-process client of the router, signing with a fresh key of `user` (whose
    /// environments exist).
    pub async fn client_of(&self, user: User) -> TestClient {
        let (key, secret) = demo::new_key(user);
        let key_id = key.id.clone();
        self.import(Directory { environments: Vec::new(), keys: vec![key] }).await;
        TestClient::new(self.router()).signed(&key_id, &secret)
    }

    async fn import(&self, directory: Directory) {
        self.store.import(directory).await.expect("the directory is written");
    }

    /// The state the example serves this database with.
    pub fn state(&self) -> AppState {
        AppState { store: Arc::clone(&self.store), cloud: Arc::new(SimulatedEc2) }
    }

    /// The example's router on this database.
    pub fn router(&self) -> axum::Router {
        crate::router(self.state())
    }

    /// Serves the router on an ephemeral port of the loopback interface, until dropped.
    pub async fn serve(&self) -> Served {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("an ephemeral port");
        let address = listener.local_addr().expect("a bound address");
        let router = self.router();
        let task = tokio::spawn(async move { axum::serve(listener, router).await });
        Served { address, task }
    }
}

/// A router served over TCP by a task of the test, aborted on drop.
pub struct Served {
    /// Where it listens.
    pub address: SocketAddr,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Served {
    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The example's binary, run on a database: its address, and what it printed before listening.
pub struct ServerProcess {
    child: Child,
    /// Where it listens.
    pub address: SocketAddr,
    /// What it printed on stdout before it listened.
    pub printed: Vec<String>,
    /// Where its log (stderr) goes.
    pub log: PathBuf,
}

impl ServerProcess {
    /// Starts the binary on `database` (an SQLite file or a PostgreSQL URL), logging at info level to `log`, with `arguments` besides.
    /// `cargo test` builds it with the examples; a test run alone may need
    /// `cargo build --example copy_server` first.
    pub fn start(database: impl AsRef<std::ffi::OsStr>, log: &Path, arguments: &[&str]) -> Self {
        let binary = example_binary();
        let log_file = std::fs::File::create(log).expect("a log file");
        let mut child = Command::new(&binary)
            .args(["--listen", "127.0.0.1:0", "--log", "info", "--db"])
            .arg(database)
            .args(arguments)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot run {}: {error}", binary.display()));
        let stdout = child.stdout.take().expect("a piped stdout");
        let (address, printed) = read_until_listening(stdout);
        let Some(address) = address else {
            let _ = child.kill();
            panic!("the server stopped before listening; it printed {printed:?}");
        };
        Self { child, address, printed, log: log.to_owned() }
    }

    /// The demo key it printed (`export SCALR_API_KEY_ID=... SCALR_API_SECRET_KEY=...`), as a
    /// signer.
    pub fn printed_signer(&self) -> Option<Signer> {
        let line = self.printed.iter().find_map(|line| line.trim().strip_prefix("export "))?;
        let value = |name: &str| {
            line.split_whitespace().find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=')).map(str::to_owned)
        };
        Signer::new(&value("SCALR_API_KEY_ID")?, Secret::new(value("SCALR_API_SECRET_KEY")?)).ok()
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Sends SIGTERM, as a service manager stops a server.
    pub fn send_sigterm(&self) {
        let sent = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill runs");
        assert!(sent.success(), "SIGTERM was sent");
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("the process can be waited for").is_none()
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub fn terminate(self) -> ExitStatus {
        self.send_sigterm();
        self.wait_for_exit()
    }

    /// Sends SIGKILL and waits for the process to be gone.
    pub fn kill(mut self) -> ExitStatus {
        self.child.kill().expect("SIGKILL is sent");
        self.wait_for_exit()
    }

    /// Waits, at most 20 seconds, for the process to exit.
    pub fn wait_for_exit(mut self) -> ExitStatus {
        let limit = Duration::from_secs(20);
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("the process can be waited for") {
                return status;
            }
            assert!(started.elapsed() < limit, "the server did not exit within {limit:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The envelope (answering request `request_id`) of a copy of the demo's `ubuntu-22-04-base` (us-east-1) to us-west-2, once the
/// fields the copy makes are checked: a new version 4 id, a new `ami-` id of 17 lower-case hex
/// digits, and `added` now, to the second.
pub fn expected_copy_of_ubuntu(envelope: &serde_json::Value, request_id: &str) -> serde_json::Value {
    let data = &envelope["data"];
    let id = data["id"].as_str().expect("an id");
    assert_ne!(id, "3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c", "a new id");
    assert_eq!(uuid::Uuid::parse_str(id).expect("a UUID").get_version_num(), 4);
    let ami = data["cloudImageId"].as_str().expect("a cloud image id");
    assert!(ami.len() == 21 && ami.starts_with("ami-"), "{ami}");
    assert!(ami[4..].bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{ami}");
    let added = data["added"].as_str().expect("a date");
    assert!(added.ends_with('Z'), "{added}");
    let age = chrono::Utc::now() - chrono::DateTime::parse_from_rfc3339(added).expect("RFC 3339").to_utc();
    assert!(age.num_seconds().abs() < 60, "{added}");
    serde_json::json!({
        "data": {
            "id": id,
            "name": "ubuntu-22-04-base",
            "cloudImageId": ami,
            "cloudLocation": "us-west-2",
            "cloudPlatform": "ec2",
            "added": added,
            "lastUsed": null,
            "scalrAgentInstalled": true,
            "cloudInitInstalled": true,
            "architecture": "x86_64",
            "size": 8,
            "deprecated": false,
            "source": "Manual",
            "status": "active",
            "type": "ebs-hvm",
            "statusError": null,
            "scope": "environment",
            "os": {"id": "ubuntu-22-04"},
        },
        "errors": [],
        "meta": {"requestId": request_id},
        "warnings": [],
    })
}

/// `target/<profile>/examples/copy_server`, next to the test binary's `deps` directory.
fn example_binary() -> PathBuf {
    let test_binary = std::env::current_exe().expect("the test binary's path");
    let profile = test_binary.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>");
    let binary = profile.join("examples").join(format!("copy_server{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.exists(), "{} is missing: run `cargo build --example copy_server`", binary.display());
    binary
}

/// Reads the server's stdout up to its `listening on http://ADDRESS` line; the rest of stdout is
/// drained by a thread so that the server never blocks on it.
fn read_until_listening(stdout: ChildStdout) -> (Option<SocketAddr>, Vec<String>) {
    let mut reader = BufReader::new(stdout);
    let mut printed = Vec::new();
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 0 {
        let text = line.trim_end().to_owned();
        line.clear();
        if let Some(address) = text.strip_prefix("listening on http://") {
            let address = address.parse().ok();
            printed.push(text);
            std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
            return (address, printed);
        }
        printed.push(text);
    }
    (None, printed)
}
