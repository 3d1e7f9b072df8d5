//! The copy action of the example server, driven in-process with signed requests: the success
//! envelope, the checks of the wire contract's section 7 (check 1 being the action's
//! `permission`), and the list envelope. `tests/images_api/` drives every images action over TCP.

use std::collections::BTreeSet;

use axum::http::Method;
use chrono::Utc;
use scalr_endpoints::EnvId;
use scalr_endpoints::auth::{MemoryKeyStore, Secret, Signer, User};
use serde_json::{Value, json};

use scalr_copy_server::images::CloudPlatform;
use scalr_copy_server::store::{Directory, Store};
use scalr_copy_server::testing::demo_server::{DemoDatabase, expected_copy_of_ubuntu};
use scalr_endpoints::ErrorCode;
use scalr_endpoints::test::{TestClient, TestResponse};

const UBUNTU: &str = "3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c";
const PENDING_DELETE: &str = "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d";
const SCALR_SCOPE: &str = "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716";
const UNKNOWN: &str = "11111111-2222-4333-8444-555555555555";

/// The example's router over a fresh demo database, and the test client, signing with a key of
/// one user.
struct Server {
    database: DemoDatabase,
    client: TestClient,
}

impl Server {
    /// Signed by the demo user, who may manage the images of the demo environment.
    async fn new() -> Self {
        Self::signed_by(scalr_copy_server::demo::demo_user()).await
    }

    /// Signed by `user`. Environment 2 exists besides the demo environment, and holds nothing.
    async fn signed_by(user: User) -> Self {
        let database = DemoDatabase::new().await;
        database.add_environment(2, vec![CloudPlatform::Ec2]).await;
        let client = database.client_of(user).await;
        Self { database, client }
    }

    async fn send_json(&self, method: Method, uri: &str, body: &str) -> TestResponse {
        self.client.request(method, uri).body(body.to_owned(), "application/json").send().await
    }

    async fn send_empty(&self, method: Method, uri: &str) -> TestResponse {
        self.client.request(method, uri).send().await
    }

    async fn copy(&self, image: &str, body: &str) -> TestResponse {
        self.send_json(Method::POST, &copy_uri(image), body).await
    }
}

fn copy_uri(image: &str) -> String {
    format!("/api/v1beta0/user/1/images/{image}/actions/copy/")
}

#[tokio::test]
async fn copying_answers_201_with_the_new_image() {
    let server = Server::new().await;
    let reply = server.copy(UBUNTU, r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#).await;
    assert_eq!(reply.status().as_u16(), 201, "{}", reply.json());
    assert_eq!(reply.headers()["content-type"], "application/json");
    let expected = expected_copy_of_ubuntu(reply.json(), &reply.request_id().to_string());
    let id = expected["data"]["id"].as_str().unwrap();
    assert_eq!(*reply.json(), expected);

    let listed = server.send_empty(Method::GET, "/api/v1beta0/user/1/images/").await;
    let ids: Vec<&str> =
        listed.json()["data"].as_array().unwrap().iter().map(|image| image["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&id), "the copy is listed");
}

#[tokio::test]
async fn the_route_answers_without_a_trailing_slash_and_with_an_upper_case_id() {
    let server = Server::new().await;
    let uri = format!("/api/v1beta0/user/1/images/{}/actions/copy", UBUNTU.to_uppercase());
    let reply = server.send_json(Method::POST, &uri, r#"{"cloudLocation": "eu-west-2", "cloudPlatform": "ec2"}"#).await;
    assert_eq!(reply.status().as_u16(), 201, "{}", reply.json());
    assert_eq!(reply.json()["data"]["name"], "ubuntu-22-04-base");
}

#[tokio::test]
async fn each_copy_check_has_its_code_and_message() {
    let server = Server::new().await;
    let cases: &[(&str, &str, u16, &str, &str)] = &[
        (UBUNTU, r#"{"cloudPlatform": "ec2"}"#, 400, "InvalidStructure", "Missed property 'cloudLocation'"),
        (
            UBUNTU,
            r#"{"cloudLocation": "", "cloudPlatform": "ec2"}"#,
            400,
            "InvalidStructure",
            "Missed property 'cloudLocation'",
        ),
        (UBUNTU, r#"{"cloudLocation": "us-west-2"}"#, 400, "InvalidStructure", "Missed property 'cloudPlatform'"),
        (UBUNTU, r#"{"cloudLocation": "mars-north-1", "cloudPlatform": "ec2"}"#, 400, "InvalidValue", "Invalid region"),
        (
            UBUNTU,
            r#"{"cloudLocation": "us-west-2", "cloudPlatform": "gce"}"#,
            400,
            "InvalidValue",
            "Only Ec2 cloud platform is supported",
        ),
        // Body checks come before the image lookup.
        (
            UNKNOWN,
            r#"{"cloudLocation": "us-west-2", "cloudPlatform": "gce"}"#,
            400,
            "InvalidValue",
            "Only Ec2 cloud platform is supported",
        ),
        (
            UNKNOWN,
            r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#,
            404,
            "ObjectNotFound",
            "Requested Image either does not exist or is not owned by your environment.",
        ),
        (
            SCALR_SCOPE,
            r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#,
            403,
            "ScopeViolation",
            "The image is not either from the environment scope or owned by your environment.",
        ),
        (
            PENDING_DELETE,
            r#"{"cloudLocation": "us-east-1", "cloudPlatform": "ec2"}"#,
            409,
            "UnacceptableImageStatus",
            "You can not use the image legacy-build-2019 because it awaiting deletion on the cloud.",
        ),
        (
            UBUNTU,
            r#"{"cloudLocation": "us-east-1", "cloudPlatform": "ec2"}"#,
            400,
            "BadRequest",
            "Destination region is the same as source one",
        ),
    ];
    for (image, body, status, code, message) in cases {
        let response = server.copy(image, body).await;
        assert_eq!(response.status().as_u16(), *status, "{response}");
        response.assert_error(ErrorCode::from_name(code).unwrap(), message);
    }
}

#[tokio::test]
async fn another_environment_does_not_see_the_image() {
    let mut user = scalr_copy_server::demo::demo_user();
    user.environments.insert(EnvId::new(2).unwrap());
    let server = Server::signed_by(user).await;
    let reply = server
        .send_json(
            Method::POST,
            &format!("/api/v1beta0/user/2/images/{UBUNTU}/actions/copy"),
            r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#,
        )
        .await;
    reply.assert_error(
        ErrorCode::ObjectNotFound,
        "Requested Image either does not exist or is not owned by your environment.",
    );
}

#[tokio::test]
async fn lists_come_in_pages_with_links() {
    let server = Server::new().await;
    let reply = server.send_empty(Method::GET, "/api/v1beta0/user/1/images/?maxResults=2&pageNum=2").await;
    assert_eq!(reply.status().as_u16(), 200);
    assert_eq!(reply.headers()["content-type"], "application/json");
    let names: Vec<&str> =
        reply.json()["data"].as_array().unwrap().iter().map(|image| image["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["amazon-linux-2-db", "legacy-build-2019"]);
    assert_eq!(reply.json()["errors"], json!([]));
    assert_eq!(reply.json()["warnings"], json!([]));
    assert_eq!(reply.json()["meta"], json!({"requestId": reply.request_id()}));
    assert_eq!(
        reply.json()["pagination"],
        json!({
            "first": "/api/v1beta0/user/1/images/?maxResults=2&pageNum=1",
            "last": "/api/v1beta0/user/1/images/?maxResults=2&pageNum=4",
            "prev": "/api/v1beta0/user/1/images/?maxResults=2&pageNum=1",
            "next": "/api/v1beta0/user/1/images/?maxResults=2&pageNum=3",
        })
    );
    let keys: Vec<&String> = reply.json().as_object().unwrap().keys().collect();
    assert_eq!(keys, ["data", "errors", "meta", "pagination", "warnings"]);

    let all = server.send_empty(Method::GET, "/api/v1beta0/user/1/images").await;
    assert_eq!(all.json()["data"].as_array().map(Vec::len), Some(7));
    assert_eq!(all.json()["pagination"], json!({"first": null, "last": null, "prev": null, "next": null}));
}

#[tokio::test]
async fn get_routes_answer_head_without_a_body() {
    let server = Server::new().await;
    let reply = server.send_empty(Method::HEAD, "/api/v1beta0/user/1/images/").await;
    assert_eq!(reply.status().as_u16(), 200);
    assert_eq!(reply.headers()["content-type"], "application/json");
    assert!(reply.body().is_empty());
    assert_eq!(*reply.json(), Value::Null);
}

#[tokio::test]
async fn the_server_refuses_unsigned_requests() {
    let server = Server::new().await;
    let body = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;
    let unsigned = server.client.clone().unsigned();
    let reply = unsigned.post(&copy_uri(UBUNTU)).body(body, "application/json").send().await;
    reply.assert_error(ErrorCode::BadAuthentication, "Unsigned request");
}

#[tokio::test]
async fn copying_takes_the_permission_to_manage_images_before_any_other_check() {
    let mut user = scalr_copy_server::demo::demo_user();
    user.permissions = BTreeSet::from(["images:read".to_owned()]);
    let server = Server::signed_by(user).await;
    // Check 1 comes before the body's checks (2 to 4) and the image lookup (5).
    for (image, body) in [(UBUNTU, r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#), (UNKNOWN, "{}")] {
        server.copy(image, body).await.assert_error(ErrorCode::PermissionViolation, "Insufficient Permissions");
    }
    let listed = server.send_empty(Method::GET, "/api/v1beta0/user/1/images/").await;
    assert_eq!(listed.status().as_u16(), 200, "listing needs no permission: {}", listed.json());
}

#[tokio::test]
async fn the_example_key_file_serves_its_keys() {
    let keys = MemoryKeyStore::from_json_file("examples/copy_server/keys.example.json").unwrap();
    let database = DemoDatabase::new().await;
    database.store.import(Directory::from_key_file(&keys)).await.unwrap();
    let router = database.router();
    let body = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;
    let copy = |key_id: &str, secret: &str| {
        let client = TestClient::new(router.clone()).signed(key_id, secret);
        async move { client.post(&copy_uri(UBUNTU)).body(body, "application/json").send().await }
    };
    let copied = copy("APIKDEMO000000000001", "demo-secret-replace-me-0123456789abcdef").await;
    assert_eq!(copied.status().as_u16(), 201, "{copied}");
    copy("APIKAUDITOR000000001", "auditor-secret-replace-me-0123456789ab")
        .await
        .assert_error(ErrorCode::PermissionViolation, "Insufficient Permissions");
    copy("APIKFORMER0000000001", "former-secret-replace-me-0123456789abc")
        .await
        .assert_error(ErrorCode::PermissionViolation, "Inactive user status");
}

/// Over a real connection, as the README's client sends it: what reqwest puts on the wire
/// (the percent-encoded path, the query) is what the server verifies.
#[tokio::test]
async fn a_reqwest_client_signs_what_travels_over_http() {
    let server = Server::new().await;
    let served = server.database.serve().await;
    let address = served.address;

    let client = reqwest::Client::new();
    let at = Utc::now();
    let send = |path: &str, body: Option<&str>, signer: &Signer| {
        let url = format!("http://{address}{path}");
        let mut request = match body {
            Some(body) => client.post(url).header("content-type", "application/json").body(body.to_owned()),
            None => client.get(url),
        }
        .build()
        .unwrap();
        signer.sign_reqwest(&mut request, at).unwrap();
        client.execute(request)
    };
    // `%33` is the image id's first digit, percent-encoded: signed and verified as sent.
    let encoded = format!("/api/v1beta0/user/1/images/%33{}/actions/copy/?pageNum=1", &UBUNTU[1..]);
    let body = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;
    let copied = send(&encoded, Some(body), &server.database.signer).await.unwrap();
    assert_eq!(copied.status().as_u16(), 201, "{}", copied.text().await.unwrap());
    let listed =
        send("/api/v1beta0/user/1/images/?maxResults=2&pageNum=4", None, &server.database.signer).await.unwrap();
    let listed: Value = serde_json::from_str(&listed.text().await.unwrap()).unwrap();
    assert_eq!(listed["data"].as_array().map(Vec::len), Some(2), "{listed}");

    let forged = Signer::new(&server.database.key_id, Secret::new("a guess")).unwrap().with_debug();
    let refused = send(&encoded, Some(body), &forged).await.unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    let refused: Value = serde_json::from_str(&refused.text().await.unwrap()).unwrap();
    let date = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (path, query) = encoded.split_once('?').unwrap();
    assert_eq!(refused["meta"]["stringToSign"], format!("POST\n{date}\n{path}\n{query}\n{body}"));
}
