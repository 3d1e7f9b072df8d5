//! The spec against the behaviour: every error code the framework's own checks answer an action
//! with is one the action's spec entry lists in `x-errorCodes`, so a check cannot raise a code
//! the spec omits.

use std::collections::BTreeSet;

use axum::http::{HeaderName, HeaderValue};
use chrono::{TimeDelta, Utc};
use scalr_endpoints::auth::{ApiKey, MemoryKeyStore, RateLimit, Secret, User};
use scalr_endpoints::prelude::*;
use scalr_endpoints::test::{TestClient, TestResponse};
use scalr_endpoints::{Method, Scope};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

const KEY_ID: &str = "APIKCODES00000000001";
const SECRET: &str = "codes-secret-0123456789abcdef0123";
const LIMITED_KEY_ID: &str = "APIKCODESLIMITED0001";
const READER_KEY_ID: &str = "APIKCODESREADER00001";

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
struct Gadget {
    id: u32,
    name: String,
}

impl ApiObject for Gadget {
    const FILTERABLE: &'static [&'static str] = &["name"];
}

/// A new gadget.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewGadget {
    name: String,
}

/// List the gadgets.
#[scalr_action(get, "gadgets/")]
async fn list_gadgets(paging: Paging, filters: Filters<Gadget>) -> Result<Page<Gadget>, ApiError> {
    let name = filters.get::<String>("name")?;
    Ok(paging.page([Gadget { id: 1, name: name.unwrap_or_default() }]))
}

/// Get a gadget.
#[scalr_action(get, "gadgets/<gadgetId>/")]
async fn get_gadget(gadget_id: u32) -> Gadget {
    Gadget { id: gadget_id, name: "gadget".to_owned() }
}

/// Create a gadget.
#[scalr_action(post, "gadgets/", permission = "gadgets:manage")]
async fn create_gadget(gadget: Body<NewGadget>) -> Gadget {
    Gadget { id: 2, name: gadget.0.name }
}

/// Say hello to the account.
#[scalr_action(get, "hello/", scope = account)]
async fn hello() {}

fn user(id: &str, permissions: &[&str]) -> User {
    User {
        id: id.to_owned(),
        active: true,
        environments: BTreeSet::from([EnvId::new(1).unwrap()]),
        permissions: permissions.iter().map(|permission| (*permission).to_owned()).collect(),
    }
}

fn api() -> ScalrApi {
    let key = |id: &str, user: User| ApiKey { id: id.to_owned(), secret: Secret::new(SECRET), active: true, user };
    let keys = MemoryKeyStore::new()
        .with_environment(EnvId::new(1).unwrap())
        .with_environment(EnvId::new(2).unwrap())
        .with_key(key(KEY_ID, user("manager", &["gadgets:manage"])))
        .with_key(key(READER_KEY_ID, user("reader", &[])))
        .with_key(key(LIMITED_KEY_ID, user("limited", &[])));
    ScalrApi::new()
        .action(list_gadgets {})
        .action(get_gadget {})
        .action(create_gadget {})
        .action(hello {})
        .authenticate(keys)
        .rate_limit(RateLimit::default())
        .body_limit(64)
}

/// The codes the spec lists for `method` on `path` (as the spec writes it) in `scope`.
fn listed_codes(api: &ScalrApi, scope: Scope, path: &str, method: Method) -> BTreeSet<String> {
    let spec = api.spec(scope);
    let operation = &spec["paths"][path][method.as_str().to_ascii_lowercase()];
    let responses = operation["responses"].as_object().unwrap_or_else(|| panic!("no operation {method:?} {path}"));
    responses
        .values()
        .flat_map(|response| response["x-errorCodes"].as_array().cloned().unwrap_or_default())
        .map(|code| code["name"].as_str().unwrap().to_owned())
        .collect()
}

struct Case {
    what: &'static str,
    response: TestResponse,
    expected: ErrorCode,
}

async fn provoke_every_check(client: &TestClient, path: &str, method: Method, body: bool) -> Vec<Case> {
    let send = |target: String, content: Option<(&'static str, &'static str)>| {
        let request = client.request(method.as_str().parse().unwrap(), &target);
        let request = match content {
            Some((bytes, content_type)) => request.body(bytes, content_type),
            None => request,
        };
        request.send()
    };
    let valid_body = body.then_some((r#"{"name": "x"}"#, "application/json"));
    let at = |query: &str| format!("{path}{query}");
    let mut cases = vec![
        Case {
            what: "unsigned",
            response: client.clone().unsigned().request(method.as_str().parse().unwrap(), path).send().await,
            expected: ErrorCode::BadAuthentication,
        },
        Case {
            what: "date far in the past",
            response: client
                .clone()
                .clock(|| Utc::now() - TimeDelta::hours(1))
                .request(method.as_str().parse().unwrap(), path)
                .send()
                .await,
            expected: ErrorCode::BadAuthentication,
        },
        Case {
            what: "unreadable date",
            response: client
                .request(method.as_str().parse().unwrap(), path)
                .header(HeaderName::from_static("x-scalr-date"), HeaderValue::from_static("yesterday"))
                .send()
                .await,
            expected: ErrorCode::BadRequest,
        },
        Case {
            what: "paging out of range",
            response: send(at("?maxResults=500"), valid_body).await,
            expected: ErrorCode::InvalidValue,
        },
        Case {
            what: "body over the limit",
            response: send(
                path.to_owned(),
                Some((
                    r#"{"name": "a name far too long for the sixty-four bytes the API accepts"}"#,
                    "application/json",
                )),
            )
            .await,
            expected: ErrorCode::PayloadTooLarge,
        },
        Case {
            what: "body that is not JSON",
            response: send(path.to_owned(), Some(("name=x", "application/x-www-form-urlencoded"))).await,
            expected: ErrorCode::BadRequest,
        },
    ];
    if path.starts_with("/api/v1beta0/user/") {
        let in_env = |env: &str| path.replacen("/user/1/", &format!("/user/{env}/"), 1);
        cases.push(Case {
            what: "environment id zero",
            response: send(in_env("0"), valid_body).await,
            expected: ErrorCode::InvalidValue,
        });
        cases.push(Case {
            what: "unknown environment",
            response: send(in_env("9"), valid_body).await,
            expected: ErrorCode::ObjectNotFound,
        });
        cases.push(Case {
            what: "environment of others",
            response: send(in_env("2"), valid_body).await,
            expected: ErrorCode::PermissionViolation,
        });
    }
    if body {
        cases.push(Case {
            what: "malformed body",
            response: send(path.to_owned(), Some(("{", "application/json"))).await,
            expected: ErrorCode::InvalidStructure,
        });
        cases.push(Case {
            what: "unknown property",
            response: send(path.to_owned(), Some((r#"{"name": "x", "colour": 1}"#, "application/json"))).await,
            expected: ErrorCode::InvalidStructure,
        });
    }
    cases
}

#[tokio::test]
async fn every_code_the_framework_answers_is_in_the_actions_spec_entry() {
    let api = api();
    let router = api_router();
    let client = TestClient::new(router).signed(KEY_ID, SECRET);
    let actions: [(&str, &str, Scope, Method, bool); 4] = [
        ("/api/v1beta0/user/1/gadgets/", "/{envId}/gadgets/", Scope::User, Method::Get, false),
        ("/api/v1beta0/user/1/gadgets/7/", "/{envId}/gadgets/{gadgetId}/", Scope::User, Method::Get, false),
        ("/api/v1beta0/user/1/gadgets/", "/{envId}/gadgets/", Scope::User, Method::Post, true),
        ("/api/v1beta0/account/hello/", "/hello/", Scope::Account, Method::Get, false),
    ];
    for (path, spec_path, scope, method, body) in actions {
        let listed = listed_codes(&api, scope, spec_path, method);
        let mut cases = provoke_every_check(&client, path, method, body).await;
        if spec_path == "/{envId}/gadgets/" && method == Method::Get {
            let response = client.get("/api/v1beta0/user/1/gadgets/?colour=red").send().await;
            cases.push(Case { what: "unsupported filter", response, expected: ErrorCode::InvalidStructure });
        }
        if method == Method::Post {
            let reader = client.clone().signed(READER_KEY_ID, SECRET);
            let response = reader.post(path).body(r#"{"name": "x"}"#, "application/json").send().await;
            cases.push(Case { what: "permission", response, expected: ErrorCode::PermissionViolation });
        }
        if spec_path.contains("{gadgetId}") {
            let response = client.get("/api/v1beta0/user/1/gadgets/seven/").send().await;
            cases.push(Case { what: "path parameter", response, expected: ErrorCode::EndpointNotFound });
        }
        for case in cases {
            let code = case.response.errors().first().map(ApiError::code);
            assert_eq!(code, Some(case.expected), "{method:?} {path}, {}: {}", case.what, case.response);
            assert!(
                listed.contains(case.expected.as_str()),
                "{method:?} {path}, {}: {} is not in the spec's x-errorCodes {listed:?}",
                case.what,
                case.expected
            );
        }
    }
}

#[tokio::test]
async fn the_rate_limit_answers_a_code_the_spec_lists() {
    // One frozen instant for the server and the client, so all requests fall in one minute.
    let now = Utc::now();
    let client =
        TestClient::new(api().clock(move || now).into_router()).signed(LIMITED_KEY_ID, SECRET).clock(move || now);
    let limit = RateLimit::default().requests_per_minute();
    for _ in 0..limit {
        let response = client.get("/api/v1beta0/account/hello/").send().await;
        assert!(response.status().is_success(), "{response}");
    }
    let refused = client.get("/api/v1beta0/account/hello/").send().await;
    assert_eq!(refused.errors().first().map(ApiError::code), Some(ErrorCode::LimitExceeded), "{refused}");
    let listed = listed_codes(&api(), Scope::Account, "/hello/", Method::Get);
    assert!(listed.contains("LimitExceeded"), "{listed:?}");
}

fn api_router() -> axum::Router {
    api().into_router()
}
