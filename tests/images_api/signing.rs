//! Who may call the example server: unsigned requests are refused, the keys of the example's key
//! file sign as their users, and what a reqwest client signs is what the server verifies.

use chrono::Utc;
use scalr_endpoints::ErrorCode;
use scalr_endpoints::auth::{MemoryKeyStore, Secret, Signer};
use scalr_endpoints::test::TestClient;
use serde_json::Value;

use scalr_copy_server::store::Directory;

use super::{Api, IMAGES, UBUNTU, copy_path};

const TO_US_WEST_2: &str = r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#;

#[tokio::test]
async fn the_server_refuses_unsigned_requests() {
    let api = Api::start().await;
    let unsigned = api.router.clone().unsigned();
    let reply = unsigned.post(&copy_path(UBUNTU)).body(TO_US_WEST_2, "application/json").send().await;
    reply.assert_error(ErrorCode::BadAuthentication, "Unsigned request");
}

#[tokio::test]
async fn the_example_key_file_serves_its_keys() {
    let keys = MemoryKeyStore::from_json_file("examples/copy_server/keys.example.json").unwrap();
    let api = Api::start().await;
    api.database.store.import(Directory::from_key_file(&keys)).await.unwrap();
    let router = api.database.router();
    let copy = |key_id: &str, secret: &str| {
        let client = TestClient::new(router.clone()).signed(key_id, secret);
        async move { client.post(&copy_path(UBUNTU)).body(TO_US_WEST_2, "application/json").send().await }
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
    let api = Api::start().await;
    let at = Utc::now();
    let send = |path: &str, body: Option<&str>, signer: &Signer| {
        let url = api.served.url(path);
        let mut request = match body {
            Some(body) => api.client.post(url).header("content-type", "application/json").body(body.to_owned()),
            None => api.client.get(url),
        }
        .build()
        .unwrap();
        signer.sign_reqwest(&mut request, at).unwrap();
        api.client.execute(request)
    };
    // `%33` is the image id's first digit, percent-encoded: signed and verified as sent.
    let encoded = format!("{IMAGES}%33{}/actions/copy/?pageNum=1", &UBUNTU[1..]);
    let copied = send(&encoded, Some(TO_US_WEST_2), &api.database.signer).await.unwrap();
    assert_eq!(copied.status().as_u16(), 201, "{}", copied.text().await.unwrap());
    let listed = send(&format!("{IMAGES}?maxResults=2&pageNum=4"), None, &api.database.signer).await.unwrap();
    let listed: Value = serde_json::from_str(&listed.text().await.unwrap()).unwrap();
    assert_eq!(listed["data"].as_array().map(Vec::len), Some(2), "{listed}");

    let forged = Signer::new(&api.database.key_id, Secret::new("a guess")).unwrap().with_debug();
    let refused = send(&encoded, Some(TO_US_WEST_2), &forged).await.unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    let refused: Value = serde_json::from_str(&refused.text().await.unwrap()).unwrap();
    let date = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (path, query) = encoded.split_once('?').unwrap();
    assert_eq!(refused["meta"]["stringToSign"], format!("POST\n{date}\n{path}\n{query}\n{TO_US_WEST_2}"));
}
