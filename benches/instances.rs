//! Copies per second and signed GETs per second of the copy_server binary over HTTP: on SQLite,
//! on PostgreSQL with one instance, and on PostgreSQL with three instances sharing the database
//! (the clients spread over them), as ratios to SQLite, in one run.
//!
//! ```text
//! cargo build --release --example copy_server
//! DATABASE_URL=postgres://user@127.0.0.1:5432/postgres cargo bench --bench instances
//! ```
//!
//! Without `DATABASE_URL` only SQLite is measured. Each configuration gets a fresh database and
//! `CLIENTS` concurrent clients, each sending one request at a time for `RUN` seconds.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::http::Method;
use scalr_endpoints::auth::Signer;

use scalr_copy_server::testing::demo_server::{ScratchDatabase, ServerProcess, postgres_or_skip};
use scalr_copy_server::testing::http::send_http;

const CLIENTS: usize = 48;
const RUN: Duration = Duration::from_secs(5);
const COPY: &str = "/api/v1beta0/user/1/images/3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c/actions/copy/";
const GET: &str = "/api/v1beta0/user/1/images/3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c/";
const TO_US_WEST_2: &str = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;

/// Requests per second of `CLIENTS` clients sending `method` to `path` over `urls` for `RUN`;
/// every answer must have status `expected`.
async fn rate(urls: &[String], signer: &Signer, method: Method, path: &str, expected: u16) -> f64 {
    let client = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).build().unwrap();
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let (client, signer, method, done) = (client.clone(), signer.clone(), method.clone(), Arc::clone(&done));
            let url = format!("{}{path}", urls[n % urls.len()]);
            let body = (method == Method::POST).then_some(TO_US_WEST_2);
            tokio::spawn(async move {
                while started.elapsed() < RUN {
                    let reply = send_http(&client, &signer, method.clone(), &url, body).await.expect("an answer");
                    assert_eq!(reply.status.as_u16(), expected, "{}", reply.json);
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// Starts `instances` servers on `database`; the first seeds it and prints the demo key.
fn start(database: &str, instances: usize, dir: &std::path::Path) -> (Vec<ServerProcess>, Signer) {
    let first = ServerProcess::start(database, &dir.join("0.log"), &[]);
    let signer = first.printed_signer().expect("a new database prints its demo key");
    let mut servers = vec![first];
    for n in 1..instances {
        servers.push(ServerProcess::start(database, &dir.join(format!("{n}.log")), &[]));
    }
    (servers, signer)
}

/// Copies/s and GETs/s of `instances` servers on `database`.
async fn measure(name: &str, database: &str, instances: usize) -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let (servers, signer) = start(database, instances, dir.path());
    let urls: Vec<String> = servers.iter().map(|server| server.url("")).collect();
    let copies = rate(&urls, &signer, Method::POST, COPY, 201).await;
    let gets = rate(&urls, &signer, Method::GET, GET, 200).await;
    println!("{name:<18} {copies:>10.0} copies/s {gets:>10.0} signed GETs/s");
    for server in servers {
        server.terminate();
    }
    (copies, gets)
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|argument| argument == "--list") {
        return;
    }
    println!("{CLIENTS} clients, {RUN:?} per measure, on {} cores", std::thread::available_parallelism().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let sqlite = measure("SQLite", dir.path().join("bench.db").to_str().unwrap(), 1).await;
    let mut results = vec![("SQLite", sqlite)];
    if let Some(server) = postgres_or_skip("instances benchmark") {
        for (name, instances) in [("PostgreSQL x 1", 1), ("PostgreSQL x 3", 3)] {
            let database = ScratchDatabase::create(&server).await;
            results.push((name, measure(name, &database.url, instances).await));
        }
    }
    println!("\nratios to SQLite:");
    for (name, (copies, gets)) in &results {
        println!("{name:<18} copies {:>5.2}   signed GETs {:>5.2}", copies / sqlite.0, gets / sqlite.1);
    }
}
