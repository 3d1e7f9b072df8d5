//! Every rejection the framework produces, as an exact Scalr envelope: routing, environment,
//! Content-Type, bodies, size limits, paging, panics, foreign extractor rejections, warnings.

use axum::Router;
use axum::body::Body as HttpBody;
use axum::extract::Query;
use axum::http::{Method, Request, header};
use scalr_endpoints::prelude::*;
use scalr_endpoints::{ENDPOINT_NOT_FOUND_MESSAGE, RequestId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use scalr_copy_server::testing::http::{Reply, empty_request, json_request, send};

#[derive(Debug, Clone, Serialize, JsonSchema)]
struct Thing {
    id: u32,
    name: String,
}

impl ApiObject for Thing {}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct NewThing {
    name: String,
    size: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct Filter {
    #[allow(dead_code)]
    colour: u8,
}

/// Create a thing.
#[scalr_action(post, "things/")]
async fn create_thing(env_id: EnvId, thing: Body<NewThing>) -> Result<Thing, ApiError> {
    Ok(Thing { id: u32::try_from(env_id.get()).unwrap_or(0), name: thing.0.name })
}

/// Get a thing.
#[scalr_action(get, "things/<thingId>/")]
async fn get_thing(thing_id: u32) -> Result<Thing, ApiError> {
    if thing_id == 0 {
        return Err(ApiError::new(ErrorCode::ObjectNotFound, "No such thing."));
    }
    Ok(Thing { id: thing_id, name: format!("thing {thing_id}") })
}

/// Fail badly.
#[scalr_action(get, "boom", scope = global)]
async fn explode() -> Result<(), ApiError> {
    panic!("the handler broke")
}

/// Say something on the side.
#[scalr_action(delete, "things/<thingId>", scope = account)]
async fn warn_thing(thing_id: u32, warnings: Warnings) -> Result<(), ApiError> {
    warnings.add("Deprecated", "This action is deprecated.");
    if thing_id == 0 {
        return Err(ApiError::new(ErrorCode::ObjectNotFound, "No such thing."));
    }
    Ok(())
}

/// Filter things with an extractor of axum's.
#[scalr_action(get, "filtered", scope = global)]
async fn filtered(_filter: Query<Filter>, request_id: RequestId) -> Result<Thing, ApiError> {
    Ok(Thing { id: 1, name: request_id.to_string() })
}

fn router() -> Router {
    ScalrApi::new()
        .action(create_thing {})
        .action(get_thing {})
        .action(explode {})
        .action(warn_thing {})
        .action(filtered {})
        .body_limit(256)
        .into_router()
}

fn not_found(reply: &Reply) {
    reply.assert_error(404, "EndpointNotFound", ENDPOINT_NOT_FOUND_MESSAGE);
}

#[tokio::test]
async fn unknown_paths_methods_and_unparsable_parameters_are_endpoint_not_found() {
    let router = router();
    not_found(&send(&router, empty_request(Method::GET, "/api/v1beta0/user/1/nothing")).await);
    not_found(&send(&router, empty_request(Method::GET, "/")).await);
    not_found(&send(&router, empty_request(Method::PATCH, "/api/v1beta0/user/1/things/")).await);
    not_found(&send(&router, empty_request(Method::GET, "/api/v1beta0/user/1/things/abc")).await);
    not_found(&send(&router, empty_request(Method::GET, "/api/v1beta0/user/1/things/-4")).await);
    not_found(&send(&router, empty_request(Method::GET, "/api/v1beta0/user/1//things/4")).await);
    not_found(&send(&router, empty_request(Method::GET, "/api/v1beta0/user/1/things//")).await);
}

#[tokio::test]
async fn a_success_envelope_has_every_key() {
    let reply = send(&router(), empty_request(Method::GET, "/api/v1beta0/user/1/things/7")).await;
    assert_eq!(reply.status.as_u16(), 200);
    reply.assert_json();
    assert_eq!(
        reply.json,
        json!({"data": {"id": 7, "name": "thing 7"}, "errors": [], "meta": {"requestId": reply.request_id()}, "warnings": []})
    );
}

#[tokio::test]
async fn handler_errors_use_their_code_and_status() {
    let reply = send(&router(), empty_request(Method::GET, "/api/v1beta0/user/1/things/0")).await;
    reply.assert_error(404, "ObjectNotFound", "No such thing.");
}

#[tokio::test]
async fn an_environment_id_must_be_a_positive_integer() {
    let router = router();
    for env in ["0", "abc", "-1", "1.5"] {
        let reply =
            send(&router, json_request(Method::POST, &format!("/api/v1beta0/user/{env}/things/"), r#"{"name": "a"}"#))
                .await;
        reply.assert_error(400, "InvalidValue", "Environment has not been provided with the request");
    }
}

#[tokio::test]
async fn bodies_must_be_present_json_objects_of_the_right_shape() {
    let router = router();
    let create = |body: &str| json_request(Method::POST, "/api/v1beta0/user/3/things/", body);
    let cases: &[(&str, &str, &str)] = &[
        ("", "InvalidStructure", "Invalid body: the request body is empty, a JSON object is expected."),
        ("{\"name\": ", "InvalidStructure", "Invalid body: EOF while parsing a value at line 1 column 9."),
        ("[\"a\"]", "InvalidStructure", "Invalid body: a JSON object is expected, found an array."),
        ("{}", "InvalidStructure", "Missed property 'name'"),
        (
            "{\"name\": \"a\", \"colour\": 1}",
            "InvalidStructure",
            "You are trying to set the property colour which does not exist.",
        ),
        ("{\"name\": 5}", "InvalidValue", "Invalid type of property 'name': expected a string, found integer `5`."),
        (
            "{\"name\": \"a\", \"size\": -1}",
            "InvalidValue",
            "Invalid value of property 'size': expected u32, found integer `-1`.",
        ),
    ];
    for (body, code, message) in cases {
        send(&router, create(body)).await.assert_error(400, code, message);
    }
    let created = send(&router, create("{\"name\": \"a\"}")).await;
    assert_eq!(created.status.as_u16(), 201);
    assert_eq!(created.json["data"], json!({"id": 3, "name": "a"}));
}

#[tokio::test]
async fn a_body_must_be_declared_json() {
    let router = router();
    let with_type = |content_type: Option<&str>| {
        let mut request = Request::builder().method(Method::POST).uri("/api/v1beta0/user/3/things/");
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        request.body(HttpBody::from("{\"name\": \"a\"}")).unwrap()
    };
    send(&router, with_type(Some("text/plain"))).await.assert_error(400, "BadRequest", "Invalid Content-Type");
    send(&router, with_type(None)).await.assert_error(400, "BadRequest", "Invalid Content-Type");
    let accepted = send(&router, with_type(Some("Application/JSON; charset=utf-8"))).await;
    assert_eq!(accepted.status.as_u16(), 201, "{}", accepted.json);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_with_an_envelope() {
    let router = router();
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(300));
    let message = "The request body is larger than this endpoint accepts.";
    send(&router, json_request(Method::POST, "/api/v1beta0/user/3/things/", &big)).await.assert_error(
        413,
        "PayloadTooLarge",
        message,
    );
    // Without a Content-Length header the limit is enforced while reading.
    let stream = streamed(big);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1beta0/user/3/things/")
        .header(header::CONTENT_TYPE, "application/json")
        .body(stream)
        .unwrap();
    send(&router, request).await.assert_error(413, "PayloadTooLarge", message);
}

/// A body of unknown length, sent in chunks.
fn streamed(text: String) -> HttpBody {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = text.into_bytes().chunks(64).map(|c| Ok(c.to_vec())).collect();
    HttpBody::from_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn paging_parameters_are_checked_on_every_endpoint() {
    let router = router();
    send(&router, empty_request(Method::GET, "/api/v1beta0/user/1/things/7?pageNum=0")).await.assert_error(
        400,
        "InvalidValue",
        "Page number should be more than 0.",
    );
    send(&router, json_request(Method::POST, "/api/v1beta0/user/1/things/?maxResults=101", "{\"name\": \"a\"}"))
        .await
        .assert_error(400, "InvalidValue", "Limit should be a positive number less then or equal to 100.");
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_and_the_server_keeps_serving() {
    let router = router();
    send(&router, empty_request(Method::GET, "/api/v1beta0/global/boom")).await.assert_error(
        500,
        "InternalServerError",
        "Server Error",
    );
    let after = send(&router, empty_request(Method::GET, "/api/v1beta0/user/1/things/7")).await;
    assert_eq!(after.status.as_u16(), 200);
}

#[tokio::test]
async fn a_foreign_extractor_rejection_becomes_an_envelope() {
    let router = router();
    let reply = send(&router, empty_request(Method::GET, "/api/v1beta0/global/filtered?colour=red")).await;
    assert_eq!(reply.status.as_u16(), 400);
    reply.assert_json();
    assert_eq!(reply.json["errors"][0]["code"], "BadRequest");
    assert_eq!(
        reply.json["errors"][0]["message"],
        "Failed to deserialize query string: colour: invalid digit found in string"
    );
    let accepted = send(&router, empty_request(Method::GET, "/api/v1beta0/global/filtered?colour=7")).await;
    assert_eq!(accepted.json["data"]["name"], accepted.request_id(), "the RequestId extractor sees the envelope's id");
}

#[tokio::test]
async fn warnings_reach_success_and_error_envelopes() {
    let router = router();
    let ok = send(&router, empty_request(Method::DELETE, "/api/v1beta0/account/things/4")).await;
    assert_eq!(ok.status.as_u16(), 200);
    let warning = json!([{"code": "Deprecated", "message": "This action is deprecated."}]);
    assert_eq!(
        ok.json,
        json!({"data": null, "errors": [], "meta": {"requestId": ok.request_id()}, "warnings": warning})
    );
    let failed = send(&router, empty_request(Method::DELETE, "/api/v1beta0/account/things/0")).await;
    assert_eq!(failed.status.as_u16(), 404);
    assert_eq!(failed.json["warnings"], warning);
}

#[tokio::test]
async fn every_request_gets_its_own_id() {
    let router = router();
    let first = send(&router, empty_request(Method::GET, "/api/v1beta0/user/1/things/7")).await;
    let second = send(&router, empty_request(Method::GET, "/nowhere")).await;
    assert_eq!(first.json["meta"]["requestId"], first.request_id());
    assert_eq!(second.json["meta"]["requestId"], second.request_id());
    assert_ne!(first.request_id(), second.request_id());
    assert_eq!(uuid::Uuid::parse_str(first.request_id()).unwrap().get_version_num(), 4);
}

#[test]
fn two_actions_on_one_route_or_one_action_twice_is_an_error_at_start() {
    let twice = ScalrApi::<()>::new().action(get_thing {}).action(get_thing {}).try_into_router().unwrap_err();
    assert_eq!(twice.to_string(), "action `get_thing` is registered twice; register each action once");

    /// Another thing getter.
    #[scalr_action(get, "things/<id>")]
    async fn get_thing_again(id: u64) -> Result<Thing, ApiError> {
        Ok(Thing { id: u32::try_from(id).unwrap_or(0), name: String::new() })
    }
    let clash = ScalrApi::<()>::new().action(get_thing {}).action(get_thing_again {}).try_into_router().unwrap_err();
    assert_eq!(
        clash.to_string(),
        "actions `get_thing` and `get_thing_again` both answer GET /api/v1beta0/user/{envId}/things/{thingId}/; change the method or the path of one"
    );
}
