//! `GET images/`: list envelopes, pages with their links, and every filter rule of
//! docs/wire-contract.md#paging-and-filters.

use serde_json::{Value, json};

use super::{Api, IMAGES, UBUNTU, names_of};

/// The seven images the demo environment sees, oldest first.
const ALL: [&str; 7] = [
    "ubuntu-22-04-base",
    "centos-7-web",
    "amazon-linux-2-db",
    "legacy-build-2019",
    "scalr-ubuntu-shared",
    "debian-12-worker",
    "ubuntu-16-04-i386",
];

fn link(query: &str) -> Value {
    Value::from(format!("{IMAGES}?{query}"))
}

#[tokio::test]
async fn seven_images_come_in_three_pages_of_three() {
    let api = Api::start().await;
    let first = link("maxResults=3&pageNum=1");
    let last = link("maxResults=3&pageNum=3");
    let pages = [
        ("maxResults=3", &ALL[0..3], Value::Null, link("maxResults=3&pageNum=2")),
        ("maxResults=3&pageNum=2", &ALL[3..6], first.clone(), last.clone()),
        ("pageNum=3&maxResults=3", &ALL[6..], link("maxResults=3&pageNum=2"), Value::Null),
    ];
    for (query, expected, prev, next) in pages {
        let reply = api.router.get(&format!("{IMAGES}?{query}")).send().await;
        assert_eq!(names_of(&reply), expected, "{query}");
        assert_eq!(
            reply.json()["pagination"],
            json!({"first": first, "last": last, "prev": prev, "next": next}),
            "{query}"
        );
        let keys: Vec<&String> = reply.json().as_object().unwrap().keys().collect();
        assert_eq!(keys, ["data", "errors", "meta", "pagination", "warnings"]);
    }
}

#[tokio::test]
async fn one_page_has_no_links_and_bad_paging_is_refused() {
    let api = Api::start().await;
    let reply = api.router.get(IMAGES).send().await;
    assert_eq!(names_of(&reply), ALL);
    assert_eq!(reply.json()["pagination"], json!({"first": null, "last": null, "prev": null, "next": null}));
    api.router
        .get(&format!("{IMAGES}?pageNum=0&name=x"))
        .send()
        .await
        .assert_error(scalr_endpoints::ErrorCode::InvalidValue, "Page number should be more than 0.");
    api.router.get(&format!("{IMAGES}?maxResults=101")).send().await.assert_error(
        scalr_endpoints::ErrorCode::InvalidValue,
        "Limit should be a positive number less then or equal to 100.",
    );
}

#[tokio::test]
async fn each_filterable_property_narrows_the_list() {
    let api = Api::start().await;
    let cases: &[(&str, &[&str])] = &[
        (&format!("id={UBUNTU}"), &["ubuntu-22-04-base"]),
        (&format!("id={}", UBUNTU.to_uppercase()), &["ubuntu-22-04-base"]),
        ("name=centos-7-web", &["centos-7-web"]),
        ("name=centos", &[]),
        ("scope=scalr", &["scalr-ubuntu-shared"]),
        ("scope=account", &[]),
        ("os=centos-7", &["centos-7-web", "legacy-build-2019"]),
        ("cloudPlatform=ec2", &ALL),
        ("cloudPlatform=gce", &[]),
        ("cloudPlatform=ec2&cloudLocation=us-east-1", &["ubuntu-22-04-base", "scalr-ubuntu-shared"]),
        ("cloudImageId=ami-01a2b3c4d5e6f7083", &["amazon-linux-2-db"]),
        ("architecture=i386", &["ubuntu-16-04-i386"]),
        ("source=Manual", &ALL),
        ("source=BundleTask", &[]),
        ("status=pending_delete", &["legacy-build-2019"]),
        ("status=failed", &[]),
        ("deprecated=true", &["ubuntu-16-04-i386"]),
        ("scalrAgentInstalled=false", &["debian-12-worker"]),
        ("cloudInitInstalled=false", &["centos-7-web", "legacy-build-2019", "ubuntu-16-04-i386"]),
        // Several filters must all match.
        ("os=ubuntu-22-04&scope=environment", &["ubuntu-22-04-base"]),
        ("deprecated=false&architecture=i386", &[]),
    ];
    for (query, expected) in cases {
        let reply = api.router.get(&format!("{IMAGES}?{query}")).send().await;
        assert_eq!(names_of(&reply), *expected, "{query}");
    }
}

#[tokio::test]
async fn a_filter_outside_the_filterable_properties_is_unsupported() {
    let api = Api::start().await;
    let message = "Unsupported filter. Fields which are available for filtering: [id, name, scope, os, cloudPlatform, \
                   cloudLocation, cloudImageId, architecture, source, status, deprecated, scalrAgentInstalled, \
                   cloudInitInstalled]";
    for query in ["colour=red", "size=8", "type=ebs", "added=2026-11-01T09:00:00Z", "Name=centos-7-web"] {
        api.router
            .get(&format!("{IMAGES}?{query}&maxResults=3"))
            .send()
            .await
            .assert_error(scalr_endpoints::ErrorCode::InvalidStructure, message);
    }
}

#[tokio::test]
async fn a_location_needs_its_platform() {
    let api = Api::start().await;
    api.router.get(&format!("{IMAGES}?cloudLocation=us-east-1")).send().await.assert_error(
        scalr_endpoints::ErrorCode::InvalidStructure,
        "Both 'cloudPlatform' and 'cloudLocation' filters should be provided with request.",
    );
    let platform_alone = api.router.get(&format!("{IMAGES}?cloudPlatform=ec2")).send().await;
    assert_eq!(names_of(&platform_alone), ALL);
}

#[tokio::test]
async fn filter_values_are_read_in_their_wire_form() {
    let api = Api::start().await;
    let cases = [
        (
            "cloudPlatform=EC2",
            "Invalid value 'EC2' of filter 'cloudPlatform': accepted values are ec2, gce, azure, cloudstack, idcf, \
             openstack, ocs, rackspacenguk, rackspacengus, hpcloud, mirantis, vio, cisco.",
        ),
        (
            "status=deleted",
            "Invalid value 'deleted' of filter 'status': accepted values are active, pending_delete, failed.",
        ),
        ("architecture=x86", "Invalid value 'x86' of filter 'architecture': accepted values are i386, x86_64."),
        ("deprecated=1", "Invalid value '1' of filter 'deprecated': expected a boolean."),
        ("cloudInitInstalled=yes", "Invalid value 'yes' of filter 'cloudInitInstalled': expected a boolean."),
    ];
    for (query, message) in cases {
        api.router
            .get(&format!("{IMAGES}?{query}"))
            .send()
            .await
            .assert_error(scalr_endpoints::ErrorCode::InvalidValue, message);
    }
    let id = api.router.get(&format!("{IMAGES}?id=not-a-uuid")).send().await;
    assert_eq!(
        id.errors().first().map(scalr_endpoints::ApiError::code),
        Some(scalr_endpoints::ErrorCode::InvalidValue)
    );
}

#[tokio::test]
async fn paging_links_keep_the_filters() {
    let api = Api::start().await;
    let reply = api.router.get(&format!("{IMAGES}?architecture=x86_64&maxResults=2&pageNum=2")).send().await;
    assert_eq!(names_of(&reply), ["amazon-linux-2-db", "legacy-build-2019"]);
    assert_eq!(
        reply.json()["pagination"],
        json!({
            "first": link("architecture=x86_64&maxResults=2&pageNum=1"),
            "last": link("architecture=x86_64&maxResults=2&pageNum=3"),
            "prev": link("architecture=x86_64&maxResults=2&pageNum=1"),
            "next": link("architecture=x86_64&maxResults=2&pageNum=3"),
        })
    );
}

#[tokio::test]
async fn an_environment_sees_its_own_images_and_those_of_other_scopes() {
    let api = Api::start().await;
    api.database.add_environment(2, vec![scalr_copy_server::images::CloudPlatform::Ec2]).await;
    let mut user = scalr_copy_server::demo::demo_user();
    user.environments.insert(scalr_endpoints::EnvId::new(2).unwrap());
    let user = api.database.client_of(user).await;
    let reply = user.get("/api/v1beta0/user/2/images/").send().await;
    assert_eq!(names_of(&reply), ["scalr-ubuntu-shared"]);
    // Environment ids past SQLite's integers name no environment.
    api.router
        .get("/api/v1beta0/user/18446744073709551615/images/")
        .send()
        .await
        .assert_error(scalr_endpoints::ErrorCode::ObjectNotFound, "Invalid environment");
}

#[tokio::test]
async fn following_every_next_link_visits_each_matching_image_once() {
    let api = Api::start().await;
    let pages = api.router.get(IMAGES).query(&[("maxResults", "2"), ("architecture", "x86_64")]).pages().await;
    assert_eq!(pages.len(), 3);
    let names: Vec<String> = pages.iter().flat_map(names_of).collect();
    let expected: Vec<&str> = ALL.into_iter().filter(|name| *name != "ubuntu-16-04-i386").collect();
    assert_eq!(names, expected);
}

#[tokio::test]
async fn a_page_is_a_list_envelope_with_every_key() {
    let api = Api::start().await;
    let reply = api.router.get(&format!("{IMAGES}?maxResults=2&pageNum=2")).send().await;
    assert_eq!(reply.headers()["content-type"], "application/json");
    assert_eq!(names_of(&reply), ["amazon-linux-2-db", "legacy-build-2019"]);
    assert_eq!(reply.json()["errors"], json!([]));
    assert_eq!(reply.json()["warnings"], json!([]));
    assert_eq!(reply.json()["meta"], json!({"requestId": reply.request_id()}));
    assert_eq!(
        reply.json()["pagination"],
        json!({
            "first": link("maxResults=2&pageNum=1"),
            "last": link("maxResults=2&pageNum=4"),
            "prev": link("maxResults=2&pageNum=1"),
            "next": link("maxResults=2&pageNum=3"),
        })
    );
    let keys: Vec<&String> = reply.json().as_object().unwrap().keys().collect();
    assert_eq!(keys, ["data", "errors", "meta", "pagination", "warnings"]);
    // Without the trailing slash too.
    let all = api.router.get(IMAGES.trim_end_matches('/')).send().await;
    assert_eq!(names_of(&all), ALL);
    assert_eq!(all.json()["pagination"], json!({"first": null, "last": null, "prev": null, "next": null}));
}

#[tokio::test]
async fn a_list_answers_head_without_a_body() {
    let api = Api::start().await;
    let reply = api.router.request(axum::http::Method::HEAD, IMAGES).send().await;
    assert_eq!(reply.status().as_u16(), 200);
    assert_eq!(reply.headers()["content-type"], "application/json");
    assert!(reply.body().is_empty());
    assert_eq!(*reply.json(), Value::Null);
}
