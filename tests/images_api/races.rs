//! Requests that race on one image: a rename or a delete that loses to a delete-from-cloud
//! answers 409 for the image awaiting deletion, not 404, and the cloud is asked to delete once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::future::{BoxFuture, FutureExt};
use scalr_copy_server::AppState;
use scalr_copy_server::cloud::{Cloud, CloudError, SimulatedEc2, StartedCopy};
use scalr_copy_server::images::Image;
use scalr_copy_server::testing::demo_server::DemoDatabase;
use scalr_endpoints::ErrorCode;
use scalr_endpoints::test::TestClient;

use super::{UBUNTU, image_path};

/// EC2 that takes its time to accept a deletion, and counts the deletions it was asked for.
#[derive(Default)]
struct SlowDeletes {
    deletions: AtomicUsize,
    refuse: bool,
}

impl Cloud for SlowDeletes {
    fn copy_image<'a>(&'a self, source: &'a Image, region: &'a str) -> BoxFuture<'a, Result<StartedCopy, CloudError>> {
        SimulatedEc2.copy_image(source, region)
    }

    fn image_exists<'a>(&'a self, image: &'a Image) -> BoxFuture<'a, Result<bool, CloudError>> {
        SimulatedEc2.image_exists(image)
    }

    fn delete_image<'a>(&'a self, _image: &'a Image) -> BoxFuture<'a, Result<(), CloudError>> {
        self.deletions.fetch_add(1, Ordering::SeqCst);
        async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if self.refuse { Err(CloudError::Unavailable("EC2 is down".to_owned())) } else { Ok(()) }
        }
        .boxed()
    }
}

fn client(database: &DemoDatabase, cloud: Arc<SlowDeletes>) -> TestClient {
    let state = AppState { store: database.state().store, cloud };
    TestClient::new(scalr_copy_server::router(state)).signed(&database.key_id, &database.secret)
}

const AWAITING_DELETION: &str =
    "You can not use the image ubuntu-22-04-base because it awaiting deletion on the cloud.";

#[tokio::test]
async fn racing_deletes_ask_the_cloud_once_and_the_losers_answer_409() {
    let database = DemoDatabase::new().await;
    let cloud = Arc::new(SlowDeletes::default());
    let client = client(&database, Arc::clone(&cloud));
    let from_cloud = format!("{}?deleteFromCloud=true", image_path(UBUNTU));
    let (first, second, forget, rename) = tokio::join!(
        client.delete(&from_cloud).send(),
        async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            client.delete(&from_cloud).send().await
        },
        async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            client.delete(&image_path(UBUNTU)).send().await
        },
        async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            client.patch(&image_path(UBUNTU)).json(&serde_json::json!({"name": "renamed"})).send().await
        },
    );
    assert_eq!(first.status().as_u16(), 200, "{first}");
    for loser in [second, forget, rename] {
        loser.assert_error(ErrorCode::UnacceptableImageStatus, AWAITING_DELETION);
    }
    assert_eq!(cloud.deletions.load(Ordering::SeqCst), 1, "the cloud was asked more than once");
    // Deleted from the cloud, the image is forgotten.
    client.get(&image_path(UBUNTU)).send().await.assert_error(
        ErrorCode::ObjectNotFound,
        "Requested Image either does not exist or is not owned by your environment.",
    );
}

#[tokio::test]
async fn a_cloud_that_refuses_leaves_the_image_as_it_was() {
    let database = DemoDatabase::new().await;
    let cloud = Arc::new(SlowDeletes { refuse: true, ..SlowDeletes::default() });
    let client = client(&database, cloud);
    let refused = client.delete(&format!("{}?deleteFromCloud=true", image_path(UBUNTU))).send().await;
    refused.assert_error(ErrorCode::ServiceUnavailable, "The cloud is unavailable; try again later.");
    let image = client.get(&image_path(UBUNTU)).send().await;
    assert_eq!(image.json()["data"]["status"], "active", "{image}");
}
