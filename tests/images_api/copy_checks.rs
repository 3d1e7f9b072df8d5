//! The copy action: each of the nine checks of the wire contract's section 7 with its status, code
//! and exact message, the order between neighbouring checks, and the new image.

use std::collections::BTreeSet;

use axum::http::Method;
use scalr_endpoints::EnvId;

use super::app::demo::demo_user;
use super::app::images::{CloudPlatform, ImageId};
use super::app::store::Store;
use super::demo_server::expected_copy_of_ubuntu;
use super::{Api, IMAGES, PENDING_DELETE, SCALR_SCOPE, UBUNTU, UNKNOWN, copy_path, image_path};

const TO_US_WEST_2: &str = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;

#[tokio::test]
async fn check_1_the_caller_may_manage_images() {
    let api = Api::start().await;
    let mut reader = demo_user();
    reader.permissions = BTreeSet::from(["images:read".to_owned()]);
    let reader = api.signer_of(reader).await;
    // Before the body's checks (2 to 4) and the image lookup (5).
    for (image, body) in [(UBUNTU, TO_US_WEST_2), (UNKNOWN, "{}")] {
        api.send_as(&reader, Method::POST, &copy_path(image), Some(body)).await.assert_error(
            403,
            "PermissionViolation",
            "Insufficient Permissions",
        );
    }
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
        api.post(&copy_path(UBUNTU), body).await.assert_error(400, "InvalidStructure", message);
    }
}

#[tokio::test]
async fn check_3_the_location_is_an_aws_region() {
    let api = Api::start().await;
    for body in [
        r#"{"cloudLocation": "mars-north-1", "cloudPlatform": "ec2"}"#,
        r#"{"cloudLocation": "US-WEST-2", "cloudPlatform": "ec2"}"#,
        // Before check 4.
        r#"{"cloudLocation": "mars-north-1", "cloudPlatform": "gce"}"#,
    ] {
        api.post(&copy_path(UBUNTU), body).await.assert_error(400, "InvalidValue", "Invalid region");
    }
}

#[tokio::test]
async fn check_4_the_platform_is_ec2() {
    let api = Api::start().await;
    // An unknown image too: the body's checks come before the image lookup.
    for image in [UBUNTU, UNKNOWN] {
        for platform in ["gce", "EC2", "aws"] {
            let body = format!(r#"{{"cloudLocation": "us-west-2", "cloudPlatform": "{platform}"}}"#);
            api.post(&copy_path(image), &body).await.assert_error(
                400,
                "InvalidValue",
                "Only Ec2 cloud platform is supported",
            );
        }
    }
}

#[tokio::test]
async fn check_5_the_image_exists_in_this_environment() {
    let api = Api::start().await;
    let not_found = "Requested Image either does not exist or is not owned by your environment.";
    api.post(&copy_path(UNKNOWN), TO_US_WEST_2).await.assert_error(404, "ObjectNotFound", not_found);
    // Environment 2 does not see the demo environment's images.
    api.database.add_environment(2, vec![CloudPlatform::Ec2]).await;
    let mut user = demo_user();
    user.environments.insert(EnvId::new(2).unwrap());
    let user = api.signer_of(user).await;
    let other_environment = format!("/api/v1beta0/user/2/images/{UBUNTU}/actions/copy/");
    api.send_as(&user, Method::POST, &other_environment, Some(TO_US_WEST_2)).await.assert_error(
        404,
        "ObjectNotFound",
        not_found,
    );
}

#[tokio::test]
async fn check_6_the_image_belongs_to_the_environment_scope() {
    let api = Api::start().await;
    api.post(&copy_path(SCALR_SCOPE), TO_US_WEST_2).await.assert_error(
        403,
        "ScopeViolation",
        "The image is not either from the environment scope or owned by your environment.",
    );
}

#[tokio::test]
async fn check_7_the_image_awaits_no_deletion() {
    let api = Api::start().await;
    // The image lives in us-west-2: check 7 comes before check 8.
    api.post(&copy_path(PENDING_DELETE), TO_US_WEST_2).await.assert_error(
        409,
        "UnacceptableImageStatus",
        "You can not use the image legacy-build-2019 because it awaiting deletion on the cloud.",
    );
}

#[tokio::test]
async fn check_8_the_destination_is_another_region() {
    let api = Api::start().await;
    api.post(&copy_path(UBUNTU), r#"{"cloudLocation": "us-east-1", "cloudPlatform": "ec2"}"#).await.assert_error(
        400,
        "BadRequest",
        "Destination region is the same as source one",
    );
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
    let user = api.signer_of(user).await;
    let path = format!("/api/v1beta0/user/3/images/{}/actions/copy/", image.id);
    api.send_as(&user, Method::POST, &path, Some(TO_US_WEST_2)).await.assert_error(
        409,
        "NotEnabledPlatform",
        "Platform 'ec2' is not enabled.",
    );
    // Check 8 comes first.
    let same_region = r#"{"cloudLocation": "us-east-1", "cloudPlatform": "ec2"}"#;
    api.send_as(&user, Method::POST, &path, Some(same_region)).await.assert_error(
        400,
        "BadRequest",
        "Destination region is the same as source one",
    );
}

#[tokio::test]
async fn a_copy_is_a_new_image_in_the_destination_region() {
    let api = Api::start().await;
    let reply = api.post(&copy_path(UBUNTU), TO_US_WEST_2).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.json);
    reply.assert_json();
    let expected = expected_copy_of_ubuntu(&reply.json, reply.request_id());
    let id = expected["data"]["id"].as_str().unwrap();
    assert_eq!(reply.json, expected);

    // Kept as returned, and listed.
    let fetched = api.get(&image_path(id)).await;
    assert_eq!(fetched.json["data"], expected["data"]);
    let listed = api.get(&format!("{IMAGES}?cloudPlatform=ec2&cloudLocation=us-west-2")).await;
    assert!(super::ids(&listed).contains(&id.to_owned()), "{}", listed.json);
    // The source is unchanged.
    assert_eq!(api.get(&image_path(UBUNTU)).await.json["data"]["cloudLocation"], "us-east-1");
}

#[tokio::test]
async fn a_copy_can_be_copied_again() {
    let api = Api::start().await;
    let first = api.post(&copy_path(UBUNTU), TO_US_WEST_2).await;
    let copy = first.json["data"]["id"].as_str().unwrap();
    let second = api.post(&copy_path(copy), r#"{"cloudLocation": "eu-north-1", "cloudPlatform": "ec2"}"#).await;
    assert_eq!(second.status.as_u16(), 201, "{}", second.json);
    assert_eq!(second.json["data"]["name"], "ubuntu-22-04-base");
    assert_eq!(second.json["data"]["cloudLocation"], "eu-north-1");
    assert_ne!(second.json["data"]["cloudImageId"], first.json["data"]["cloudImageId"]);
}
