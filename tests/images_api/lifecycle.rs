//! Register, get, rename and delete, with the refusals of each; the store's 503 and the cloud's
//! 501.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use axum::http::Method;
use serde_json::{Value, json};

use super::{
    AMAZON_LINUX, Api, CENTOS_USED_BY_A_ROLE, DEBIAN, I386_DEPRECATED, IMAGES, PENDING_DELETE, SCALR_SCOPE, UBUNTU,
    UNKNOWN, copy_path, image_path, names,
};
use scalr_copy_server::AppState;
use scalr_copy_server::cloud::SimulatedEc2;
use scalr_copy_server::demo::demo_user;
use scalr_copy_server::images::CloudPlatform;
use scalr_copy_server::store::{SqliteOptions, SqliteStore};

/// A registration with every property a client may send.
fn registration() -> Value {
    json!({
        "name": "rocky-9-base",
        "cloudImageId": "ami-0fedcba9876543210",
        "cloudPlatform": "ec2",
        "cloudLocation": "eu-west-3",
        "architecture": "x86_64",
        "os": {"id": "rocky-9"},
        "size": 20,
        "type": "ebs-hvm",
        "scalrAgentInstalled": true,
        "cloudInitInstalled": true,
    })
}

/// `registration()` with `changes` applied: a `null` removes the property.
fn registration_with(changes: Value) -> String {
    let mut body = registration();
    for (property, value) in changes.as_object().unwrap() {
        if value.is_null() {
            body.as_object_mut().unwrap().remove(property);
        } else {
            body[property] = value.clone();
        }
    }
    body.to_string()
}

const NOT_FOUND: &str = "Requested Image either does not exist or is not owned by your environment.";

#[tokio::test]
async fn a_registered_image_is_created_kept_and_listed() {
    let api = Api::start().await;
    let reply = api.post(IMAGES, &registration().to_string()).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.json);
    let data = &reply.json["data"];
    let id = data["id"].as_str().unwrap();
    let added = chrono::DateTime::parse_from_rfc3339(data["added"].as_str().unwrap()).unwrap();
    assert!((chrono::Utc::now() - added.to_utc()).num_seconds().abs() < 60, "{added}");
    assert_eq!(
        *data,
        json!({
            "id": id,
            "name": "rocky-9-base",
            "cloudImageId": "ami-0fedcba9876543210",
            "cloudLocation": "eu-west-3",
            "cloudPlatform": "ec2",
            "added": data["added"],
            "lastUsed": null,
            "scalrAgentInstalled": true,
            "cloudInitInstalled": true,
            "architecture": "x86_64",
            "size": 20,
            "deprecated": false,
            "source": "Manual",
            "status": "active",
            "type": "ebs-hvm",
            "statusError": null,
            "scope": "environment",
            "os": {"id": "rocky-9"},
        })
    );
    assert_eq!(api.get(&image_path(id)).await.json["data"], *data);
    assert_eq!(names(&api.get(&format!("{IMAGES}?os=rocky-9")).await), ["rocky-9-base"]);

    // Optional properties may be left out; the agents are then not installed.
    let minimal = registration_with(json!({
        "cloudImageId": "ami-0a1b2c3d",
        "size": null, "type": null, "scalrAgentInstalled": null, "cloudInitInstalled": null,
    }));
    let reply = api.post(IMAGES, &minimal).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.json);
    let data = &reply.json["data"];
    assert_eq!((&data["size"], &data["type"]), (&Value::Null, &Value::Null));
    assert_eq!((&data["scalrAgentInstalled"], &data["cloudInitInstalled"]), (&json!(false), &json!(false)));
}

#[tokio::test]
async fn a_registration_names_every_required_property() {
    let api = Api::start().await;
    for property in ["name", "cloudImageId", "cloudPlatform", "architecture", "os"] {
        let body = registration_with(json!({ property: null }));
        api.post(IMAGES, &body).await.assert_error(400, "InvalidStructure", &format!("Missed property '{property}'"));
    }
    api.post(IMAGES, &registration_with(json!({"os": {}}))).await.assert_error(
        400,
        "InvalidStructure",
        "Missed property 'os.id'",
    );
    // An EC2 image lives in a region.
    api.post(IMAGES, &registration_with(json!({"cloudLocation": null}))).await.assert_error(
        400,
        "InvalidStructure",
        "Missed property 'cloudLocation'",
    );
}

#[tokio::test]
async fn a_registration_refuses_read_only_and_unknown_properties() {
    let api = Api::start().await;
    let read_only = [
        ("id", json!(UBUNTU)),
        ("added", json!("2026-11-01T09:00:00Z")),
        ("lastUsed", json!(null)),
        ("deprecated", json!(false)),
        ("source", json!("Manual")),
        ("status", json!("active")),
        ("statusError", json!(null)),
        ("scope", json!("environment")),
    ];
    for (property, value) in read_only {
        let mut body = registration();
        body[property] = value;
        api.post(IMAGES, &body.to_string()).await.assert_error(
            400,
            "InvalidStructure",
            &format!("You are trying to set the property {property} which is read-only."),
        );
    }
    api.post(IMAGES, &registration_with(json!({"colour": "red"}))).await.assert_error(
        400,
        "InvalidStructure",
        "You are trying to set the property colour which does not exist.",
    );
    api.post(IMAGES, &registration_with(json!({"os": {"id": "rocky-9", "family": "rhel"}}))).await.assert_error(
        400,
        "InvalidStructure",
        "You are trying to set the property os.family which does not exist.",
    );
}

#[tokio::test]
async fn a_registration_refuses_values_the_image_cannot_have() {
    let api = Api::start().await;
    let invalid_name =
        "Invalid name of the Image: use letters, digits and dashes, beginning and ending with a letter or a digit.";
    let cases = [
        (json!({"name": ""}), invalid_name.to_owned()),
        (json!({"name": "my image"}), invalid_name.to_owned()),
        (json!({"name": "-rocky"}), invalid_name.to_owned()),
        (json!({"cloudLocation": "mars-north-1"}), "Invalid region".to_owned()),
        (
            json!({"type": "ssd"}),
            "Invalid value 'ssd' of property 'type': accepted values are ebs, ebs-hvm, instance-store, \
             instance-store-hvm."
                .to_owned(),
        ),
        (
            json!({"architecture": "arm64"}),
            "Invalid value 'arm64' of property 'architecture': accepted values are i386, x86_64.".to_owned(),
        ),
        (json!({"size": "big"}), "Invalid type of property 'size': expected u32, found string \"big\".".to_owned()),
        (
            json!({"cloudImageId": "img-123"}),
            "Unable to find the requested image on the cloud, or it is not usable by your account".to_owned(),
        ),
    ];
    for (changes, message) in cases {
        api.post(IMAGES, &registration_with(changes)).await.assert_error(400, "InvalidValue", &message);
    }
}

#[tokio::test]
async fn a_registration_needs_an_enabled_platform_a_cloud_that_knows_it_and_a_new_image() {
    let api = Api::start().await;
    let gce = registration_with(json!({"cloudPlatform": "gce", "cloudLocation": null, "type": null}));
    api.post(IMAGES, &gce).await.assert_error(409, "NotEnabledPlatform", "Platform 'gce' is not enabled.");

    // Environment 3 has GCE enabled, which the simulated cloud does not serve.
    api.database.add_environment(3, vec![CloudPlatform::Gce]).await;
    let mut user = demo_user();
    user.environments.insert(scalr_endpoints::EnvId::new(3).unwrap());
    let user = api.signer_of(user).await;
    api.send_as(&user, Method::POST, "/api/v1beta0/user/3/images/", Some(&gce)).await.assert_error(
        501,
        "NotImplemented",
        "This server cannot find images on the gce cloud.",
    );

    let body = registration().to_string();
    assert_eq!(api.post(IMAGES, &body).await.status.as_u16(), 201);
    api.post(IMAGES, &body).await.assert_error(
        409,
        "UnicityViolation",
        "This Image has already been registered in Scalr",
    );
    // The same cloud image elsewhere is another image.
    let elsewhere = registration_with(json!({"cloudLocation": "eu-west-2"}));
    assert_eq!(api.post(IMAGES, &elsewhere).await.status.as_u16(), 201);
}

#[tokio::test]
async fn changing_images_needs_the_permission_to_manage_them() {
    let api = Api::start().await;
    let mut reader = demo_user();
    reader.permissions = BTreeSet::new();
    let reader = api.signer_of(reader).await;
    let refusals = [
        (Method::POST, IMAGES.to_owned(), Some(registration().to_string())),
        (Method::PATCH, image_path(UBUNTU), Some(r#"{"name": "renamed"}"#.to_owned())),
        (Method::DELETE, image_path(UBUNTU), None),
    ];
    for (method, path, body) in refusals {
        api.send_as(&reader, method, &path, body.as_deref()).await.assert_error(
            403,
            "PermissionViolation",
            "Insufficient Permissions",
        );
    }
    // Reading needs no permission.
    for path in [IMAGES.to_owned(), image_path(UBUNTU)] {
        assert_eq!(api.send_as(&reader, Method::GET, &path, None).await.status.as_u16(), 200);
    }
}

#[tokio::test]
async fn an_image_is_fetched_by_its_id() {
    let api = Api::start().await;
    let reply = api.get(&image_path(DEBIAN)).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
    assert_eq!(
        reply.json,
        json!({
            "data": {
                "id": DEBIAN,
                "name": "debian-12-worker",
                "cloudImageId": "ami-01a2b3c4d5e6f7086",
                "cloudLocation": "eu-central-1",
                "cloudPlatform": "ec2",
                "added": "2026-11-01T09:05:00Z",
                "lastUsed": null,
                "scalrAgentInstalled": false,
                "cloudInitInstalled": true,
                "architecture": "x86_64",
                "size": 8,
                "deprecated": false,
                "source": "Manual",
                "status": "active",
                "type": "ebs",
                "statusError": null,
                "scope": "environment",
                "os": {"id": "debian-12"},
            },
            "errors": [],
            "meta": {"requestId": reply.request_id()},
            "warnings": [],
        })
    );
    let upper_case = api.get(&format!("{IMAGES}{}", I386_DEPRECATED.to_uppercase())).await;
    assert_eq!(upper_case.json["data"]["name"], "ubuntu-16-04-i386");
    assert_eq!(api.get(&image_path(SCALR_SCOPE)).await.json["data"]["scope"], "scalr");
    api.get(&image_path(UNKNOWN)).await.assert_error(404, "ObjectNotFound", NOT_FOUND);
    api.get(&format!("{IMAGES}not-a-uuid/")).await.assert_error(
        404,
        "EndpointNotFound",
        "The endpoint you are trying to access does not exist.",
    );
}

#[tokio::test]
async fn renaming_changes_the_name_alone() {
    let api = Api::start().await;
    let path = image_path(AMAZON_LINUX);
    let mut expected = api.get(&path).await.json["data"].clone();
    expected["name"] = json!("amazon-linux-2-postgres");
    let reply = api.patch(&path, r#"{"name": "amazon-linux-2-postgres"}"#).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
    assert_eq!(reply.json["data"], expected);
    assert_eq!(api.get(&path).await.json["data"], expected);
    assert_eq!(names(&api.get(&format!("{IMAGES}?id={AMAZON_LINUX}")).await), ["amazon-linux-2-postgres"]);
}

#[tokio::test]
async fn renaming_refuses_other_properties_and_images_it_may_not_change() {
    let api = Api::start().await;
    let path = image_path(AMAZON_LINUX);
    for property in ["cloudLocation", "size", "status", "scalrAgentInstalled"] {
        let body = json!({"name": "renamed", property: "x"}).to_string();
        api.patch(&path, &body).await.assert_error(
            400,
            "InvalidStructure",
            &format!("You are trying to set the property {property} which is not alterable: only name can be changed."),
        );
    }
    api.patch(&path, r#"{"name": "renamed", "colour": "red"}"#).await.assert_error(
        400,
        "InvalidStructure",
        "You are trying to set the property colour which does not exist.",
    );
    api.patch(&path, "{}").await.assert_error(400, "InvalidStructure", "Missed property 'name'");
    api.patch(&path, r#"{"name": "a b"}"#).await.assert_error(
        400,
        "InvalidValue",
        "Invalid name of the Image: use letters, digits and dashes, beginning and ending with a letter or a digit.",
    );
    let rename = r#"{"name": "renamed"}"#;
    api.patch(&image_path(UNKNOWN), rename).await.assert_error(404, "ObjectNotFound", NOT_FOUND);
    api.patch(&image_path(SCALR_SCOPE), rename).await.assert_error(
        403,
        "ScopeViolation",
        "The image is not either from the environment scope or owned by your environment.",
    );
    api.patch(&image_path(PENDING_DELETE), rename).await.assert_error(
        409,
        "UnacceptableImageStatus",
        "You can not use the image legacy-build-2019 because it awaiting deletion on the cloud.",
    );
    assert_eq!(api.get(&path).await.json["data"]["name"], "amazon-linux-2-db", "nothing was renamed");
}

#[tokio::test]
async fn deleting_forgets_an_image() {
    let api = Api::start().await;
    let reply = api.delete(&image_path(DEBIAN)).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
    assert_eq!(
        reply.json,
        json!({"data": null, "errors": [], "meta": {"requestId": reply.request_id()}, "warnings": []})
    );
    api.get(&image_path(DEBIAN)).await.assert_error(404, "ObjectNotFound", NOT_FOUND);
    api.delete(&image_path(DEBIAN)).await.assert_error(404, "ObjectNotFound", NOT_FOUND);
    assert!(!names(&api.get(IMAGES).await).contains(&"debian-12-worker".to_owned()));
}

#[tokio::test]
async fn deleting_from_the_cloud_forgets_the_image_once_the_cloud_has_deleted_it() {
    let api = Api::start().await;
    let path = image_path(AMAZON_LINUX);
    let reply = api.delete(&format!("{path}?deleteFromCloud=true")).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
    api.get(&path).await.assert_error(404, "ObjectNotFound", NOT_FOUND);
    api.delete(&path).await.assert_error(404, "ObjectNotFound", NOT_FOUND);
    // An image awaiting deletion (the demo's legacy one) can be neither copied nor deleted.
    let awaiting = "You can not use the image legacy-build-2019 because it awaiting deletion on the cloud.";
    let copy = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;
    api.post(&copy_path(PENDING_DELETE), copy).await.assert_error(409, "UnacceptableImageStatus", awaiting);
    api.delete(&image_path(PENDING_DELETE)).await.assert_error(409, "UnacceptableImageStatus", awaiting);
    // `false` forgets the image.
    let forgotten = api.delete(&format!("{}?deleteFromCloud=false", image_path(UBUNTU))).await;
    assert_eq!(forgotten.status.as_u16(), 200, "{}", forgotten.json);
    api.get(&image_path(UBUNTU)).await.assert_error(404, "ObjectNotFound", NOT_FOUND);
}

#[tokio::test]
async fn deleting_refuses_images_in_use_and_images_it_may_not_change() {
    let api = Api::start().await;
    for query in ["", "?deleteFromCloud=true"] {
        api.delete(&format!("{}{query}", image_path(CENTOS_USED_BY_A_ROLE))).await.assert_error(
            409,
            "ObjectInUse",
            "The Image is used by the role web-frontend.",
        );
    }
    assert_eq!(api.get(&image_path(CENTOS_USED_BY_A_ROLE)).await.json["data"]["status"], "active");
    api.delete(&format!("{}?deleteFromCloud=yes", image_path(UBUNTU))).await.assert_error(
        400,
        "InvalidValue",
        "Invalid value 'yes' of parameter 'deleteFromCloud': expected true or false.",
    );
    api.delete(&image_path(UNKNOWN)).await.assert_error(404, "ObjectNotFound", NOT_FOUND);
    api.delete(&image_path(SCALR_SCOPE)).await.assert_error(
        403,
        "ScopeViolation",
        "The image is not either from the environment scope or owned by your environment.",
    );
    assert_eq!(names(&api.get(IMAGES).await).len(), 7, "nothing was deleted");
}

#[tokio::test]
async fn a_busy_database_answers_503_and_the_next_request_succeeds() {
    let api = Api::start().await;
    let Some(path) = api.database.sqlite_path() else {
        eprintln!("skipped: SQLite's write lock (the suite runs on PostgreSQL)");
        return;
    };
    // A second server on the same database, which waits 200 ms for a lock.
    let options = SqliteOptions { wait_limit: Duration::from_millis(200), ..SqliteOptions::default() };
    let store = SqliteStore::open(path, options).await.unwrap();
    let state = AppState { store: Arc::new(store), cloud: Arc::new(SimulatedEc2) };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, scalr_copy_server::router(state)).await });
    let url = format!("http://{address}{}", copy_path(UBUNTU));
    let copy = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;

    // Another process holds the write lock.
    let locker = rusqlite::Connection::open(path).unwrap();
    locker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let signer = &api.database.signer;
    let busy =
        scalr_copy_server::testing::http::send_http(&api.client, signer, Method::POST, &url, Some(copy)).await.unwrap();
    busy.assert_error(503, "ServiceUnavailable", "The image store is busy; try again later.");
    // Reads go on meanwhile.
    let image_url = url.replace("actions/copy/", "");
    let fetched =
        scalr_copy_server::testing::http::send_http(&api.client, signer, Method::GET, &image_url, None).await.unwrap();
    assert_eq!(fetched.status.as_u16(), 200);

    locker.execute_batch("ROLLBACK").unwrap();
    let copied =
        scalr_copy_server::testing::http::send_http(&api.client, signer, Method::POST, &url, Some(copy)).await.unwrap();
    assert_eq!(copied.status.as_u16(), 201, "{}", copied.json);
    server.abort();
}
