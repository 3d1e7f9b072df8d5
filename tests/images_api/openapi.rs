//! The OpenAPI 3.1 documents against the Swagger 2.0 documents they are made from, operation by
//! operation: the same operations, parameters, bodies, responses and error codes.

use axum::http::{Method, header};
use serde_json::Value;

use scalr_copy_server::testing::demo_server::DemoDatabase;
use scalr_copy_server::testing::http::{empty_request, send};

/// A Swagger 2.0 schema with its references moved to where OpenAPI 3.1 keeps definitions, and
/// `x-nullable` left out (OpenAPI 3.1 writes it as a `null` type), for comparison.
fn comparable(node: &Value) -> Value {
    match node {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| key.as_str() != "x-nullable")
                .map(|(key, value)| match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => {
                        (key.clone(), Value::from(target.replace("#/definitions/", "#/components/schemas/")))
                    }
                    _ => (key.clone(), comparable(value)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(comparable).collect()),
        other => other.clone(),
    }
}

/// The names and locations of a list of parameters, without the body.
fn parameters(list: &Value) -> Vec<(String, String, bool, String)> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter(|parameter| parameter["in"] != "body")
        .map(|parameter| {
            (
                parameter["name"].as_str().unwrap_or_default().to_owned(),
                parameter["in"].as_str().unwrap_or_default().to_owned(),
                parameter["required"] == true,
                parameter["description"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_operation_of_the_swagger_documents_is_in_the_openapi_documents() {
    let database = DemoDatabase::new().await;
    let router = database.router();
    let mut operations = 0;
    for scope in ["user", "account", "global"] {
        let swagger = send(&router, empty_request(Method::GET, &format!("/api/{scope}.v1beta0.yml"))).await;
        let swagger: Value = yaml_serde::from_slice(&swagger.raw).expect("the Swagger document is YAML");
        let json = send(&router, empty_request(Method::GET, &format!("/api/{scope}.v1beta0.openapi.json"))).await;
        assert_eq!(json.status.as_u16(), 200);
        json.assert_json();
        let openapi = json.json;
        let yaml = send(&router, empty_request(Method::GET, &format!("/api/{scope}.v1beta0.openapi.yml"))).await;
        assert_eq!(yaml.headers[header::CONTENT_TYPE], "application/yaml");
        let from_yaml: Value = yaml_serde::from_slice(&yaml.raw).expect("the OpenAPI YAML is YAML");
        assert_eq!(from_yaml, openapi, "{scope}: the YAML and the JSON are one document");

        assert_eq!(openapi["openapi"], "3.1.0");
        assert_eq!(openapi["info"], swagger["info"]);
        assert_eq!(openapi["servers"][0]["url"], swagger["basePath"]);
        let schemes = openapi["components"]["securitySchemes"].as_object().expect("security schemes");
        let headers: Vec<&str> = schemes.values().filter_map(|scheme| scheme["name"].as_str()).collect();
        assert_eq!(headers, ["X-Scalr-Date", "X-Scalr-Key-Id", "X-Scalr-Signature"]);
        assert_eq!(openapi["security"][0].as_object().map(|names| names.len()), Some(3), "the example authenticates");
        let definitions = swagger["definitions"].as_object().expect("definitions");
        let schemas = openapi["components"]["schemas"].as_object().expect("schemas");
        assert_eq!(definitions.keys().collect::<Vec<_>>(), schemas.keys().collect::<Vec<_>>(), "{scope}");

        let swagger_paths = swagger["paths"].as_object().expect("paths");
        let openapi_paths = openapi["paths"].as_object().expect("paths");
        assert_eq!(swagger_paths.keys().collect::<Vec<_>>(), openapi_paths.keys().collect::<Vec<_>>(), "{scope}");
        for (path, item) in swagger_paths {
            let converted = &openapi_paths[path];
            assert_eq!(parameters(&item["parameters"]), parameters(&converted["parameters"]), "{path}");
            for parameter in converted["parameters"].as_array().into_iter().flatten() {
                assert!(parameter["schema"]["type"].is_string(), "{path}: a typed parameter {parameter}");
            }
            let methods: Vec<&String> = item.as_object().into_iter().flatten().map(|(key, _)| key).collect();
            let converted_methods: Vec<&String> =
                converted.as_object().into_iter().flatten().map(|(key, _)| key).collect();
            assert_eq!(methods, converted_methods, "{path}");
            for (method, operation) in item.as_object().into_iter().flatten().filter(|(key, _)| *key != "parameters") {
                operations += 1;
                let other = &converted[method];
                let at = format!("{method} {path}");
                assert_eq!(other["operationId"], operation["operationId"], "{at}");
                assert_eq!(other["description"], operation["description"], "{at}");
                assert_eq!(parameters(&operation["parameters"]), parameters(&other["parameters"]), "{at}");
                let body = operation["parameters"].as_array().into_iter().flatten().find(|p| p["in"] == "body");
                match body {
                    Some(body) => {
                        let request_body = &other["requestBody"];
                        assert_eq!(request_body["description"], body["description"], "{at}");
                        assert_eq!(request_body["required"], body["required"], "{at}");
                        assert_eq!(
                            request_body["content"]["application/json"]["schema"],
                            comparable(&body["schema"]),
                            "{at}"
                        );
                    }
                    None => assert!(other.get("requestBody").is_none(), "{at}"),
                }
                let responses = operation["responses"].as_object().expect("responses");
                let converted_responses = other["responses"].as_object().expect("responses");
                assert_eq!(
                    responses.keys().collect::<Vec<_>>(),
                    converted_responses.keys().collect::<Vec<_>>(),
                    "{at}"
                );
                for (status, response) in responses {
                    let converted = &converted_responses[status];
                    assert_eq!(converted["description"], response["description"], "{at} {status}");
                    assert_eq!(converted["x-errorCodes"], response["x-errorCodes"], "{at} {status}");
                    let schema = &converted["content"]["application/json"]["schema"];
                    match response.get("schema") {
                        Some(expected) => assert_eq!(schema, &comparable(expected), "{at} {status}"),
                        None => assert!(converted.get("content").is_none(), "{at} {status}"),
                    }
                }
            }
        }
        for (name, definition) in definitions {
            let schema = &schemas[name];
            assert_eq!(
                comparable(schema)["properties"].as_object().map(|properties| properties.keys().collect::<Vec<_>>()),
                definition["properties"].as_object().map(|properties| properties.keys().collect::<Vec<_>>()),
                "{name}"
            );
            assert!(!schema.to_string().contains("#/definitions/"), "{name} refers to components only");
            assert!(!schema.to_string().contains("x-nullable"), "{name} says null the JSON Schema way");
        }
    }
    assert_eq!(operations, 8, "the example's six actions, all in the user scope, and the HEAD of its two GETs");
}
