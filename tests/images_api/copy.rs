//! The copy action: each of the nine copy checks (docs/wire-contract.md#copy-checks) with its
//! status, code and exact message, the order between neighbouring checks, the route's forms, and
//! the new image.

use std::collections::BTreeSet;

use scalr_endpoints::test::TestResponse;
use scalr_endpoints::{EnvId, ErrorCode};

use scalr_copy_server::demo::demo_user;
use scalr_copy_server::images::{CloudPlatform, ImageId};
use scalr_copy_server::testing::demo_server::expected_copy_of_ubuntu;

use super::{Api, IMAGES, PENDING_DELETE, SCALR_SCOPE, UBUNTU, UNKNOWN, copy_path, image_path};

const TO_US_WEST_2: &str = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;

/// Asserts that `response` is the error envelope of `code` and `message`, sent with `status`:
/// the status a client sees for the check, written out as docs/wire-contract.md#copy-checks
/// gives it.
fn assert_refused(response: &TestResponse, status: u16, code: ErrorCode, message: &str) {
    assert_eq!(response.status().as_u16(), status, "{response}");
    response.assert_error(code, message);
}

#[tokio::test]
async fn check_1_the_caller_may_manage_images() {
    let api = Api::start().await;
    let mut reader = demo_user();
    reader.permissions = BTreeSet::from(["images:read".to_owned()]);
    let reader = api.database.client_of(reader).await;
    // Before the body's checks (2 to 4) and the image lookup (5): docs/wire-contract.md#copy-check-1.
    for (image, body) in [(UBUNTU, TO_US_WEST_2), (UNKNOWN, "{}")] {
        let response = reader.post(&copy_path(image)).body(body.to_owned(), "application/json").send().await;
        assert_refused(&response, 403, ErrorCode::PermissionViolation, "Insufficient Permissions");
    }
    let listed = reader.get(IMAGES).send().await;
    assert_eq!(listed.status().as_u16(), 200, "listing needs no permission: {listed}");
}

#[tokio::test]
async fn check_2_the_body_names_a_location_and_a_platform() {
    let api = Api::start().await;
    let cases = [
        (r#"{"cloudPlatform": "ec2"}"#, "Missed property 'cloudLocation'"),
        (r#"{"cloudLocation": "", "cloudPlatform": "ec2"}"#, "Missed property 'cloudLocation'"),
        (r#"{"cloudLocation": null, "cloudPlatform": "ec2"}"#, "Missed property 'cloudLocation'"),
        (r#"{"cloudLocation": "us-west-2"}"#, "Missed property 'cloudPlatform'"),
        (r#"{"cloudLocation": "us-west-2", "cloudPlatform": ""}"#, "Missed property 'cloudPlatform'"),
        ("{}", "Missed property 'cloudLocation'"),
        (
            r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2", "zone": "a"}"#,
            "You are trying to set the property zone which does not exist.",
        ),
    ];
    for (body, message) in cases {
        let response = api.router.post(&copy_path(UBUNTU)).body(body.to_owned(), "application/json").send().await;
        assert_refused(&response, 400, ErrorCode::InvalidStructure, message);
    }
}

#[tokio::test]
async fn check_3_the_location_is_an_aws_region() {
    let api = Api::start().await;
    for body in [
        r#"{"cloudLocation": "mars-north-1", "cloudPlatform": "ec2"}"#,
        r#"{"cloudLocation": "US-WEST-2", "cloudPlatform": "ec2"}"#,
        // Before docs/wire-contract.md#copy-check-4.
        r#"{"cloudLocation": "mars-north-1", "cloudPlatform": "gce"}"#,
    ] {
        let response = api.router.post(&copy_path(UBUNTU)).body(body.to_owned(), "application/json").send().await;
        assert_refused(&response, 400, ErrorCode::InvalidValue, "Invalid region");
    }
}

#[tokio::test]
async fn check_4_the_platform_is_ec2() {
    let api = Api::start().await;
    // An unknown image too: the body's checks come before the image lookup.
    for image in [UBUNTU, UNKNOWN] {
        for platform in ["gce", "EC2", "aws"] {
            let body = format!(r#"{{"cloudLocation": "us-west-2", "cloudPlatform": "{platform}"}}"#);
            let response = api.router.post(&copy_path(image)).body(body, "application/json").send().await;
            assert_refused(&response, 400, ErrorCode::InvalidValue, "Only Ec2 cloud platform is supported");
        }
    }
}

#[tokio::test]
async fn check_5_the_image_exists_in_this_environment() {
    let api = Api::start().await;
    let not_found = "Requested Image either does not exist or is not owned by your environment.";
    let response = api.router.post(&copy_path(UNKNOWN)).body(TO_US_WEST_2.to_owned(), "application/json").send().await;
    assert_refused(&response, 404, ErrorCode::ObjectNotFound, not_found);
    // Environment 2 does not see the demo environment's images, on either form of the route.
    api.database.add_environment(2, vec![CloudPlatform::Ec2]).await;
    let mut user = demo_user();
    user.environments.insert(EnvId::new(2).unwrap());
    let user = api.database.client_of(user).await;
    for other_environment in [
        format!("/api/v1beta0/user/2/images/{UBUNTU}/actions/copy/"),
        format!("/api/v1beta0/user/2/images/{UBUNTU}/actions/copy"),
    ] {
        let response = user.post(&other_environment).body(TO_US_WEST_2.to_owned(), "application/json").send().await;
        assert_refused(&response, 404, ErrorCode::ObjectNotFound, not_found);
    }
}

#[tokio::test]
async fn check_6_the_image_belongs_to_the_environment_scope() {
    let api = Api::start().await;
    let response =
        api.router.post(&copy_path(SCALR_SCOPE)).body(TO_US_WEST_2.to_owned(), "application/json").send().await;
    assert_refused(
        &response,
        403,
        ErrorCode::ScopeViolation,
        "The image is not either from the environment scope or owned by your environment.",
    );
}

#[tokio::test]
async fn check_7_the_image_awaits_no_deletion() {
    let api = Api::start().await;
    // The image lives in us-west-2: docs/wire-contract.md#copy-check-7 comes before
    // docs/wire-contract.md#copy-check-8. Another region is refused the same way.
    for body in [TO_US_WEST_2, r#"{"cloudLocation": "us-east-1", "cloudPlatform": "ec2"}"#] {
        let response =
            api.router.post(&copy_path(PENDING_DELETE)).body(body.to_owned(), "application/json").send().await;
        assert_refused(
            &response,
            409,
            ErrorCode::UnacceptableImageStatus,
            "You can not use the image legacy-build-2019 because it awaiting deletion on the cloud.",
        );
    }
}

#[tokio::test]
async fn check_8_the_destination_is_another_region() {
    let api = Api::start().await;
    let response = api
        .router
        .post(&copy_path(UBUNTU))
        .body(r#"{"cloudLocation": "us-east-1", "cloudPlatform": "ec2"}"#.to_owned(), "application/json")
        .send()
        .await;
    assert_refused(&response, 400, ErrorCode::BadRequest, "Destination region is the same as source one");
}

#[tokio::test]
async fn check_9_ec2_is_enabled_in_the_environment() {
    let api = Api::start().await;
    // Environment 3 has turned EC2 off since it registered an EC2 image in us-east-1.
    api.database.add_environment(3, vec![CloudPlatform::Gce]).await;
    let env = EnvId::new(3).unwrap();
    let demo_image = api.database.store.find_image(EnvId::new(1).unwrap(), ImageId(UBUNTU.parse().unwrap()));
    let image =
        demo_image.await.unwrap().unwrap().copied_to("us-east-1".to_owned(), "ami-0123456789abcdef0".to_owned());
    api.database.store.insert_image(Some(env), image.clone()).await.unwrap();
    let mut user = demo_user();
    user.environments.insert(env);
    let user = api.database.client_of(user).await;
    let path = format!("/api/v1beta0/user/3/images/{}/actions/copy/", image.id);
    let response = user.post(&path).body(TO_US_WEST_2.to_owned(), "application/json").send().await;
    assert_refused(&response, 409, ErrorCode::NotEnabledPlatform, "Platform 'ec2' is not enabled.");
    // docs/wire-contract.md#copy-check-8 comes first.
    let same_region = r#"{"cloudLocation": "us-east-1", "cloudPlatform": "ec2"}"#;
    let response = user.post(&path).body(same_region.to_owned(), "application/json").send().await;
    assert_refused(&response, 400, ErrorCode::BadRequest, "Destination region is the same as source one");
}

#[tokio::test]
async fn a_copy_is_a_new_image_in_the_destination_region() {
    let api = Api::start().await;
    let reply = api.router.post(&copy_path(UBUNTU)).body(TO_US_WEST_2.to_owned(), "application/json").send().await;
    assert_eq!(reply.status().as_u16(), 201, "{}", reply.json());
    assert_eq!(reply.headers()["content-type"], "application/json");
    let expected = expected_copy_of_ubuntu(reply.json(), &reply.request_id().to_string());
    let id = expected["data"]["id"].as_str().unwrap();
    assert_eq!(*reply.json(), expected);

    // Kept as returned, and listed, filtered or not.
    let fetched = api.router.get(&image_path(id)).send().await;
    assert_eq!(fetched.json()["data"], expected["data"]);
    for list in [format!("{IMAGES}?cloudPlatform=ec2&cloudLocation=us-west-2"), IMAGES.to_owned()] {
        let listed = api.router.get(&list).send().await;
        let listed_ids: Vec<serde_json::Value> =
            listed.data::<Vec<serde_json::Value>>().iter().map(|image| image["id"].clone()).collect();
        assert!(listed_ids.contains(&serde_json::Value::from(id)), "{listed}");
    }
    // The source is unchanged.
    assert_eq!(api.router.get(&image_path(UBUNTU)).send().await.json()["data"]["cloudLocation"], "us-east-1");
}

#[tokio::test]
async fn the_route_answers_without_a_trailing_slash_and_with_an_upper_case_id() {
    let api = Api::start().await;
    let path = format!("{IMAGES}{}/actions/copy", UBUNTU.to_uppercase());
    let body = r#"{"cloudLocation": "eu-west-2", "cloudPlatform": "ec2"}"#;
    let reply = api.router.post(&path).body(body.to_owned(), "application/json").send().await;
    assert_eq!(reply.status().as_u16(), 201, "{}", reply.json());
    assert_eq!(reply.json()["data"]["name"], "ubuntu-22-04-base");
}

#[tokio::test]
async fn a_copy_can_be_copied_again() {
    let api = Api::start().await;
    let first = api.router.post(&copy_path(UBUNTU)).body(TO_US_WEST_2.to_owned(), "application/json").send().await;
    let copy = first.json()["data"]["id"].as_str().unwrap();
    let second = api
        .router
        .post(&copy_path(copy))
        .body(r#"{"cloudLocation": "eu-north-1", "cloudPlatform": "ec2"}"#.to_owned(), "application/json")
        .send()
        .await;
    assert_eq!(second.status().as_u16(), 201, "{}", second.json());
    assert_eq!(second.json()["data"]["name"], "ubuntu-22-04-base");
    assert_eq!(second.json()["data"]["cloudLocation"], "eu-north-1");
    assert_ne!(second.json()["data"]["cloudImageId"], first.json()["data"]["cloudImageId"]);
}
