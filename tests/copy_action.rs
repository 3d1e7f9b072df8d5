//! The copy action of the example server, driven in-process: the success envelope, every check
//! of the wire contract's section 7 that the example implements, and the list envelope.

#[path = "../examples/copy_server/app/mod.rs"]
mod app;
mod common;

use axum::Router;
use axum::http::Method;
use serde_json::{Value, json};

use common::{empty_request, json_request, send};

const UBUNTU: &str = "3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c";
const PENDING_DELETE: &str = "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d";
const SCALR_SCOPE: &str = "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716";
const UNKNOWN: &str = "11111111-2222-4333-8444-555555555555";

fn server() -> Router {
    let state = app::AppState::default();
    app::demo::seed(&state.store);
    app::router(state)
}

fn copy_uri(image: &str) -> String {
    format!("/api/v1beta0/user/1/images/{image}/actions/copy/")
}

async fn copy(router: &Router, image: &str, body: &str) -> common::Reply {
    send(router, json_request(Method::POST, &copy_uri(image), body)).await
}

#[tokio::test]
async fn copying_answers_201_with_the_new_image() {
    let router = server();
    let reply = copy(&router, UBUNTU, r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.json);
    reply.assert_json();
    let data = &reply.json["data"];
    let id = data["id"].as_str().unwrap();
    assert_ne!(id, UBUNTU);
    assert!(uuid::Uuid::parse_str(id).is_ok());
    let ami = data["cloudImageId"].as_str().unwrap();
    assert!(ami.len() == 21 && ami.starts_with("ami-"), "{ami}");
    assert!(ami[4..].chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)), "{ami}");
    let added = chrono::DateTime::parse_from_rfc3339(data["added"].as_str().unwrap()).unwrap();
    assert!((chrono::Utc::now() - added.to_utc()).num_seconds().abs() < 60);
    let expected = json!({
        "data": {
            "id": id,
            "name": "ubuntu-22-04-base",
            "cloudImageId": ami,
            "cloudLocation": "us-west-2",
            "cloudPlatform": "ec2",
            "added": data["added"],
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
        "meta": {"requestId": reply.request_id()},
        "warnings": [],
    });
    assert_eq!(reply.json, expected);

    let listed = send(&router, empty_request(Method::GET, "/api/v1beta0/user/1/images/")).await;
    let ids: Vec<&str> =
        listed.json["data"].as_array().unwrap().iter().map(|image| image["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&id), "the copy is listed");
}

#[tokio::test]
async fn the_route_answers_without_a_trailing_slash_and_with_an_upper_case_id() {
    let router = server();
    let uri = format!("/api/v1beta0/user/1/images/{}/actions/copy", UBUNTU.to_uppercase());
    let reply =
        send(&router, json_request(Method::POST, &uri, r#"{"cloudLocation": "eu-west-2", "cloudPlatform": "ec2"}"#))
            .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.json);
    assert_eq!(reply.json["data"]["name"], "ubuntu-22-04-base");
}

#[tokio::test]
async fn each_copy_check_has_its_code_and_message() {
    let router = server();
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
        copy(&router, image, body).await.assert_error(*status, code, message);
    }
}

#[tokio::test]
async fn another_environment_does_not_see_the_image() {
    let router = server();
    let reply = send(
        &router,
        json_request(
            Method::POST,
            &format!("/api/v1beta0/user/2/images/{UBUNTU}/actions/copy"),
            r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#,
        ),
    )
    .await;
    reply.assert_error(
        404,
        "ObjectNotFound",
        "Requested Image either does not exist or is not owned by your environment.",
    );
}

#[tokio::test]
async fn lists_come_in_pages_with_links() {
    let router = server();
    let reply = send(&router, empty_request(Method::GET, "/api/v1beta0/user/1/images/?maxResults=2&pageNum=2")).await;
    assert_eq!(reply.status.as_u16(), 200);
    reply.assert_json();
    let names: Vec<&str> =
        reply.json["data"].as_array().unwrap().iter().map(|image| image["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["amazon-linux-2-db", "legacy-build-2019"]);
    assert_eq!(reply.json["errors"], json!([]));
    assert_eq!(reply.json["warnings"], json!([]));
    assert_eq!(reply.json["meta"], json!({"requestId": reply.request_id()}));
    assert_eq!(
        reply.json["pagination"],
        json!({
            "first": "/api/v1beta0/user/1/images/?maxResults=2&pageNum=1",
            "last": "/api/v1beta0/user/1/images/?maxResults=2&pageNum=3",
            "prev": "/api/v1beta0/user/1/images/?maxResults=2&pageNum=1",
            "next": "/api/v1beta0/user/1/images/?maxResults=2&pageNum=3",
        })
    );
    let keys: Vec<&String> = reply.json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["data", "errors", "meta", "pagination", "warnings"]);

    let all = send(&router, empty_request(Method::GET, "/api/v1beta0/user/1/images")).await;
    assert_eq!(all.json["data"].as_array().map(Vec::len), Some(5));
    assert_eq!(all.json["pagination"], json!({"first": null, "last": null, "prev": null, "next": null}));
}

#[tokio::test]
async fn get_routes_answer_head_without_a_body() {
    let router = server();
    let reply = send(&router, empty_request(Method::HEAD, "/api/v1beta0/user/1/images/")).await;
    assert_eq!(reply.status.as_u16(), 200);
    reply.assert_json();
    assert!(reply.raw.is_empty());
    assert_eq!(reply.json, Value::Null);
}
