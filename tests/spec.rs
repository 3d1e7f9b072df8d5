//! The Swagger 2.0 specs: how they are served, their shape per action, the framework's own
//! error codes, and that every reference resolves.

use axum::http::{Method, header};
use scalr_endpoints::auth::MemoryKeyStore;
use scalr_endpoints::prelude::*;
use scalr_endpoints::{BuildError, Scope, SpecInfo};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use scalr_copy_server::testing::http::{empty_request, send};

/// A widget of the test API.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Widget {
    /// The widget's id.
    #[serde(skip_deserializing)]
    id: u64,
    /// What it is called.
    name: String,
    /// How heavy it is, in grams.
    weight: Option<u32>,
    /// Its colour.
    colour: Colour,
}

impl ApiObject for Widget {
    const FILTERABLE: &'static [&'static str] = &["id", "name"];
}

/// The colours widgets come in.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Colour {
    /// Like the sky.
    Blue,
    /// Like grass.
    Green,
}

/// The widgets of an environment.
#[scalr_action(get, "widgets/")]
async fn list_widgets(paging: Paging) -> Page<Widget> {
    paging.page(Vec::new())
}

/// Create a widget.
#[scalr_action(post, "widgets/", permission = "widgets:manage", errors = [UnicityViolation])]
async fn create_widget(widget: Body<Widget>) -> Result<Widget, ApiError> {
    Ok(widget.0)
}

/// Retire a widget of the account.
#[scalr_action(delete, "widgets/<widgetId>/", scope = account, errors = [ObjectNotFound, ObjectInUse])]
async fn retire_widget(widget_id: u64) -> Result<(), ApiError> {
    let _ = widget_id;
    Ok(())
}

fn api() -> ScalrApi {
    ScalrApi::new().action(list_widgets {}).action(create_widget {}).action(retire_widget {}).info(SpecInfo {
        title: "Widgets".into(),
        version: "1.2".into(),
        description: "Widgets API.".into(),
    })
}

/// Every `$ref` of `spec`, which must all point into its definitions.
fn assert_references_resolve(spec: &Value) {
    fn visit(node: &Value, spec: &Value, seen: &mut usize) {
        match node {
            Value::Object(map) => {
                for (key, value) in map {
                    if key == "$ref" {
                        let reference = value.as_str().expect("a $ref is a string");
                        let name = reference.strip_prefix("#/definitions/").expect("refs point to definitions");
                        assert!(spec["definitions"].get(name).is_some(), "{reference} does not resolve");
                        *seen += 1;
                    } else {
                        visit(value, spec, seen);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| visit(item, spec, seen)),
            _ => {}
        }
    }
    let mut seen = 0;
    visit(spec, spec, &mut seen);
    assert!(seen > 0, "the spec has references to check");
}

#[test]
fn every_reference_resolves_in_every_scope() {
    let api = api();
    for scope in Scope::ALL {
        assert_references_resolve(&api.spec(scope));
    }
}

#[test]
fn the_top_level_is_what_scalr_ctl_reads() {
    let spec = api().spec(Scope::User);
    assert_eq!(spec["swagger"], "2.0");
    assert_eq!(spec["info"], json!({"title": "Widgets", "version": "1.2", "description": "Widgets API."}));
    assert_eq!(spec["basePath"], "/api/v1beta0/user");
    assert_eq!(spec["produces"], json!(["application/json"]));
    let paths: Vec<&String> = spec["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/{envId}/widgets/"]);
    assert_eq!(api().spec(Scope::Account)["paths"].as_object().unwrap().len(), 1);
}

#[test]
fn a_scope_without_actions_still_has_a_valid_spec() {
    let spec = api().spec(Scope::Global);
    assert_eq!(spec["basePath"], "/api/v1beta0/global");
    assert_eq!(spec["paths"], json!({}));
    for definition in ["ApiMessage", "ApiMetaContainer", "ApiPagination", "ApiErrorResponse"] {
        assert!(spec["definitions"].get(definition).is_some(), "{definition}");
    }
    assert_references_resolve(&spec);
}

#[test]
fn parameters_sit_at_path_level_with_the_body_in_the_operation() {
    let spec = api().spec(Scope::User);
    let path = &spec["paths"]["/{envId}/widgets/"];
    assert_eq!(
        path["parameters"],
        json!([{
            "name": "envId",
            "in": "path",
            "required": true,
            "type": "integer",
            "minimum": 1,
            "maximum": u64::MAX,
            "description": "The ID of the Environment scoping this request.",
        }])
    );
    let create = &path["post"];
    assert_eq!(create["description"], "Create a widget.");
    assert_eq!(
        create["parameters"],
        json!([{
            "name": "widget",
            "in": "body",
            "required": true,
            "description": "A widget of the test API.",
            "schema": {"$ref": "#/definitions/Widget"},
        }])
    );
    assert_eq!(
        create["responses"]["201"],
        json!({
            "description": "The JSON representation of a Widget object.",
            "schema": {"$ref": "#/definitions/WidgetDetailsResponse"},
            "headers": {"X-Request-Id": {"type": "string", "format": "uuid", "description": "The id of the request."}},
        })
    );
    assert_eq!(path["get"]["responses"]["200"]["schema"], json!({"$ref": "#/definitions/WidgetListResponse"}));
    let account = api().spec(Scope::Account);
    let retire = &account["paths"]["/widgets/{widgetId}/"];
    assert_eq!(retire["parameters"][0]["name"], "widgetId");
    assert_eq!(retire["parameters"][0]["pattern"], "^\\d+$");
    assert_eq!(
        retire["delete"]["responses"]["200"],
        json!({
            "description": "The action succeeded; `data` is null.",
            "headers": {"X-Request-Id": {"type": "string", "format": "uuid", "description": "The id of the request."}},
        })
    );
}

/// The error codes of one response of an operation, by name.
fn codes(operation: &Value, status: &str) -> Vec<String> {
    let response = &operation["responses"][status];
    assert_eq!(response["schema"], json!({"$ref": "#/definitions/ApiErrorResponse"}), "{status}");
    response["x-errorCodes"].as_array().unwrap().iter().map(|code| code["name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn errors_list_the_declared_codes_and_those_of_the_framework() {
    let unauthenticated = api().spec(Scope::User);
    let create = &unauthenticated["paths"]["/{envId}/widgets/"]["post"];
    assert_eq!(codes(create, "400"), ["BadRequest", "InvalidStructure", "InvalidValue"]);
    assert_eq!(codes(create, "403"), ["PermissionViolation"]);
    assert_eq!(codes(create, "404"), ["EndpointNotFound"]);
    assert_eq!(codes(create, "409"), ["UnicityViolation"]);
    assert_eq!(codes(create, "413"), ["PayloadTooLarge"]);
    assert_eq!(codes(create, "500"), ["InternalServerError"]);
    assert!(create["responses"].get("401").is_none(), "no 401 without authentication");
    assert_eq!(create["responses"]["409"]["description"], "Conflict with current state.");

    let authenticated = api().authenticate(MemoryKeyStore::new()).spec(Scope::User);
    let list = &authenticated["paths"]["/{envId}/widgets/"]["get"];
    assert_eq!(codes(list, "401"), ["BadAuthentication"]);
    assert_eq!(codes(list, "403"), ["PermissionViolation"]);
    assert_eq!(codes(list, "404"), ["EndpointNotFound", "ObjectNotFound"]);
    assert_eq!(list["responses"]["401"]["description"], "The request was not authenticated.");
}

#[test]
fn definitions_carry_scalr_extensions() {
    let spec = api().spec(Scope::User);
    let widget = &spec["definitions"]["Widget"];
    assert_eq!(widget["x-filterable"], json!(["id", "name"]));
    assert_eq!(widget["properties"]["id"]["readOnly"], true);
    assert_eq!(widget["properties"]["weight"]["x-nullable"], true);
    assert_eq!(widget["required"], json!(["name", "colour"]));
    assert_eq!(
        widget["properties"]["colour"],
        json!({"description": "Its colour.", "type": "string", "enum": ["blue", "green"]}),
        "enums are written into the properties that use them"
    );
    assert!(spec["definitions"].get("Colour").is_none(), "and their definitions dropped");
    let list = &spec["definitions"]["WidgetListResponse"];
    assert_eq!(list["properties"]["data"], json!({"type": "array", "items": {"$ref": "#/definitions/Widget"}}));
    assert_eq!(list["properties"]["pagination"], json!({"$ref": "#/definitions/ApiPagination"}));
    assert_eq!(
        spec["definitions"]["WidgetDetailsResponse"]["properties"]["data"],
        json!({"$ref": "#/definitions/Widget"})
    );
}

#[tokio::test]
async fn specs_are_served_as_yaml_without_authentication() {
    let api = api().authenticate(MemoryKeyStore::new());
    let expected: Vec<Value> = Scope::ALL.iter().map(|scope| api.spec(*scope)).collect();
    let router = api.into_router();
    for (scope, expected) in Scope::ALL.iter().zip(expected) {
        for extension in ["yml", "yaml"] {
            let uri = format!("/api/{}.v1beta0.{extension}", scope.as_str());
            let reply = send(&router, empty_request(Method::GET, &uri)).await;
            assert_eq!(reply.status.as_u16(), 200, "{uri}");
            assert_eq!(reply.headers[header::CONTENT_TYPE], "application/yaml");
            let text = String::from_utf8(reply.raw.clone()).unwrap();
            assert!(text.starts_with("basePath: "), "YAML, not JSON: {}", &text[..40]);
            let served: Value = yaml_serde::from_str(&text).unwrap();
            assert_eq!(served, expected, "{uri}");
        }
    }
    let action = send(&router, empty_request(Method::GET, "/api/v1beta0/user/1/widgets/")).await;
    action.assert_error(401, "BadAuthentication", "Unsigned request");
}

#[test]
fn one_path_named_two_ways_is_an_error_at_start() {
    /// Get a widget.
    #[scalr_action(get, "widgets/<widgetId>")]
    async fn get_widget(widget_id: u64) -> Result<(), ApiError> {
        let _ = widget_id;
        Ok(())
    }

    /// Delete a widget.
    #[scalr_action(delete, "widgets/<id>")]
    async fn delete_widget(id: u64) -> Result<(), ApiError> {
        let _ = id;
        Ok(())
    }

    let error = ScalrApi::<()>::new().action(get_widget {}).action(delete_widget {}).try_into_router().unwrap_err();
    assert!(matches!(error, BuildError::NamedDifferently { .. }));
    assert_eq!(
        error.to_string(),
        "actions `get_widget` (/api/v1beta0/user/{envId}/widgets/{widgetId}/) and `delete_widget` \
         (/api/v1beta0/user/{envId}/widgets/{id}/) name the placeholders of one path differently; use the same names"
    );
}
