//! The OpenAPI 3.1 document of each scope, translated from the Swagger 2.0 document the router
//! serves, so that both describe the same operations, parameters, bodies, responses and error
//! codes. The Swagger 2.0 documents stay as they are: scalr-ctl reads them.

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use serde_json::{Map, Value, json};

use crate::action::Scope;
use crate::router::BuildError;

/// The OpenAPI version written.
pub(crate) const OPENAPI_VERSION: &str = "3.1.0";

/// The methods a Swagger 2.0 path item can hold operations for.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// The OpenAPI 3.1 form of the Swagger 2.0 document `swagger`. With `authentication`, every
/// operation requires the three signature headers, described as security schemes.
pub(crate) fn document(swagger: &Value, authentication: bool) -> Value {
    let mut paths = Map::new();
    for (path, item) in swagger.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let mut converted = Map::new();
        if let Some(Value::Array(parameters)) = item.get("parameters") {
            converted.insert("parameters".into(), Value::Array(parameters.iter().map(parameter).collect()));
        }
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                converted.insert(method.into(), self::operation(operation));
            }
        }
        paths.insert(path.clone(), Value::Object(converted));
    }
    let mut schemas = Map::new();
    for (name, definition) in swagger.get("definitions").and_then(Value::as_object).into_iter().flatten() {
        schemas.insert(name.clone(), schema(definition));
    }
    let mut document = json!({
        "openapi": OPENAPI_VERSION,
        "info": swagger.get("info").cloned().unwrap_or_else(|| json!({})),
        "servers": [{ "url": swagger.get("basePath").cloned().unwrap_or_else(|| json!("/")) }],
        "paths": paths,
        "components": { "schemas": schemas },
    });
    // Swagger 2.0's API-key schemes are OpenAPI 3.1's as they are.
    if let Some(schemes) = swagger.get("securityDefinitions") {
        document["components"]["securitySchemes"] = schemes.clone();
    }
    if authentication {
        document["security"] = swagger.get("security").cloned().unwrap_or_else(|| json!([]));
    }
    document
}

fn operation(operation: &Value) -> Value {
    let mut converted = Map::new();
    for (key, value) in operation.as_object().into_iter().flatten() {
        match key.as_str() {
            "parameters" | "responses" | "consumes" | "produces" => {}
            _ => {
                converted.insert(key.clone(), value.clone());
            }
        }
    }
    let parameters: Vec<&Value> = operation.get("parameters").and_then(Value::as_array).into_iter().flatten().collect();
    let others: Vec<Value> = parameters.iter().filter(|p| p["in"] != "body").map(|p| parameter(p)).collect();
    if !others.is_empty() {
        converted.insert("parameters".into(), Value::Array(others));
    }
    if let Some(body) = parameters.iter().find(|p| p["in"] == "body") {
        let mut request_body = json!({
            "required": body.get("required").cloned().unwrap_or(Value::Bool(false)),
            "content": { "application/json": { "schema": schema(&body["schema"]) } },
        });
        if let Some(description) = body.get("description") {
            request_body["description"] = description.clone();
        }
        if let Some(name) = body.get("name") {
            request_body["x-bodyName"] = name.clone();
        }
        converted.insert("requestBody".into(), request_body);
    }
    let mut responses = Map::new();
    for (status, response) in operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
        let mut converted_response = Map::new();
        for (key, value) in response.as_object().into_iter().flatten() {
            match key.as_str() {
                "schema" => {
                    converted_response
                        .insert("content".into(), json!({ "application/json": { "schema": schema(value) } }));
                }
                // A Swagger 2.0 header has its type keywords inline; OpenAPI's has them in `schema`,
                // as a parameter does.
                "headers" => {
                    let headers = value.as_object().into_iter().flatten();
                    let headers = headers.map(|(name, header)| (name.clone(), parameter(header))).collect();
                    converted_response.insert("headers".into(), Value::Object(headers));
                }
                // Swagger 2.0 has links as an extension only; OpenAPI's have the same shape.
                "x-links" => {
                    converted_response.insert("links".into(), value.clone());
                }
                _ => {
                    converted_response.insert(key.clone(), value.clone());
                }
            }
        }
        responses.insert(status.clone(), Value::Object(converted_response));
    }
    converted.insert("responses".into(), Value::Object(responses));
    Value::Object(converted)
}

/// A path or query parameter: its type keywords move into `schema`.
fn parameter(parameter: &Value) -> Value {
    let mut converted = Map::new();
    let mut schema_keywords = Map::new();
    for (key, value) in parameter.as_object().into_iter().flatten() {
        match key.as_str() {
            "name" | "in" | "required" | "description" => {
                converted.insert(key.clone(), value.clone());
            }
            key if key.starts_with("x-") => {
                converted.insert(key.to_owned(), value.clone());
            }
            "collectionFormat" | "allowEmptyValue" => {}
            _ => {
                schema_keywords.insert(key.clone(), value.clone());
            }
        }
    }
    converted.insert("schema".into(), schema(&Value::Object(schema_keywords)));
    Value::Object(converted)
}

/// A Swagger 2.0 schema in JSON Schema 2020-12 terms: references into `components/schemas`,
/// `x-nullable` as a `null` type.
fn schema(node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            let mut converted: Map<String, Value> = Map::new();
            for (key, value) in map {
                let value = match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => match target.strip_prefix("#/definitions/") {
                        Some(name) => Value::from(format!("#/components/schemas/{name}")),
                        None => value.clone(),
                    },
                    _ => schema(value),
                };
                converted.insert(key.clone(), value);
            }
            if converted.get("x-nullable") == Some(&Value::Bool(true)) {
                converted.remove("x-nullable");
                return nullable(converted);
            }
            Value::Object(converted)
        }
        Value::Array(items) => Value::Array(items.iter().map(schema).collect()),
        other => other.clone(),
    }
}

fn nullable(mut schema: Map<String, Value>) -> Value {
    match schema.get("type").cloned() {
        Some(Value::String(kind)) => {
            schema.insert("type".into(), json!([kind, "null"]));
            if let Some(Value::Array(values)) = schema.get_mut("enum")
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
            Value::Object(schema)
        }
        Some(Value::Array(mut kinds)) => {
            if !kinds.contains(&json!("null")) {
                kinds.push(json!("null"));
            }
            schema.insert("type".into(), Value::Array(kinds));
            Value::Object(schema)
        }
        _ => json!({ "anyOf": [schema, { "type": "null" }] }),
    }
}

/// The routes of the OpenAPI 3.1 documents, `/api/{scope}.v1beta0.openapi.json` and `.yml`,
/// built once from the router's Swagger documents.
pub(crate) fn routes<S>(specs: &[(Scope, Value)], authentication: bool) -> Result<Router<S>, BuildError>
where
    S: Clone + Send + Sync + 'static,
{
    let mut router = Router::new();
    for (scope, swagger) in specs {
        let openapi = document(swagger, authentication);
        let spec_error = |reason: String| BuildError::Spec { scope: *scope, reason };
        let json = serde_json::to_vec_pretty(&openapi).map_err(|error| spec_error(error.to_string()))?;
        let yaml = yaml_serde::to_string(&openapi).map_err(|error| spec_error(error.to_string()))?;
        for (extension, content_type, body) in
            [("json", "application/json", Bytes::from(json)), ("yml", "application/yaml", Bytes::from(yaml))]
        {
            let serve = move || {
                let body = body.clone();
                async move { ([(header::CONTENT_TYPE, HeaderValue::from_static(content_type))], body) }
            };
            router = router.route(&format!("/api/{}.v1beta0.openapi.{extension}", scope.as_str()), get(serve));
        }
    }
    Ok(router)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_properties_and_references_become_json_schema() {
        let converted = schema(&json!({
            "type": "object",
            "properties": {
                "size": { "type": "integer", "x-nullable": true },
                "kind": { "type": "string", "enum": ["a"], "x-nullable": true },
                "os": { "allOf": [{ "$ref": "#/definitions/OsRef" }], "x-nullable": true },
            },
        }));
        assert_eq!(
            converted,
            json!({
                "type": "object",
                "properties": {
                    "size": { "type": ["integer", "null"] },
                    "kind": { "type": ["string", "null"], "enum": ["a", null] },
                    "os": { "anyOf": [{ "allOf": [{ "$ref": "#/components/schemas/OsRef" }] }, { "type": "null" }] },
                },
            })
        );
    }

    #[test]
    fn a_body_parameter_becomes_the_request_body_and_types_move_into_schemas() {
        let swagger = json!({
            "basePath": "/api/v1beta0/user",
            "info": { "title": "t", "version": "v" },
            "security": [{ "a": [], "b": [], "c": [] }],
            "paths": { "/{envId}/x/": {
                "parameters": [{ "name": "envId", "in": "path", "required": true, "type": "integer", "description": "d" }],
                "post": {
                    "operationId": "make_x",
                    "parameters": [{ "name": "x", "in": "body", "required": true, "description": "b", "schema": { "$ref": "#/definitions/X" } }],
                    "responses": { "201": { "description": "ok", "schema": { "$ref": "#/definitions/XDetailsResponse" } } },
                },
            } },
            "definitions": { "X": { "type": "object" } },
        });
        let openapi = document(&swagger, true);
        let item = &openapi["paths"]["/{envId}/x/"];
        assert_eq!(
            item["parameters"][0],
            json!({ "name": "envId", "in": "path", "required": true, "description": "d", "schema": { "type": "integer" } })
        );
        assert_eq!(
            item["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/X"
        );
        assert_eq!(
            item["post"]["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/XDetailsResponse"
        );
        assert!(item["post"].get("parameters").is_none());
        assert_eq!(openapi["servers"][0]["url"], "/api/v1beta0/user");
        assert_eq!(openapi["security"][0].as_object().map(Map::len), Some(3));
        assert!(document(&swagger, false).get("security").is_none());
    }
}
