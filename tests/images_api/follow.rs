//! The copy follower (examples/copy_server/src/follow.rs) on a cloud that answers as scripted: a
//! copy stays pending until the cloud has made it, a failed copy reads back `failed` with the
//! cloud's reason as `statusError`, polls back off, and a new follower on a reopened store
//! resumes the copies a previous run left pending.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use futures_util::future::{BoxFuture, FutureExt};
use scalr_copy_server::AppState;
use scalr_copy_server::cloud::{Cloud, CloudError, CloudImageState, SimulatedEc2, StartedCopy};
use scalr_copy_server::follow::{CopyFollower, FollowOptions, Pass};
use scalr_copy_server::images::Image;
use scalr_copy_server::store::{PostgresOptions, PostgresStore, SqliteOptions, SqliteStore, Store};
use scalr_copy_server::testing::demo_server::DemoDatabase;
use scalr_endpoints::test::TestClient;
use serde_json::{Value, json};

use super::{UBUNTU, copy_path, image_path};

/// EC2 as the simulated one, except that the state of a copy is the next of `states` (then
/// available), as EC2 would report a copy in progress.
struct Scripted {
    states: Mutex<VecDeque<Result<CloudImageState, CloudError>>>,
}

impl Scripted {
    fn new(states: impl IntoIterator<Item = Result<CloudImageState, CloudError>>) -> Arc<Self> {
        Arc::new(Self { states: Mutex::new(states.into_iter().collect()) })
    }
}

impl Cloud for Scripted {
    fn copy_image<'a>(&'a self, source: &'a Image, region: &'a str) -> BoxFuture<'a, Result<StartedCopy, CloudError>> {
        // Like EC2's, the copies of this cloud start pending and are followed.
        let started = SimulatedEc2.copy_image(source, region);
        async move { started.await.map(|copy| StartedCopy { state: CloudImageState::Pending, ..copy }) }.boxed()
    }

    fn image_exists<'a>(&'a self, image: &'a Image) -> BoxFuture<'a, Result<bool, CloudError>> {
        SimulatedEc2.image_exists(image)
    }

    fn delete_image<'a>(&'a self, image: &'a Image) -> BoxFuture<'a, Result<(), CloudError>> {
        SimulatedEc2.delete_image(image)
    }

    fn image_state<'a>(&'a self, _image: &'a Image) -> BoxFuture<'a, Result<CloudImageState, CloudError>> {
        let next = self.states.lock().unwrap().pop_front().unwrap_or(Ok(CloudImageState::Available));
        std::future::ready(next).boxed()
    }
}

/// Polls at once, then after 1 ms, 2 ms, ... up to 4 ms: the tests wait past the backoff.
const QUICK: FollowOptions =
    FollowOptions { scan_every: std::time::Duration::from_millis(1), max_backoff: std::time::Duration::from_millis(4) };

fn client(database: &DemoDatabase, cloud: Arc<dyn Cloud>) -> TestClient {
    let state = AppState { store: database.state().store, cloud };
    TestClient::new(scalr_copy_server::router(state)).signed(&database.key_id, &database.secret)
}

/// Copies the demo's ubuntu image to us-west-2; the copy's id.
async fn copy(client: &TestClient) -> String {
    let copied = client.post(&copy_path(UBUNTU)).json(&json!({"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}));
    let copied = copied.send().await;
    assert_eq!(copied.status().as_u16(), 201, "{copied}");
    let data: Value = copied.data();
    assert_eq!(data["status"], "active", "a copy answers active, as Scalr's: {data}");
    data["id"].as_str().expect("an id").to_owned()
}

async fn image(client: &TestClient, id: &str) -> Value {
    let read = client.get(&image_path(id)).send().await;
    assert_eq!(read.status().as_u16(), 200, "{read}");
    read.data()
}

async fn pending_ids(store: &Arc<dyn Store>) -> Vec<String> {
    store.pending_copies().await.expect("the pending copies").iter().map(|image| image.id.to_string()).collect()
}

/// Passes 1 ms apart until one settles something (for at most 10 s); the passes made.
async fn passes_until_settled(follower: &mut CopyFollower) -> Vec<Pass> {
    let mut passes = Vec::new();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(10) {
        let pass = follower.check_due().await;
        passes.push(pass);
        if pass.settled > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    passes
}

#[tokio::test]
async fn a_copy_is_pending_until_the_cloud_has_made_it_then_stays_active() {
    let database = DemoDatabase::new().await;
    let cloud = Scripted::new([Ok(CloudImageState::Pending), Ok(CloudImageState::Pending)]);
    let client = client(&database, cloud.clone());
    let id = copy(&client).await;
    assert_eq!(pending_ids(&database.store).await, vec![id.clone()], "the copy is stored pending");

    // Waits of 100 ms, then 200 ms: long enough that the pass right after a poll finds nothing due.
    let options = FollowOptions {
        scan_every: std::time::Duration::from_millis(100),
        max_backoff: std::time::Duration::from_millis(200),
    };
    let mut follower = CopyFollower::new(Arc::clone(&database.store), cloud, options);
    let first = follower.check_due().await;
    assert_eq!(first, Pass { polled: 1, settled: 0, pending: 1 }, "polled once, still pending");
    // Backoff: the next poll is not due at once.
    let again = follower.check_due().await;
    assert_eq!(again.polled, 0, "polled again without waiting: {again:?}");

    let passes = passes_until_settled(&mut follower).await;
    let polls: usize = passes.iter().map(|pass| pass.polled).sum();
    assert_eq!(polls, 2, "pending once more, then available: {passes:?}");
    assert_eq!(passes.last().map(|pass| pass.pending), Some(0), "{passes:?}");
    assert!(pending_ids(&database.store).await.is_empty(), "no copy is pending any more");
    let copy = image(&client, &id).await;
    assert_eq!((copy["status"].as_str(), &copy["statusError"]), (Some("active"), &Value::Null), "{copy}");
}

#[tokio::test]
async fn a_failed_copy_reads_back_failed_with_the_clouds_reason() {
    let database = DemoDatabase::new().await;
    let reason = "EC2 says the image is failed: Client.SnapshotCopyFailed: the snapshot could not be copied";
    let cloud = Scripted::new([
        Ok(CloudImageState::Pending),
        // A cloud that cannot be reached leaves the copy pending, to be polled again.
        Err(CloudError::Unavailable("connection refused".to_owned())),
        Ok(CloudImageState::Failed(reason.to_owned())),
    ]);
    let client = client(&database, cloud.clone());
    let id = copy(&client).await;
    let mut follower = CopyFollower::new(Arc::clone(&database.store), cloud, QUICK);
    let passes = passes_until_settled(&mut follower).await;
    assert_eq!(passes.iter().map(|pass| pass.polled).sum::<usize>(), 3, "{passes:?}");

    let copy = image(&client, &id).await;
    assert_eq!(copy["status"], "failed", "{copy}");
    assert_eq!(copy["statusError"], reason, "{copy}");
    assert!(pending_ids(&database.store).await.is_empty());
    let source = image(&client, UBUNTU).await;
    assert_eq!((source["status"].as_str(), &source["statusError"]), (Some("active"), &Value::Null), "{source}");
}

#[tokio::test]
async fn a_copy_gone_from_the_cloud_is_failed_and_a_forgotten_one_is_dropped() {
    let database = DemoDatabase::new().await;
    let cloud = Scripted::new([Err(CloudError::NotFound("gone".to_owned()))]);
    let client = client(&database, cloud.clone());
    let gone = copy(&client).await;
    let mut follower = CopyFollower::new(Arc::clone(&database.store), cloud, QUICK);
    assert_eq!(follower.check_due().await, Pass { polled: 1, settled: 1, pending: 0 });
    let copy = image(&client, &gone).await;
    assert_eq!(copy["status"], "failed", "{copy}");
    let expected =
        format!("The copy {} is no longer on the cloud in us-west-2.", copy["cloudImageId"].as_str().unwrap());
    assert_eq!(copy["statusError"], expected.as_str(), "{copy}");

    // Forgotten while pending: no longer followed, and nothing is recorded.
    let other = client.post(&copy_path(UBUNTU)).json(&json!({"cloudLocation": "eu-west-1", "cloudPlatform": "ec2"}));
    let other: Value = other.send().await.data();
    let forgotten = client.delete(&image_path(other["id"].as_str().unwrap())).send().await;
    assert_eq!(forgotten.status().as_u16(), 200, "{forgotten}");
    assert_eq!(follower.check_due().await, Pass::default());
}

#[tokio::test]
async fn a_new_follower_on_a_reopened_store_resumes_the_pending_copies() {
    let database = DemoDatabase::new().await;
    let client = client(&database, Scripted::new([]));
    // Copied by a server that stopped before following them.
    let (first, second) = (copy(&client).await, {
        let copied =
            client.post(&copy_path(UBUNTU)).json(&json!({"cloudLocation": "eu-west-1", "cloudPlatform": "ec2"}));
        copied.send().await.data::<Value>()["id"].as_str().unwrap().to_owned()
    });
    let reopened: Arc<dyn Store> = match (database.sqlite_path(), &database.postgres) {
        (Some(path), _) => Arc::new(SqliteStore::open(path, SqliteOptions::default()).await.expect("reopened")),
        (None, Some(postgres)) => {
            Arc::new(PostgresStore::open(&postgres.url, PostgresOptions::default()).await.expect("reopened"))
        }
        (None, None) => unreachable!("a demo database is SQLite or PostgreSQL"),
    };
    let mut pending = pending_ids(&reopened).await;
    pending.sort();
    let mut expected = vec![first, second];
    expected.sort();
    assert_eq!(pending, expected, "the marks outlive the store that wrote them");

    let cloud = Scripted::new([Ok(CloudImageState::Failed("EC2 says the image is error.".to_owned()))]);
    let mut follower = CopyFollower::new(Arc::clone(&reopened), cloud, QUICK);
    assert_eq!(follower.check_due().await, Pass { polled: 2, settled: 2, pending: 0 });
    let statuses: Vec<(String, Value)> = {
        let mut statuses = Vec::new();
        for id in &expected {
            let read = image(&client, id).await;
            statuses.push((read["status"].as_str().unwrap().to_owned(), read["statusError"].clone()));
        }
        statuses
    };
    // The first copy polled (the older) failed, the other is available.
    assert!(statuses.contains(&("failed".to_owned(), json!("EC2 says the image is error."))), "{statuses:?}");
    assert!(statuses.contains(&("active".to_owned(), Value::Null)), "{statuses:?}");
}

/// The simulated cloud makes its copies at once: nothing is left for a follower, which a copy
/// on EC2 (pending at first) would need.
#[tokio::test]
async fn a_copy_the_cloud_made_at_once_is_not_followed() {
    let database = DemoDatabase::new().await;
    let store = database.state().store;
    let client = client(&database, Arc::new(SimulatedEc2));
    let id = copy(&client).await;
    assert_eq!(pending_ids(&store).await, Vec::<String>::new());
    let mut follower = CopyFollower::new(Arc::clone(&store), Arc::new(SimulatedEc2), QUICK);
    assert_eq!(follower.check_due().await, Pass::default());
    let read = client.get(&image_path(&id)).send().await;
    assert_eq!(read.data::<Value>()["status"], "active", "{read}");
}
