//! Example values made from schemas, the way Scalr's explorer shows them: `"string"`, `1`,
//! `true`, date-times as `"2013-01-01T12:34:56.789Z"`, an enum's first value, nested objects
//! expanded and lists of one item.

use serde_json::{Map, Value};

/// The date-time every example shows.
pub(crate) const EXAMPLE_DATE_TIME: &str = "2013-01-01T12:34:56.789Z";

/// How deep references are followed before an example gives up with `{}`: the spec's types are
/// shallow, and a recursive type must not recurse forever.
const MAX_DEPTH: usize = 16;

/// The example value of `schema`, whose `$ref`s point into `definitions` (`#/definitions/Name`).
pub(crate) fn example(schema: &Value, definitions: &Map<String, Value>) -> Value {
    example_at(schema, definitions, 0)
}

fn example_at(schema: &Value, definitions: &Map<String, Value>, depth: usize) -> Value {
    let Value::Object(schema) = schema else {
        return Value::Null;
    };
    if depth > MAX_DEPTH {
        return Value::Object(Map::new());
    }
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let name = target.rsplit('/').next().unwrap_or_default();
        return match definitions.get(name) {
            Some(definition) => example_at(definition, definitions, depth + 1),
            None => Value::Object(Map::new()),
        };
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(parts)) = schema.get(combinator) {
            let first = parts.iter().find(|part| part.get("type").and_then(Value::as_str) != Some("null"));
            if let Some(part) = first {
                return example_at(part, definitions, depth + 1);
            }
        }
    }
    if let Some(Value::Array(values)) = schema.get("enum")
        && let Some(first) = values.iter().find(|value| !value.is_null())
    {
        return first.clone();
    }
    match type_of(schema) {
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => Value::from(EXAMPLE_DATE_TIME),
            _ => Value::from("string"),
        },
        Some("integer" | "number") => Value::from(1),
        Some("boolean") => Value::Bool(true),
        Some("array") => {
            let item = schema.get("items").map(|items| example_at(items, definitions, depth + 1));
            Value::Array(item.into_iter().collect())
        }
        Some("null") => Value::Null,
        _ => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let object = properties
                .into_iter()
                .flatten()
                .map(|(name, property)| (name.clone(), example_at(property, definitions, depth + 1)))
                .collect();
            Value::Object(object)
        }
    }
}

/// The schema's type: `type` itself, or the first that is not `null` of a list of types.
fn type_of(schema: &Map<String, Value>) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(kind)) => Some(kind),
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).find(|kind| *kind != "null"),
        _ => None,
    }
}

/// `value` as the explorer prints it: JSON indented by two spaces.
pub(crate) fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn definitions() -> Map<String, Value> {
        let definitions = json!({
            "OsRef": { "type": "object", "properties": { "id": { "type": "string" } } },
            "Loop": { "type": "object", "properties": { "next": { "$ref": "#/definitions/Loop" } } },
        });
        definitions.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn scalars_take_the_seed_pages_values() {
        let schema = json!({
            "type": "object",
            "properties": {
                "added": { "type": "string", "format": "date-time" },
                "id": { "type": "string", "format": "uuid" },
                "size": { "type": "integer", "format": "uint32", "x-nullable": true },
                "ratio": { "type": "number" },
                "deprecated": { "type": "boolean" },
                "cloudPlatform": { "type": "string", "enum": ["ec2", "gce"] },
                "maybe": { "type": ["null", "string"] },
            },
        });
        assert_eq!(
            example(&schema, &definitions()),
            json!({
                "added": "2013-01-01T12:34:56.789Z",
                "id": "string",
                "size": 1,
                "ratio": 1,
                "deprecated": true,
                "cloudPlatform": "ec2",
                "maybe": "string",
            })
        );
    }

    #[test]
    fn references_and_wrappers_are_expanded() {
        let schema = json!({
            "type": "object",
            "properties": {
                "os": { "allOf": [{ "$ref": "#/definitions/OsRef" }], "description": "The OS." },
                "tags": { "type": "array", "items": { "type": "string" } },
                "either": { "anyOf": [{ "type": "null" }, { "type": "boolean" }] },
                "missing": { "$ref": "#/definitions/Nowhere" },
            },
        });
        assert_eq!(
            example(&schema, &definitions()),
            json!({ "os": { "id": "string" }, "tags": ["string"], "either": true, "missing": {} })
        );
    }

    #[test]
    fn a_recursive_type_stops() {
        let value = example(&json!({ "$ref": "#/definitions/Loop" }), &definitions());
        let mut depth = 0;
        let mut node = &value;
        while let Some(next) = node.get("next") {
            depth += 1;
            node = next;
        }
        assert!((1..=MAX_DEPTH).contains(&depth), "{depth}");
    }
}
