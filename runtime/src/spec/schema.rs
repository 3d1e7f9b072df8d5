//! JSON Schemas from schemars, reshaped into what Swagger 2.0 accepts: definitions under
//! `#/definitions/`, `x-nullable` for optional values, enums instead of `const`/`oneOf`, and no
//! keyword Swagger 2.0 lacks.

use schemars::generate::{Contract, SchemaSettings};
use schemars::transform::{Transform, transform_subschemas};
use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

/// JSON Schema keywords Swagger 2.0's Schema Object does not have.
const UNSUPPORTED: [&str; 16] = [
    "$schema",
    "$id",
    "$comment",
    "writeOnly",
    "examples",
    "contains",
    "prefixItems",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentRequired",
    "dependentSchemas",
    "propertyNames",
    "if",
    "then",
    "else",
    "not",
];

/// A generator whose schemas are valid Swagger 2.0: schemars' OpenAPI 3.0 settings (nullable
/// flags, no `const`, no `$ref` siblings, single examples) with Swagger's definitions path and
/// [`Swagger2`] last.
///
/// One definition describes an object both ways, as in Scalr's own spec, so schemas follow the
/// serialisation contract: every property the server shows is listed, those a client cannot set
/// (`#[serde(skip_deserializing)]`) marked `readOnly`.
pub(crate) fn generator() -> SchemaGenerator {
    generator_for(Contract::Serialize)
}

/// A generator for what clients send and the server only reads (query parameters): a field with
/// a default is optional there, where [`generator`]'s serialising contract calls it always sent.
pub(crate) fn request_generator() -> SchemaGenerator {
    generator_for(Contract::Deserialize)
}

fn generator_for(contract: Contract) -> SchemaGenerator {
    SchemaSettings::openapi3()
        .with(|settings| {
            settings.meta_schema = None;
            settings.definitions_path = "/definitions".into();
            settings.contract = contract;
        })
        .with_transform(Swagger2)
        .into_generator()
}

/// The last reshaping step: what schemars' own transforms leave that Swagger 2.0 lacks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Swagger2;

impl Transform for Swagger2 {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(object) = schema.as_object_mut() else { return };
        if let Some(nullable) = object.remove("nullable") {
            object.insert("x-nullable".into(), nullable);
        }
        for keyword in UNSUPPORTED {
            object.remove(keyword);
        }
        // Swagger 2.0 has no null type, so a null default cannot match the schema.
        if object.get("default") == Some(&Value::Null) {
            object.remove("default");
        }
        merge_enum_alternatives(object);
        unwrap_nullable_reference(object);
        bound_integer_formats(object);
        keep_required_for_clients(object);
    }
}

/// An integer of a Rust type (`format: uint32`) takes the type's range, which deserialisation
/// enforces: a larger number is refused as any other wrong value is.
fn bound_integer_formats(object: &mut Map<String, Value>) {
    let range: (Value, Value) = match object.get("format").and_then(Value::as_str) {
        Some("int8") => (i8::MIN.into(), i8::MAX.into()),
        Some("uint8") => (0.into(), u8::MAX.into()),
        Some("int16") => (i16::MIN.into(), i16::MAX.into()),
        Some("uint16") => (0.into(), u16::MAX.into()),
        Some("int32") => (i32::MIN.into(), i32::MAX.into()),
        Some("uint32") => (0.into(), u32::MAX.into()),
        Some("int64") => (i64::MIN.into(), i64::MAX.into()),
        Some("uint64") => (0.into(), u64::MAX.into()),
        _ => return,
    };
    object.entry("minimum").or_insert(range.0);
    object.entry("maximum").or_insert(range.1);
}

/// `required` lists what a client must send, as in Scalr's spec: not the read-only properties,
/// nor those that may be null or have a default.
fn keep_required_for_clients(object: &mut Map<String, Value>) {
    let Some(Value::Object(properties)) = object.get("properties") else { return };
    let optional: Vec<String> = properties
        .iter()
        .filter(|(_, property)| {
            property.get("readOnly") == Some(&Value::Bool(true))
                || property.get("x-nullable") == Some(&Value::Bool(true))
                || property.get("default").is_some()
        })
        .map(|(name, _)| name.clone())
        .collect();
    if let Some(Value::Array(required)) = object.get_mut("required") {
        required.retain(|name| !name.as_str().is_some_and(|name| optional.iter().any(|o| o == name)));
        if required.is_empty() {
            object.remove("required");
        }
    }
}

/// `oneOf`/`anyOf` of enum-only alternatives (a documented Rust enum) becomes one `enum`.
fn merge_enum_alternatives(object: &mut Map<String, Value>) {
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(alternatives)) = object.get(keyword) else { continue };
        let mut values = Vec::new();
        let mut kind: Option<Value> = None;
        for alternative in alternatives {
            let Some(enumerated) = alternative.get("enum").and_then(Value::as_array) else { return };
            values.extend(enumerated.iter().cloned());
            kind = kind.or_else(|| alternative.get("type").cloned());
        }
        object.remove(keyword);
        object.insert("enum".into(), Value::Array(values));
        if let Some(kind) = kind {
            object.entry("type").or_insert(kind);
        }
    }
}

/// `anyOf: [{$ref}, {type: null}]` (an optional object) becomes the reference, marked nullable.
fn unwrap_nullable_reference(object: &mut Map<String, Value>) {
    let Some(Value::Array(alternatives)) = object.get("anyOf") else { return };
    // schemars writes the null alternative as `{type: null}`, or `{enum: [null]}` once nullable.
    let is_null = |value: &Value| {
        value.get("type") == Some(&Value::from("null")) || value.get("enum") == Some(&Value::Array(vec![Value::Null]))
    };
    let [first, second] = alternatives.as_slice() else { return };
    let reference = match (first.get("$ref"), second.get("$ref")) {
        (Some(reference), None) if is_null(second) => reference.clone(),
        (None, Some(reference)) if is_null(first) => reference.clone(),
        _ => return,
    };
    object.remove("anyOf");
    object.insert("allOf".into(), Value::Array(vec![serde_json::json!({ "$ref": reference })]));
    object.insert("x-nullable".into(), Value::Bool(true));
}

/// Applies [`Swagger2`] to a schema that did not come through the generator's definitions.
pub(crate) fn reshape(mut schema: Schema) -> Value {
    Swagger2.transform(&mut schema);
    schema.to_value()
}

#[cfg(test)]
mod tests {
    use schemars::JsonSchema;
    use serde_json::json;

    use super::*;

    /// A colour.
    #[derive(JsonSchema)]
    #[serde(rename_all = "lowercase")]
    #[allow(dead_code)]
    enum Colour {
        /// Like the sky.
        Blue,
        /// Like grass.
        Green,
    }

    #[derive(JsonSchema)]
    #[allow(dead_code)]
    struct Paint {
        colour: Colour,
        shade: Option<u8>,
        mixed_with: Option<Box<Paint>>,
        #[schemars(extend("x-createOnly" = true))]
        brand: String,
    }

    #[test]
    fn definitions_are_swagger_two() {
        let mut generator = generator();
        let reference = generator.subschema_for::<Paint>();
        assert_eq!(reference.as_value(), &json!({"$ref": "#/definitions/Paint"}));
        let definitions = generator.take_definitions(true);
        assert_eq!(definitions["Colour"]["enum"], json!(["blue", "green"]));
        assert_eq!(definitions["Colour"]["type"], "string");
        assert!(definitions["Colour"].get("oneOf").is_none());
        let properties = &definitions["Paint"]["properties"];
        assert_eq!(properties["shade"]["x-nullable"], true);
        assert_eq!(properties["shade"]["type"], "integer");
        assert_eq!(properties["mixed_with"].get("anyOf"), None, "{properties}");
        assert_eq!(properties["mixed_with"]["x-nullable"], true);
        assert_eq!(properties["brand"]["x-createOnly"], true);
        let text = serde_json::to_string(&definitions).unwrap();
        for keyword in ["\"nullable\"", "\"oneOf\"", "\"const\"", "\"$schema\"", "\"$defs\""] {
            assert!(!text.contains(keyword), "{keyword} in {text}");
        }
    }
}
