//! The example server's images API with signed requests, in-process and over TCP: every check of
//! the copy action, lists with paging and filters, register, get, rename and delete, who may sign,
//! the spec of the objects, and the server as a process of its own (restart, concurrent copies,
//! SIGKILL, SIGTERM, its log), and the follower of copies in progress.

mod copy;
mod explorer;
mod follow;
mod lifecycle;
mod listing;
mod openapi;
mod process;
mod races;
mod signing;
mod spec;

use axum::http::Method;
use scalr_endpoints::auth::{Signer, User};

use scalr_copy_server::testing::demo_server::{DemoDatabase, Served};
use scalr_copy_server::testing::http::{Reply, send_http};
use scalr_endpoints::test::{TestClient, TestResponse};

/// The demo images, by name.
const UBUNTU: &str = "3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c";
const CENTOS_USED_BY_A_ROLE: &str = "8b1e6d2f-4c3a-4f9e-8d7c-6b5a4e3d2c1b";
const AMAZON_LINUX: &str = "c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f";
const PENDING_DELETE: &str = "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d";
const SCALR_SCOPE: &str = "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716";
const DEBIAN: &str = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b";
const I386_DEPRECATED: &str = "7c6b5a49-3827-4e16-9f0e-d1c2b3a4f5e6";
/// An id no image has.
const UNKNOWN: &str = "11111111-2222-4333-8444-555555555555";

/// The demo environment's images.
const IMAGES: &str = "/api/v1beta0/user/1/images/";

/// The path of image `id` in the demo environment.
fn image_path(id: &str) -> String {
    format!("{IMAGES}{id}/")
}

/// The copy path of image `id` in the demo environment.
fn copy_path(id: &str) -> String {
    format!("{IMAGES}{id}/actions/copy/")
}

/// The example server on a fresh demo database, served in-process over TCP, and two clients
/// that sign with the demo key: one over HTTP, and the crate's test client, which drives the
/// router in-process.
struct Api {
    database: DemoDatabase,
    served: Served,
    client: reqwest::Client,
    router: TestClient,
}

impl Api {
    async fn start() -> Self {
        let database = DemoDatabase::new().await;
        let served = database.serve().await;
        let router = database.client();
        Self { database, served, client: reqwest::Client::new(), router }
    }

    /// A request signed with the demo key; `body` is JSON.
    async fn send(&self, method: Method, path: &str, body: Option<&str>) -> Reply {
        self.send_as(&self.database.signer, method, path, body).await
    }

    /// A request signed by `signer`.
    async fn send_as(&self, signer: &Signer, method: Method, path: &str, body: Option<&str>) -> Reply {
        send_http(&self.client, signer, method, &self.served.url(path), body).await.expect("the server answers")
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: &str) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }

    async fn patch(&self, path: &str, body: &str) -> Reply {
        self.send(Method::PATCH, path, Some(body)).await
    }

    async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    /// A signer for a new key of `user`.
    async fn signer_of(&self, user: User) -> Signer {
        self.database.add_key(user).await.1
    }
}

/// The names of the images of a list envelope, in order.
fn names(reply: &Reply) -> Vec<String> {
    field_of_each(reply, "name")
}

/// The ids of the images of a list envelope, in order.
fn ids(reply: &Reply) -> Vec<String> {
    field_of_each(reply, "id")
}

/// The names of the images of a list envelope the test client received, in order.
fn names_of(response: &TestResponse) -> Vec<String> {
    assert_eq!(response.status().as_u16(), 200, "{response}");
    response
        .data::<Vec<serde_json::Value>>()
        .iter()
        .map(|image| image["name"].as_str().expect("a name").to_owned())
        .collect()
}

fn field_of_each(reply: &Reply, field: &str) -> Vec<String> {
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
    let data = reply.json["data"].as_array().unwrap_or_else(|| panic!("a list: {}", reply.json));
    data.iter().map(|image| image[field].as_str().expect("a string field").to_owned()).collect()
}
