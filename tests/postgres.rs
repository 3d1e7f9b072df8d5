//! The PostgreSQL store on a real server (`DATABASE_URL`; `interop/postgres.sh` starts a
//! throwaway one): its schema's constraints, the rate limit shared by two stores on one database,
//! a deactivated key refused within a second, and three copy_server processes on one database
//! (a burst of copies with one of them SIGKILLed, revocation, the shared rate limit).
//!
//! Without `DATABASE_URL` every test prints `skipped: no DATABASE_URL (PostgreSQL suite: ...)`
//! and passes. The images API suite runs on PostgreSQL with
//! `COPY_SERVER_TEST_STORE=postgres cargo test --test images_api`.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::http::Method;
use chrono::{Timelike, Utc};
use scalr_endpoints::auth::{Minute, RateLimit, Secret, Signer};

use scalr_copy_server::cloud::SimulatedEc2;
use scalr_copy_server::demo;
use scalr_copy_server::store::{Directory, PostgresOptions, PostgresStore, Store};
use scalr_copy_server::testing::demo_server::{
    Backend, DemoDatabase, ScratchDatabase, ServerProcess, postgres_or_skip,
};
use scalr_copy_server::testing::http::{Reply, send_http};
use scalr_copy_server::{AppState, router_with};

const IMAGES: &str = "/api/v1beta0/user/1/images/";
const COPY_UBUNTU: &str = "/api/v1beta0/user/1/images/3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c/actions/copy/";
const TO_US_WEST_2: &str = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;

/// A demo database on PostgreSQL, or `None` (after saying so) without a server.
async fn demo_database(suite: &str) -> Option<DemoDatabase> {
    let server = postgres_or_skip(suite)?;
    Some(DemoDatabase::on(Backend::Postgres(server), &std::env::temp_dir()).await)
}

/// Waits, when the current UTC minute has less than `needed` left, for the next one.
async fn within_one_minute(needed: Duration) {
    let second = u64::from(Utc::now().second());
    if Duration::from_secs(60 - second) < needed {
        tokio::time::sleep(Duration::from_secs(61 - second)).await;
    }
}

#[tokio::test]
async fn the_schema_keeps_the_sqlite_schemas_constraints() {
    let Some(database) = demo_database("schema constraints").await else { return };
    let client = database.postgres.as_ref().expect("a PostgreSQL database").connect().await;
    let copy = "INSERT INTO images (id, env_id, name, cloud_image_id, cloud_location, cloud_platform, added, \
                scalr_agent_installed, cloud_init_installed, architecture, deprecated, source, status, scope, os_id) \
                SELECT $1, env_id, name, cloud_image_id, cloud_location, cloud_platform, added, scalr_agent_installed, \
                cloud_init_installed, architecture, deprecated, source, status, scope, os_id FROM images \
                WHERE id = '3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c'";
    let refused = |sql: &'static str| {
        let client = &client;
        async move {
            let error = client.batch_execute(sql).await.expect_err(sql);
            error.code().expect("a database error").code().to_owned()
        }
    };
    // The unique cloud image index: the same AMI in the same place, twice.
    let error = client.execute(copy, &[&uuid::Uuid::new_v4()]).await.expect_err("a duplicate registration");
    assert_eq!(error.code().unwrap().code(), "23505", "{error}");
    // Checks.
    assert_eq!(refused("UPDATE images SET architecture = 'arm'").await, "23514");
    assert_eq!(refused("UPDATE images SET scope = 'scalr' WHERE env_id IS NOT NULL").await, "23514");
    assert_eq!(refused("UPDATE images SET size = -1").await, "23514");
    assert_eq!(refused("INSERT INTO environments (id, name) VALUES (0, 'zero')").await, "23514");
    assert_eq!(refused("UPDATE api_keys SET secret = ''").await, "23514");
    // Foreign keys.
    assert_eq!(refused("UPDATE images SET env_id = 999 WHERE env_id IS NOT NULL").await, "23503");
    assert_eq!(refused("DELETE FROM images").await, "23503", "a role uses one");
    assert_eq!(
        refused("INSERT INTO api_keys (id, secret, active, user_id) VALUES ('k', 's', true, 'nobody')").await,
        "23503"
    );
}

#[tokio::test]
async fn two_stores_on_one_database_share_the_rate_limit_exactly() {
    let Some(database) = demo_database("shared rate limit").await else { return };
    let url = &database.postgres.as_ref().expect("a PostgreSQL database").url;
    let other = PostgresStore::open(url, PostgresOptions::default()).await.expect("a second store");
    let stores: [Arc<dyn Store>; 2] = [Arc::clone(&database.store), Arc::new(other)];
    within_one_minute(Duration::from_secs(20)).await;
    let minute = Minute::of(Utc::now());
    // 2 × 50 requests at once, half through each store: every count from 1 to 100 once.
    let tasks = (0..100).map(|n| {
        let store = Arc::clone(&stores[n % 2]);
        tokio::spawn(async move { store.count_request("APIKSHARED", minute).await.expect("counted") })
    });
    let counts: BTreeSet<u64> = futures_util::future::join_all(tasks).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(counts, (1..=100).collect());

    // Through two routers limited to 10 a minute: the 11th request is refused on either.
    let routers: Vec<_> = stores
        .iter()
        .map(|store| {
            let state = AppState { store: Arc::clone(store), cloud: Arc::new(SimulatedEc2) };
            router_with(state, Some(RateLimit::per_minute(10)))
        })
        .collect();
    let mut statuses = Vec::new();
    let clients: Vec<_> = routers
        .iter()
        .map(|router| scalr_endpoints::test::TestClient::new(router.clone()).signed(&database.key_id, &database.secret))
        .collect();
    for n in 0..11 {
        statuses.push(clients[n % 2].get(IMAGES).send().await.status().as_u16());
    }
    assert_eq!(statuses, [vec![200; 10], vec![403]].concat());
    let refused = clients[0].get(IMAGES).send().await;
    assert_eq!(refused.status().as_u16(), 403, "{refused}");
    assert!(refused.to_string().contains("LimitExceeded"), "{refused}");
}

#[tokio::test]
async fn a_key_deactivated_in_the_database_is_refused_within_a_second() {
    let Some(database) = demo_database("key revocation").await else { return };
    let served = database.serve().await;
    let client = reqwest::Client::new();
    let url = served.url(IMAGES);
    let get = || send_http(&client, &database.signer, Method::GET, &url, None);
    assert_eq!(get().await.unwrap().status.as_u16(), 200, "the key works, and is cached");
    let sql = database.postgres.as_ref().unwrap().connect().await;
    sql.execute("UPDATE api_keys SET active = false WHERE id = $1", &[&database.key_id]).await.unwrap();
    let deactivated = Instant::now();
    loop {
        let reply = get().await.unwrap();
        if reply.status.as_u16() == 401 {
            reply.assert_error(401, "BadAuthentication", "Invalid API Key");
            break;
        }
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
        assert!(deactivated.elapsed() < Duration::from_secs(1), "the key still works after 1 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!("refused {:?} after the key was deactivated", deactivated.elapsed());
}

/// What the burst of copies saw.
#[derive(Default)]
struct Burst {
    acknowledged: std::sync::Mutex<Vec<String>>,
    server_errors: std::sync::Mutex<Vec<String>>,
    refused_connections: AtomicUsize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_on_one_database() {
    let Some(server) = postgres_or_skip("three copy_server instances on one database") else { return };
    let database = ScratchDatabase::create(&server).await;
    let dir = tempfile::tempdir().unwrap();

    // The database is seeded first, with a key for each of the 96 clients, one to revoke and one
    // to rate-limit.
    let store = PostgresStore::open(&database.url, PostgresOptions::default()).await.unwrap();
    let (demo_key, demo_secret) = demo::new_key(demo::demo_user());
    let demo_signer = Signer::new(&demo_key.id, Secret::new(demo_secret)).unwrap();
    assert!(store.seed(demo::seed(Some(demo_key))).await.unwrap());
    let mut signers = Vec::new();
    let mut keys = Vec::new();
    let mut key_ids = Vec::new();
    for _ in 0..98 {
        let (key, secret) = demo::new_key(demo::demo_user());
        key_ids.push(key.id.clone());
        signers.push(Signer::new(&key.id, Secret::new(secret)).unwrap());
        keys.push(key);
    }
    store.import(Directory { environments: Vec::new(), keys }).await.unwrap();
    drop(store);

    let start = |n: usize| {
        let log = dir.path().join(format!("instance-{n}.log"));
        ServerProcess::start(&database.url, &log, &["--rate-limit", "300"])
    };
    let mut instances: Vec<Option<ServerProcess>> = (0..3).map(|n| Some(start(n))).collect();
    let urls: Vec<String> = instances.iter().map(|server| server.as_ref().unwrap().url("")).collect();
    for server in instances.iter().flatten() {
        assert!(server.printed.iter().any(|line| line.contains(": opened")), "{:?}", server.printed);
        assert!(!server.printed.iter().any(|line| line.contains("ci@")), "no user in what it prints");
    }

    // 3 × 32 clients copy through the three instances; instance 2 is SIGKILLed mid-burst, and
    // its clients go on through the other two.
    let client = reqwest::Client::builder().pool_max_idle_per_host(128).build().unwrap();
    let burst = Arc::new(Burst::default());
    const COPIES_PER_CLIENT: usize = 10;
    let started = Instant::now();
    let tasks: Vec<_> = signers[..96]
        .iter()
        .cloned()
        .enumerate()
        .map(|(n, signer)| {
            let (client, urls, burst) = (client.clone(), urls.clone(), Arc::clone(&burst));
            tokio::spawn(async move {
                let mut instance = n % 3;
                let mut copied = 0;
                while copied < COPIES_PER_CLIENT {
                    let url = format!("{}{COPY_UBUNTU}", urls[instance]);
                    match send_http(&client, &signer, Method::POST, &url, Some(TO_US_WEST_2)).await {
                        Ok(reply) if reply.status.as_u16() == 201 => {
                            let id = reply.json["data"]["id"].as_str().expect("an id").to_owned();
                            burst.acknowledged.lock().unwrap().push(id);
                            copied += 1;
                        }
                        Ok(reply) => {
                            burst.server_errors.lock().unwrap().push(format!("instance {instance}: {}", reply.json));
                            copied += 1;
                        }
                        Err(_) => {
                            // The killed instance: on to the next one.
                            burst.refused_connections.fetch_add(1, Ordering::Relaxed);
                            instance = (instance + 1) % 3;
                        }
                    }
                }
            })
        })
        .collect();
    let total = 96 * COPIES_PER_CLIENT;
    while burst.acknowledged.lock().unwrap().len() < total / 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let killed_at = burst.acknowledged.lock().unwrap().len();
    instances[2].take().unwrap().kill();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed();
    let acknowledged = burst.acknowledged.lock().unwrap().clone();
    assert_eq!(burst.server_errors.lock().unwrap().as_slice(), &[] as &[String], "no 5xx, nor any other refusal");
    assert_eq!(acknowledged.len(), total);
    println!(
        "{total} copies by 96 clients in {elapsed:?} ({:.0}/s), instance 2 SIGKILLed after {killed_at}, {} connections refused",
        total as f64 / elapsed.as_secs_f64(),
        burst.refused_connections.load(Ordering::Relaxed)
    );

    // Every acknowledged copy is listed by every instance (instance 2 restarted on the database).
    instances[2] = Some(start(3));
    let urls: Vec<String> = instances.iter().map(|server| server.as_ref().unwrap().url("")).collect();
    for url in &urls {
        let listed = list_all(&client, &demo_signer, url).await;
        let missing: Vec<_> = acknowledged.iter().filter(|id| !listed.contains(*id)).collect();
        assert!(missing.is_empty(), "{url} does not list {} acknowledged copies", missing.len());
    }

    // A key deactivated in the database is refused by all three within 1 s.
    let revoked = &signers[96];
    for url in &urls {
        let reply = send_http(&client, revoked, Method::GET, &format!("{url}{IMAGES}"), None).await.unwrap();
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
    }
    let sql = database.connect().await;
    sql.execute("UPDATE api_keys SET active = false WHERE id = $1", &[&key_ids[96]]).await.unwrap();
    let deactivated = Instant::now();
    let mut still_accepting: Vec<&String> = urls.iter().collect();
    while !still_accepting.is_empty() {
        assert!(deactivated.elapsed() < Duration::from_secs(1), "{still_accepting:?} accept the key after 1 s");
        let mut next = Vec::new();
        for url in still_accepting {
            let reply = send_http(&client, revoked, Method::GET, &format!("{url}{IMAGES}"), None).await.unwrap();
            match reply.status.as_u16() {
                200 => next.push(url),
                _ => reply.assert_error(401, "BadAuthentication", "Invalid API Key"),
            }
        }
        still_accepting = next;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!("the deactivated key was refused by all three after {:?}", deactivated.elapsed());

    // 300 requests of a key unused so far, within one UTC minute, spread over the three
    // instances, pass; the 301st, on whichever instance, is refused.
    let limited = &signers[97];
    within_one_minute(Duration::from_secs(20)).await;
    let passed = Arc::new(AtomicUsize::new(0));
    let requests: Vec<_> = (0..300)
        .map(|n| {
            let (client, limited, passed) = (client.clone(), limited.clone(), Arc::clone(&passed));
            let url = format!("{}{IMAGES}", urls[n % 3]);
            tokio::spawn(async move {
                let reply = send_http(&client, &limited, Method::GET, &url, None).await.unwrap();
                assert_eq!(reply.status.as_u16(), 200, "request {n}: {}", reply.json);
                passed.fetch_add(1, Ordering::Relaxed);
            })
        })
        .collect();
    for request in futures_util::future::join_all(requests).await {
        request.unwrap();
    }
    assert_eq!(passed.load(Ordering::Relaxed), 300);
    for url in &urls {
        let reply = send_http(&client, limited, Method::GET, &format!("{url}{IMAGES}"), None).await.unwrap();
        assert_refused_over_limit(&reply);
    }

    for server in instances.into_iter().flatten() {
        server.terminate();
    }
}

/// Asserts `reply` is the rate limit's refusal.
fn assert_refused_over_limit(reply: &Reply) {
    assert_eq!(reply.status.as_u16(), 403, "{}", reply.json);
    assert_eq!(reply.json["errors"][0]["code"], "LimitExceeded", "{}", reply.json);
}

/// The ids of every image the demo environment sees on the server at `url`.
async fn list_all(client: &reqwest::Client, signer: &Signer, url: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for page in 1.. {
        let path = format!("{url}{IMAGES}?maxResults=100&pageNum={page}");
        let reply = send_http(client, signer, Method::GET, &path, None).await.unwrap();
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
        let data = reply.json["data"].as_array().expect("a list").clone();
        ids.extend(data.iter().map(|image| image["id"].as_str().unwrap().to_owned()));
        if data.len() < 100 {
            break;
        }
    }
    ids
}
