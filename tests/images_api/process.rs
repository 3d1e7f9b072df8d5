//! The example's binary as a process of its own, on a database in a temporary directory: what it
//! prints, its log, restarts, concurrent copies, SIGKILL in the middle of copies, and SIGTERM with a
//! request in flight.

use std::collections::{BTreeSet, HashSet};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, Method};
use chrono::Utc;
use scalr_endpoints::auth::{Secret, Signer};
use scalr_endpoints::{EnvId, Paging};

use super::{IMAGES, UBUNTU, copy_path, image_path};
use scalr_copy_server::images::{Image, ImageStatus};
use scalr_copy_server::store::{ImageFilter, SqliteOptions, SqliteStore, Store};
use scalr_copy_server::testing::demo_server::ServerProcess;
use scalr_copy_server::testing::http::{Reply, send_http};

const TO_US_WEST_2: &str = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;

/// A database directory, and the server started on it.
fn start() -> (tempfile::TempDir, ServerProcess, Signer) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let server = ServerProcess::start(dir.path().join("images.db"), &dir.path().join("server.log"), &[]);
    let signer = server.printed_signer().expect("a new database's demo key is printed");
    (dir, server, signer)
}

async fn send(server: &ServerProcess, signer: &Signer, method: Method, path: &str, body: Option<&str>) -> Reply {
    send_http(&reqwest::Client::new(), signer, method, &server.url(path), body).await.expect("the server answers")
}

/// Every image environment 1 sees, read from the database through the store, page by page.
async fn every_image(database: &std::path::Path) -> Vec<Image> {
    let store = SqliteStore::open(database, SqliteOptions::default()).await.expect("the database opens");
    let env = EnvId::new(1).unwrap();
    let mut images = Vec::new();
    for page in 1.. {
        let listed = store.list_images(env, ImageFilter::default(), Paging::new(page, 100)).await;
        let listed = listed.expect("every row reads as an image");
        images.extend_from_slice(listed.items());
        if images.len() as u64 >= listed.total() {
            return images;
        }
    }
    unreachable!("the pages run out")
}

#[tokio::test]
async fn the_server_prints_its_database_key_and_address_then_logs_a_line_per_request() {
    let (dir, server, signer) = start();
    let printed = server.printed.join("\n");
    assert!(printed.contains("images.db: created, demo environment 1 holds 7 images:"), "{printed}");
    assert!(printed.contains("3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c  us-east-1        ubuntu-22-04-base"), "{printed}");
    let secret_line = server.printed.iter().find(|line| line.contains("SCALR_API_SECRET_KEY=")).unwrap();
    let secret = secret_line.rsplit('=').next().unwrap().to_owned();
    assert_eq!(secret.len(), 64);
    let key_id = secret_line.split_whitespace().find_map(|pair| pair.strip_prefix("SCALR_API_KEY_ID=")).unwrap();
    let key_id = key_id.to_owned();

    assert_eq!(send(&server, &signer, Method::GET, IMAGES, None).await.status.as_u16(), 200);
    let unsigned = reqwest::get(server.url(&image_path(UBUNTU))).await.unwrap();
    assert_eq!(unsigned.status().as_u16(), 401);
    let copied = send(&server, &signer, Method::POST, &copy_path(UBUNTU), Some(TO_US_WEST_2)).await;
    assert_eq!(copied.status.as_u16(), 201);
    assert!(server.terminate().success());

    let log = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
    let lines: Vec<&str> = log.lines().filter(|line| line.contains("request finished")).collect();
    assert_eq!(lines.len(), 3, "{log}");
    let expected = [
        ("GET", IMAGES.to_owned(), key_id.as_str(), 200),
        ("GET", image_path(UBUNTU), "-", 401),
        ("POST", copy_path(UBUNTU), key_id.as_str(), 201),
    ];
    for (line, (method, path, key_id, status)) in lines.iter().zip(expected) {
        for field in [
            "request_id=".to_owned(),
            format!("method={method} "),
            format!("path={path} "),
            format!("key_id={key_id}}}"),
            format!("status={status} "),
            "latency_us=".to_owned(),
        ] {
            assert!(line.contains(&field), "{field} in {line}");
        }
    }
    assert!(log.contains(copied.request_id()), "the request id is logged");
    assert!(!log.contains(&secret), "the secret is never logged");
    assert!(log.contains("shutting down") && log.contains("stopped"), "{log}");
}

#[tokio::test]
async fn a_copy_is_still_there_after_a_restart() {
    let (dir, server, signer) = start();
    let copied = send(&server, &signer, Method::POST, &copy_path(UBUNTU), Some(TO_US_WEST_2)).await;
    assert_eq!(copied.status.as_u16(), 201, "{}", copied.json);
    let copy = copied.json["data"].clone();
    assert!(server.terminate().success(), "a stopped server exits cleanly");

    let database = dir.path().join("images.db");
    let server = ServerProcess::start(&database, &dir.path().join("again.log"), &[]);
    assert!(server.printed_signer().is_none(), "the demo key is printed once: {:?}", server.printed);
    assert!(server.printed[0].ends_with("images.db: opened"), "{:?}", server.printed);
    let id = copy["id"].as_str().unwrap();
    let fetched = send(&server, &signer, Method::GET, &image_path(id), None).await;
    assert_eq!(fetched.json["data"], copy);
    let listed = send(&server, &signer, Method::GET, IMAGES, None).await;
    assert_eq!(super::ids(&listed).len(), 8);
    assert!(super::ids(&listed).contains(&id.to_owned()));
}

#[tokio::test]
async fn a_key_file_is_imported_at_every_start() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("images.db");
    let arguments = ["--keys", "examples/copy_server/keys.example.json"];
    let demo = Signer::new("APIKDEMO000000000001", Secret::new("demo-secret-replace-me-0123456789abcdef")).unwrap();
    let auditor = Signer::new("APIKAUDITOR000000001", Secret::new("auditor-secret-replace-me-0123456789ab")).unwrap();
    for start in ["first.log", "second.log"] {
        let server = ServerProcess::start(&database, &dir.path().join(start), &arguments);
        assert!(server.printed_signer().is_none(), "no demo key besides the file's: {:?}", server.printed);
        assert!(
            server
                .printed
                .iter()
                .any(|line| line == "API keys from examples/copy_server/keys.example.json: 3 imported"),
            "{:?}",
            server.printed
        );
        let copied = send(&server, &demo, Method::POST, &copy_path(UBUNTU), Some(TO_US_WEST_2)).await;
        assert_eq!(copied.status.as_u16(), 201, "{}", copied.json);
        let refused = send(&server, &auditor, Method::POST, &copy_path(UBUNTU), Some(TO_US_WEST_2)).await;
        refused.assert_error(403, "PermissionViolation", "Insufficient Permissions");
        let other_environment = send(&server, &auditor, Method::GET, "/api/v1beta0/user/2/images/", None).await;
        assert_eq!(super::names(&other_environment), ["scalr-ubuntu-shared"]);
        assert!(server.terminate().success());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_two_clients_copy_twenty_images_each_at_once() {
    let (_dir, server, signer) = start();
    let (clients, copies_each) = (32, 20);
    let url = server.url(&copy_path(UBUNTU));
    let start_together = Arc::new(tokio::sync::Barrier::new(clients));
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (signer, url, start_together) = (signer.clone(), url.clone(), Arc::clone(&start_together));
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                start_together.wait().await;
                let mut answers = Vec::new();
                for _ in 0..copies_each {
                    let reply = send_http(&client, &signer, Method::POST, &url, Some(TO_US_WEST_2)).await.unwrap();
                    answers.push((reply.status.as_u16(), reply.json["data"]["id"].as_str().map(str::to_owned)));
                }
                answers
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.extend(task.await.unwrap());
    }
    eprintln!("{} copies by {clients} clients in {:?}", answers.len(), started.elapsed());

    let statuses: BTreeSet<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses, BTreeSet::from([201]), "every copy is created, none fails");
    let ids: HashSet<String> = answers.into_iter().filter_map(|(_, id)| id).collect();
    assert_eq!(ids.len(), clients * copies_each, "every copy has an id of its own");

    // The list holds the demo's seven images and every copy, page after page.
    let mut listed = Vec::new();
    let mut next = Some(format!("{IMAGES}?maxResults=100"));
    while let Some(path) = next {
        let page = send(&server, &signer, Method::GET, &path, None).await;
        listed.extend(super::ids(&page));
        next = page.json["pagination"]["next"].as_str().map(str::to_owned);
    }
    assert_eq!(listed.len(), 7 + clients * copies_each);
    let listed: HashSet<String> = listed.into_iter().collect();
    assert!(ids.is_subset(&listed), "every copy is listed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_in_the_middle_of_copies_leaves_whole_images_only() {
    let (dir, server, signer) = start();
    let clients = 16;
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let url = server.url(&copy_path(UBUNTU));
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (signer, url, acknowledged) = (signer.clone(), url.clone(), Arc::clone(&acknowledged));
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                // Copies until the server is gone; any answer but 201 is returned.
                while let Ok(reply) = send_http(&client, &signer, Method::POST, &url, Some(TO_US_WEST_2)).await {
                    if reply.status.as_u16() != 201 {
                        return Some(reply.json);
                    }
                    let id = reply.json["data"]["id"].as_str().unwrap().to_owned();
                    acknowledged.lock().unwrap_or_else(PoisonError::into_inner).push(id);
                }
                None
            })
        })
        .collect();
    let waited = Instant::now();
    while acknowledged.lock().unwrap_or_else(PoisonError::into_inner).len() < 100 {
        assert!(waited.elapsed() < Duration::from_secs(30), "the copies are too slow");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(!server.kill().success(), "SIGKILL ends the server");
    for task in tasks {
        assert_eq!(task.await.unwrap(), None, "no copy failed before the kill");
    }
    let acknowledged: HashSet<String> = acknowledged.lock().unwrap_or_else(PoisonError::into_inner).drain(..).collect();

    let database = dir.path().join("images.db");
    let connection = rusqlite::Connection::open(&database).unwrap();
    let integrity: String = connection.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let broken_references: i64 =
        connection.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| row.get(0)).unwrap();
    assert_eq!(broken_references, 0);
    drop(connection);

    let images = every_image(&database).await;
    let copies: Vec<&Image> =
        images.iter().filter(|image| image.name == "ubuntu-22-04-base" && image.id.to_string() != UBUNTU).collect();
    assert_eq!(images.len() - copies.len(), 7, "the demo images are intact");
    for copy in &copies {
        assert_eq!(copy.cloud_location.as_deref(), Some("us-west-2"));
        assert_eq!((copy.status, copy.size, copy.os.id.as_str()), (ImageStatus::Active, Some(8), "ubuntu-22-04"));
        assert_eq!(copy.cloud_image_id.len(), 21, "{}", copy.cloud_image_id);
    }
    let stored: HashSet<String> = copies.iter().map(|copy| copy.id.to_string()).collect();
    eprintln!("killed after {} acknowledged copies; {} copies kept", acknowledged.len(), stored.len());
    assert!(acknowledged.is_subset(&stored), "every acknowledged copy was kept");
    // Each client had at most one copy in flight when the server died.
    assert!(stored.len() <= acknowledged.len() + clients, "{} kept, {} acknowledged", stored.len(), acknowledged.len());
}

#[tokio::test]
async fn sigterm_answers_the_request_in_flight_before_the_server_exits() {
    let (dir, mut server, signer) = start();
    let path = copy_path(UBUNTU);
    let mut signed = HeaderMap::new();
    signer.sign("POST", &path, None, TO_US_WEST_2.as_bytes(), Utc::now()).apply_to(&mut signed);
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        server.address,
        TO_US_WEST_2.len()
    );
    for (name, value) in &signed {
        head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    head.push_str("\r\n");
    let (first_half, second_half) = TO_US_WEST_2.split_at(TO_US_WEST_2.len() / 2);

    let mut stream = std::net::TcpStream::connect(server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(first_half.as_bytes()).unwrap();
    // Time for the server to read the head even on a loaded machine: a connection whose head is
    // still unread counts as idle, and shutdown closes it at once.
    std::thread::sleep(Duration::from_millis(500));
    server.send_sigterm();
    std::thread::sleep(Duration::from_millis(300));
    assert!(server.is_running(), "the server waits for the request in flight");
    assert!(std::net::TcpStream::connect(server.address).is_err(), "and takes no new connection");

    stream.write_all(second_half.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 201 Created\r\n"), "{response}");
    let body: serde_json::Value = serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert!(server.wait_for_exit().success());

    let id = body["data"]["id"].as_str().unwrap();
    let images = every_image(&dir.path().join("images.db")).await;
    assert!(images.iter().any(|image| image.id.to_string() == id), "the copy answered during shutdown was kept");
}

/// A client that never finishes its request holds shutdown only until `--shutdown-timeout`.
#[tokio::test]
async fn sigterm_with_a_request_that_never_finishes_exits_after_the_shutdown_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(
        dir.path().join("images.db"),
        &dir.path().join("server.log"),
        &["--shutdown-timeout", "1"],
    );
    let mut stream = std::net::TcpStream::connect(server.address).unwrap();
    stream
        .write_all(format!("POST {} HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{{", copy_path(UBUNTU)).as_bytes())
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let started = std::time::Instant::now();
    server.send_sigterm();
    assert!(server.wait_for_exit().success());
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(5), "shutdown took {took:?}");
}

#[tokio::test]
async fn a_database_others_can_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("images.db");
    std::fs::write(&database, b"").unwrap();
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o644)).unwrap();
    let log = dir.path().join("server.log");
    let server = ServerProcess::start(&database, &log, &[]);
    assert!(server.terminate().success());
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("the database can be read by other users") && text.contains("mode=\"644\""), "{text}");

    // A private database draws no warning.
    let private = dir.path().join("private.db");
    let log = dir.path().join("private.log");
    assert!(ServerProcess::start(&private, &log, &[]).terminate().success());
    assert!(!std::fs::read_to_string(&log).unwrap().contains("can be read by other users"));
}
