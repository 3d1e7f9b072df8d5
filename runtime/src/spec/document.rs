//! Assembles one scope's Swagger 2.0 document: paths with their path-level parameters, one
//! operation per action, the envelope definitions and the definitions of the actions' types.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::links;
use super::schema::reshape;
use super::{DataSpec, ObjectSpec, SpecInfo};
use crate::action::{ActionMeta, Method, Scope};
use crate::error::ErrorCode;
use crate::extract::{EnvId, PathParamSpec};

/// Which of the framework's own checks the router runs, so the spec lists the errors they add.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Checks {
    /// Requests are authenticated (401, the date header's 400, the user's 403).
    pub(crate) authentication: bool,
    /// Requests are rate-limited (403 `LimitExceeded`).
    pub(crate) rate_limit: bool,
}

/// The document of `scope` for the `actions` of that scope.
pub(crate) fn document(scope: Scope, actions: &[&'static ActionMeta], info: &SpecInfo, checks: Checks) -> Value {
    let mut generator = super::generator();
    let mut paths = Map::new();
    let mut objects: BTreeMap<String, ObjectSpec> = BTreeMap::new();
    let mut linked = Vec::new();
    for action in actions.iter().filter(|action| action.scope == scope) {
        let key = spec_path(action);
        let entry = paths.entry(key.clone()).or_insert_with(|| json!({ "parameters": path_parameters(action) }));
        let (operation, data) = operation(action, &mut generator, checks);
        let method = action.method.as_str().to_ascii_lowercase();
        if action.method == Method::Get {
            entry["head"] = head_operation(&operation);
        }
        entry[&method] = operation;
        if let DataSpec::Object(object) | DataSpec::List(object) = &data {
            objects.insert(object.name.clone(), object.clone());
        }
        linked.push(links::Linked { path: key, method, operation_id: action.name, status: action.status, data });
    }
    links::add(&mut paths, &linked);
    let mut definitions = envelope_definitions();
    for (name, definition) in generator.take_definitions(true) {
        definitions.insert(name, definition);
    }
    for object in objects.values() {
        if let Some(Value::Object(definition)) = definitions.get_mut(&object.name) {
            let filterable = object.filterable.iter().map(|name| Value::from(*name)).collect();
            definition.insert("x-filterable".into(), Value::Array(filterable));
        }
        let data = reshape(object.schema.clone());
        definitions.insert(format!("{}DetailsResponse", object.name), response_definition(data.clone(), false));
        let list = json!({ "type": "array", "items": data });
        definitions.insert(format!("{}ListResponse", object.name), response_definition(list, true));
    }
    inline_enums(&mut definitions);
    let mut document = json!({
        "swagger": "2.0",
        "info": { "title": info.title, "version": info.version, "description": info.description },
        "basePath": scope.base_path(),
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": paths,
        "definitions": definitions,
    });
    if checks.authentication {
        document["securityDefinitions"] = crate::auth::security_definitions();
        document["security"] = crate::auth::security_requirement();
    }
    drop_unreferenced_enums(&mut document);
    document
}

/// The path key: relative to the scope's `basePath`, with both slashes, e.g.
/// `/{envId}/images/{imageId}/actions/copy/`.
pub(crate) fn spec_path(action: &ActionMeta) -> String {
    format!("{}/", action.path.strip_prefix(action.scope.base_path()).unwrap_or(action.path))
}

fn path_parameters(action: &ActionMeta) -> Value {
    let environment = (action.scope == Scope::User).then(|| {
        let mut parameter = path_parameter("envId", EnvId::SPEC);
        // The bounds `EnvId::from_segment` accepts: a `NonZeroU64`.
        parameter["minimum"] = EnvId::MINIMUM.into();
        parameter["maximum"] = u64::MAX.into();
        parameter
    });
    let placeholders = action.path_params.iter().map(|param| path_parameter(param.name, param.spec));
    Value::Array(environment.into_iter().chain(placeholders).collect())
}

fn path_parameter(name: &str, spec: PathParamSpec) -> Value {
    let mut parameter = json!({
        "name": name,
        "in": "path",
        "required": true,
        "type": spec.swagger_type,
        "description": spec.description,
    });
    if let Some(pattern) = spec.pattern {
        parameter["pattern"] = pattern.into();
    }
    parameter
}

fn operation(action: &ActionMeta, generator: &mut schemars::SchemaGenerator, checks: Checks) -> (Value, DataSpec) {
    let mut operation = json!({ "operationId": action.name, "description": action.description });
    let mut parameters = Vec::new();
    if let Some(body) = &action.body {
        let schema = reshape((body.schema)(generator));
        let description = body_description(&schema, generator);
        parameters.push(json!({
            "name": body.name,
            "in": "body",
            "required": true,
            "description": description,
            "schema": schema,
        }));
    }
    if let Some(schema) = action.query_args {
        let mut request_generator = super::schema::request_generator();
        let schema = schema(&mut request_generator);
        parameters.extend(query_args_parameters(schema.as_value(), &request_generator));
    }
    let data = (action.output)(generator);
    if let DataSpec::List(object) = &data {
        parameters.extend(crate::extract::paging_parameters());
        parameters.extend(filter_parameters(object, generator));
    }
    if !parameters.is_empty() {
        operation["parameters"] = Value::Array(parameters);
    }
    let mut responses = Map::new();
    let mut success = success_response(&data);
    success["headers"] = request_id_header();
    responses.insert(action.status.to_string(), success);
    for (status, codes) in error_codes(action, &data, checks) {
        let codes: Vec<Value> =
            codes.iter().map(|code| json!({ "name": code.as_str(), "description": code.description() })).collect();
        responses.insert(
            status.to_string(),
            json!({
                "description": status_description(status),
                "schema": { "$ref": "#/definitions/ApiErrorResponse" },
                "headers": request_id_header(),
                "x-errorCodes": codes,
            }),
        );
    }
    operation["responses"] = Value::Object(responses);
    (operation, data)
}

/// The `HEAD` of a `GET` operation, which the router answers through the `GET` action: the same
/// checks, statuses and headers, and no body.
fn head_operation(get: &Value) -> Value {
    let mut head = get.clone();
    let name = get["operationId"].as_str().unwrap_or_default();
    head["operationId"] = format!("{name}_head").into();
    head["description"] = format!("The status and headers `{name}` answers, without a body.").into();
    if let Some(Value::Object(responses)) = head.get_mut("responses") {
        for response in responses.values_mut().filter_map(Value::as_object_mut) {
            response.remove("schema");
            response.remove("x-links");
        }
    }
    head
}

/// The `X-Request-Id` header every response carries, the id also sent as `meta.requestId`.
fn request_id_header() -> Value {
    json!({ "X-Request-Id": { "type": "string", "format": "uuid", "description": "The id of the request." } })
}

/// One query parameter per property a list of `object` can be filtered on ([`ObjectSpec::filterable`],
/// the list [`crate::Filters`] checks), typed like the property in the object's schema: the
/// filter's value is read as that property's wire form.
fn filter_parameters(object: &ObjectSpec, generator: &schemars::SchemaGenerator) -> Vec<Value> {
    let definitions = generator.definitions();
    let definition = resolved(object.schema.as_value(), definitions);
    object
        .filterable
        .iter()
        .map(|name| {
            let property = definition.get("properties").and_then(|properties| properties.get(*name));
            let property = property.map(|property| resolved(property, definitions)).unwrap_or(Value::Null);
            let description = property.get("description").and_then(Value::as_str).unwrap_or("A filter.");
            let description = format!("Only the objects whose `{name}` is this value. {description}");
            query_parameter(name, &property, description, false)
        })
        .collect()
}

/// One query parameter per property of the schema of an action's `QueryArgs<T>`, required when
/// the schema requires it: the parameters [`crate::QueryArgs`] reads.
fn query_args_parameters(schema: &Value, generator: &schemars::SchemaGenerator) -> Vec<Value> {
    let definitions = generator.definitions();
    let schema = resolved(schema, definitions);
    let required = |name: &str| {
        schema.get("required").and_then(Value::as_array).is_some_and(|names| names.iter().any(|n| n == name))
    };
    let properties = schema.get("properties").and_then(Value::as_object).into_iter().flatten();
    properties
        .map(|(name, property)| {
            let property = resolved(property, definitions);
            let description = property.get("description").and_then(Value::as_str).unwrap_or("A parameter.");
            query_parameter(name, &property, description.to_owned(), required(name))
        })
        .collect()
}

/// The definition `schema` stands for: the one its `$ref` (or its single `allOf` part's) names,
/// else itself.
fn resolved(schema: &Value, definitions: &Map<String, Value>) -> Value {
    let reference = schema
        .get("$ref")
        .or_else(|| schema.get("allOf").and_then(|parts| parts.get(0)).and_then(|part| part.get("$ref")));
    let name = reference.and_then(Value::as_str).and_then(|reference| reference.strip_prefix("#/definitions/"));
    name.and_then(|name| definitions.get(name)).cloned().unwrap_or_else(|| schema.clone())
}

/// A query parameter typed like `property`: a scalar's type (an optional one's, without its
/// `null`) with its enum, format, pattern, bounds and default; an object (`os`) by its id, a
/// string.
fn query_parameter(name: &str, property: &Value, description: String, required: bool) -> Value {
    let mut parameter = json!({ "name": name, "in": "query", "required": required, "description": description });
    let kind = match property.get("type") {
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).find(|kind| *kind != "null"),
        Some(kind) => kind.as_str(),
        None => None,
    };
    let kind = kind.filter(|kind| ["string", "integer", "number", "boolean"].contains(kind));
    parameter["type"] = kind.unwrap_or("string").into();
    if kind.is_some() {
        for keyword in ["enum", "format", "pattern", "minimum", "maximum", "default"] {
            if let Some(value) = property.get(keyword) {
                parameter[keyword] = value.clone();
            }
        }
        // An optional enum lists its `null`, which a query cannot send.
        if let Some(Value::Array(values)) = parameter.get_mut("enum") {
            values.retain(|value| !value.is_null());
        }
    }
    parameter
}

/// The body parameter's description: its type's doc comment, if it has one.
fn body_description(schema: &Value, generator: &schemars::SchemaGenerator) -> String {
    let definition = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix("#/definitions/"))
        .and_then(|name| generator.definitions().get(name));
    definition.unwrap_or(schema).get("description").and_then(Value::as_str).unwrap_or("The request body.").to_owned()
}

fn success_response(data: &DataSpec) -> Value {
    match data {
        DataSpec::Empty => json!({ "description": "The action succeeded; `data` is null." }),
        DataSpec::Object(object) => json!({
            "description": format!("The JSON representation of a {} object.", object.name),
            "schema": { "$ref": format!("#/definitions/{}DetailsResponse", object.name) },
        }),
        DataSpec::List(object) => json!({
            "description": format!("A page of {} objects.", object.name),
            "schema": { "$ref": format!("#/definitions/{}ListResponse", object.name) },
        }),
    }
}

/// Every code the action can answer with, by status: those it declares and those the
/// framework's checks raise for it, each list kept next to the checks that raise it.
fn error_codes(action: &ActionMeta, data: &DataSpec, checks: Checks) -> BTreeMap<u16, Vec<ErrorCode>> {
    let mut codes = Vec::new();
    codes.extend_from_slice(crate::router::ROUTING_CODES);
    codes.extend_from_slice(crate::pipeline::ADMISSION_CODES);
    if checks.authentication {
        codes.extend_from_slice(crate::auth::SIGNATURE_CODES);
        if action.scope == Scope::User {
            codes.extend_from_slice(crate::auth::ENVIRONMENT_CODES);
        }
    }
    if checks.rate_limit {
        codes.extend_from_slice(crate::auth::RATE_LIMIT_CODES);
    }
    if action.permission.is_some() {
        codes.extend_from_slice(crate::auth::PERMISSION_CODES);
    }
    if let DataSpec::List(_) = data {
        codes.extend_from_slice(crate::extract::FILTER_CODES);
    }
    codes.extend_from_slice(action.errors);
    codes.sort();
    codes.dedup();
    let mut by_status: BTreeMap<u16, Vec<ErrorCode>> = BTreeMap::new();
    for code in codes {
        by_status.entry(code.status().as_u16()).or_default().push(code);
    }
    by_status
}

/// The descriptions Scalr's own spec gives each error status.
fn status_description(status: u16) -> &'static str {
    match status {
        400 => "A client-side error was made.",
        401 => "The request was not authenticated.",
        403 => "Insufficient permissions.",
        404 => "Resource not found.",
        409 => "Conflict with current state.",
        413 => "The request body is too large.",
        422 => "This request was well-formed but was rejected due to semantic errors.",
        500 => "A server-side error occurred.",
        501 => "This feature is not implemented in Scalr.",
        503 => "The service is currently unavailable.",
        _ => "An error occurred.",
    }
}

fn response_definition(data: Value, list: bool) -> Value {
    let mut properties = json!({
        "data": data,
        "errors": { "type": "array", "items": { "$ref": "#/definitions/ApiMessage" } },
        "meta": { "$ref": "#/definitions/ApiMetaContainer" },
        "warnings": { "type": "array", "items": { "$ref": "#/definitions/ApiMessage" } },
    });
    let mut required = vec!["data", "errors", "meta", "warnings"];
    if list {
        properties["pagination"] = json!({ "$ref": "#/definitions/ApiPagination" });
        required.push("pagination");
    }
    json!({ "type": "object", "properties": properties, "required": required })
}

/// The definitions every scope's spec has: the parts of the envelope.
fn envelope_definitions() -> Map<String, Value> {
    let link = json!({ "type": "string", "x-nullable": true, "description": "A link to a page, or null." });
    let messages = json!({ "type": "array", "items": { "$ref": "#/definitions/ApiMessage" } });
    let mut definitions = Map::new();
    definitions.insert(
        "ApiMessage".into(),
        json!({
            "type": "object",
            "properties": {
                "code": { "type": "string", "description": "A machine-readable code." },
                "message": { "type": "string", "description": "A human-readable message." },
            },
            "required": ["code", "message"],
        }),
    );
    definitions.insert(
        "ApiMetaContainer".into(),
        json!({
            "type": "object",
            "properties": {
                "requestId": { "type": "string", "format": "uuid", "description": "The id of the request." },
                "stringToSign": {
                    "type": "string",
                    "description": "The string the server signed, with the X-Scalr-Debug: 1 header only.",
                },
            },
            "required": ["requestId"],
        }),
    );
    definitions.insert(
        "ApiPagination".into(),
        json!({
            "type": "object",
            "properties": { "first": link, "last": link, "next": link, "prev": link },
            "required": ["first", "last", "next", "prev"],
        }),
    );
    definitions.insert(
        "ApiErrorResponse".into(),
        json!({
            "type": "object",
            "properties": {
                "errors": messages,
                "meta": { "$ref": "#/definitions/ApiMetaContainer" },
                "warnings": messages,
            },
            "required": ["errors", "meta", "warnings"],
        }),
    );
    definitions
}

/// A definition that is only a list of values, like a Rust enum of unit variants.
fn is_plain_enum(definition: &Value) -> bool {
    definition.get("enum").is_some()
        && definition
            .as_object()
            .is_some_and(|map| map.keys().all(|key| matches!(key.as_str(), "type" | "enum" | "description")))
}

/// Writes enum definitions into the properties that use them, as Scalr's spec does
/// (`cloudPlatform: {type: string, enum: [ec2, ...]}`), instead of `allOf: [$ref]` wrappers
/// that Swagger 2.0 tools read unevenly.
fn inline_enums(definitions: &mut Map<String, Value>) {
    let enums: Map<String, Value> = definitions
        .iter()
        .filter(|(_, definition)| is_plain_enum(definition))
        .map(|(name, definition)| (name.clone(), definition.clone()))
        .collect();
    for definition in definitions.values_mut() {
        inline_enum_uses(definition, &enums);
    }
}

fn inline_enum_uses(node: &mut Value, enums: &Map<String, Value>) {
    match node {
        Value::Object(map) => {
            let target = match map.get("allOf") {
                Some(Value::Array(parts)) if parts.len() == 1 => parts[0].get("$ref").cloned(),
                _ => map.get("$ref").cloned(),
            };
            let enumerated = target
                .as_ref()
                .and_then(Value::as_str)
                .and_then(|reference| reference.strip_prefix("#/definitions/"))
                .and_then(|name| enums.get(name));
            if let Some(Value::Object(enumerated)) = enumerated {
                map.remove("allOf");
                map.remove("$ref");
                for (key, value) in enumerated {
                    map.entry(key.clone()).or_insert_with(|| value.clone());
                }
                return;
            }
            map.values_mut().for_each(|value| inline_enum_uses(value, enums));
        }
        Value::Array(items) => items.iter_mut().for_each(|item| inline_enum_uses(item, enums)),
        _ => {}
    }
}

/// Removes the enum definitions nothing refers to any more.
fn drop_unreferenced_enums(document: &mut Value) {
    let mut referenced = BTreeSet::new();
    collect_references(document, &mut referenced);
    if let Some(Value::Object(definitions)) = document.get_mut("definitions") {
        definitions.retain(|name, definition| !is_plain_enum(definition) || referenced.contains(name.as_str()));
    }
}

/// The names of the definitions `node` refers to.
fn collect_references(node: &Value, names: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            let reference = map.get("$ref").and_then(Value::as_str);
            if let Some(name) = reference.and_then(|reference| reference.strip_prefix("#/definitions/")) {
                names.insert(name.to_owned());
            }
            map.values().for_each(|value| collect_references(value, names));
        }
        Value::Array(items) => items.iter().for_each(|item| collect_references(item, names)),
        _ => {}
    }
}
