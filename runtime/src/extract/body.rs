//! [`Body`]: the JSON body of an action, and how serde's errors become Scalr's codes with a
//! message that says what is wrong and where
//! (`docs/wire-contract.md#d4-say-what-is-wrong-and-where`).

use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::error::{ApiError, ErrorCode};

/// The JSON body of a request, deserialised into `T`.
///
/// Errors are Scalr envelopes that say what is wrong and where (`docs/wire-contract.md#d4-say-what-is-wrong-and-where`):
/// unparsable JSON or a body of the wrong shape is `400 InvalidStructure` with the line and
/// column; a missing property is `400 InvalidStructure` "Missed property 'os.id'"; an unknown
/// property (with `#[serde(deny_unknown_fields)]`) is `400 InvalidStructure` "You are trying to
/// set the property x which does not exist."; a wrong type or enum value is `400 InvalidValue`
/// naming the property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Body<T>(pub T);

impl<T> Body<T> {
    /// The deserialised body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned> Body<T> {
    /// Deserialises a raw body with the error mapping described on [`Body`].
    pub fn from_json(bytes: &[u8]) -> Result<Self, ApiError> {
        from_json(bytes).map(Body)
    }
}

/// `413 PayloadTooLarge`, for a body over the action's limit (`docs/wire-contract.md#d5-oversized-bodies-get-an-envelope`).
pub(crate) fn body_too_large() -> ApiError {
    ApiError::new(ErrorCode::PayloadTooLarge, "The request body is larger than this endpoint accepts.")
}

/// Deserialises `bytes` as one JSON value of type `T`.
pub(crate) fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(
            ErrorCode::InvalidStructure,
            "Invalid body: the request body is empty, a JSON object is expected.",
        ));
    }
    if let Some(found) = non_object(bytes) {
        return Err(found);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(describe)?;
    deserializer.end().map_err(|error| syntax_error(&error))?;
    Ok(value)
}

/// Scalr bodies are JSON objects; serde would also read a struct from an array, so anything
/// else is rejected before deserialising.
fn non_object(bytes: &[u8]) -> Option<ApiError> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first == b'{' {
        return None;
    }
    let found = match serde_json::from_slice::<serde_json::Value>(bytes) {
        Err(error) => return Some(syntax_error(&error)),
        Ok(serde_json::Value::Array(_)) => "an array",
        Ok(serde_json::Value::String(_)) => "a string",
        Ok(serde_json::Value::Number(_)) => "a number",
        Ok(serde_json::Value::Bool(_)) => "a boolean",
        Ok(serde_json::Value::Null) => "null",
        Ok(serde_json::Value::Object(_)) => return None,
    };
    Some(ApiError::new(ErrorCode::InvalidStructure, format!("Invalid body: a JSON object is expected, found {found}.")))
}

fn syntax_error(error: &serde_json::Error) -> ApiError {
    ApiError::new(ErrorCode::InvalidStructure, format!("Invalid body: {error}."))
}

/// Maps a deserialisation failure to the Scalr error for it.
fn describe(failure: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let error = failure.inner();
    if error.classify() != Category::Data {
        return syntax_error(error);
    }
    let path = failure.path().to_string();
    let at_root = path == ".";
    let full = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let message = full.strip_suffix(&position).unwrap_or(&full);

    if let Some(field) = quoted_after(message, "missing field ") {
        let property = if at_root { field.to_owned() } else { format!("{path}.{field}") };
        return ApiError::new(ErrorCode::InvalidStructure, format!("Missed property '{property}'"));
    }
    if let Some(field) = quoted_after(message, "unknown field ") {
        // The path already ends with the unknown key.
        let property = if at_root { field } else { path.as_str() };
        return ApiError::new(
            ErrorCode::InvalidStructure,
            format!("You are trying to set the property {property} which does not exist."),
        );
    }
    if let Some(error) = unknown_variant(message, &format!("property '{path}'")) {
        return error;
    }
    if let Some(detail) = message.strip_prefix("invalid type: ") {
        let (found, expected) = detail.split_once(", expected ").unwrap_or((detail, "another type"));
        if at_root {
            return ApiError::new(
                ErrorCode::InvalidStructure,
                format!("Invalid body: expected {expected}, found {found}."),
            );
        }
        return ApiError::new(
            ErrorCode::InvalidValue,
            format!("Invalid type of property '{path}': expected {expected}, found {found}."),
        );
    }
    if let Some(detail) = message.strip_prefix("invalid value: ") {
        let (found, expected) = detail.split_once(", expected ").unwrap_or((detail, "another value"));
        let subject = if at_root { "Invalid body".to_owned() } else { format!("Invalid value of property '{path}'") };
        return ApiError::new(ErrorCode::InvalidValue, format!("{subject}: expected {expected}, found {found}."));
    }
    let subject = if at_root { "Invalid body".to_owned() } else { format!("Invalid value of property '{path}'") };
    ApiError::new(ErrorCode::InvalidValue, format!("{subject}: {message}."))
}

/// `400 InvalidValue` naming the value, its `subject` (e.g. `property 'platform'`) and the accepted
/// values, when serde's `message` says an enum value is unknown.
pub(crate) fn unknown_variant(message: &str, subject: &str) -> Option<ApiError> {
    let value = quoted_after(message, "unknown variant ")?;
    let expected = message.split_once(", expected ").map_or("", |(_, expected)| expected);
    let accepted: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let accepted = accepted.join(", ");
    Some(ApiError::new(
        ErrorCode::InvalidValue,
        format!("Invalid value '{value}' of {subject}: accepted values are {accepted}."),
    ))
}

/// The text between the backticks that follow `prefix`, as serde quotes names in its messages.
fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(quoted, _)| quoted)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Image {
        name: String,
        size: Option<u32>,
        os: Os,
        platform: Option<Platform>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Os {
        id: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Platform {
        Ec2,
        Gce,
    }

    fn error(body: &str) -> (ErrorCode, String) {
        let error = from_json::<Image>(body.as_bytes()).unwrap_err();
        (error.code(), error.message().to_owned())
    }

    #[test]
    fn empty_and_unparsable_bodies_are_invalid_structure_with_a_position() {
        assert_eq!(
            error("  "),
            (ErrorCode::InvalidStructure, "Invalid body: the request body is empty, a JSON object is expected.".into())
        );
        assert_eq!(
            error("{\"name\": }"),
            (ErrorCode::InvalidStructure, "Invalid body: expected value at line 1 column 10.".into())
        );
        assert_eq!(
            error("{\"name\": \"a\", \"os\": {\"id\": \"u\"}} x"),
            (ErrorCode::InvalidStructure, "Invalid body: trailing characters at line 1 column 34.".into())
        );
        assert_eq!(
            error("[1]"),
            (ErrorCode::InvalidStructure, "Invalid body: a JSON object is expected, found an array.".into())
        );
        assert_eq!(
            error("nul"),
            (ErrorCode::InvalidStructure, "Invalid body: EOF while parsing a value at line 1 column 3.".into())
        );
    }

    #[test]
    fn missing_properties_use_dotted_paths() {
        assert_eq!(error("{\"os\": {\"id\": \"u\"}}"), (ErrorCode::InvalidStructure, "Missed property 'name'".into()));
        assert_eq!(
            error("{\"name\": \"a\", \"os\": {}}"),
            (ErrorCode::InvalidStructure, "Missed property 'os.id'".into())
        );
    }

    #[test]
    fn unknown_properties_are_named() {
        assert_eq!(
            error("{\"name\": \"a\", \"colour\": 1, \"os\": {\"id\": \"u\"}}"),
            (ErrorCode::InvalidStructure, "You are trying to set the property colour which does not exist.".into())
        );
        assert_eq!(
            error("{\"name\": \"a\", \"os\": {\"id\": \"u\", \"v\": 2}}"),
            (ErrorCode::InvalidStructure, "You are trying to set the property os.v which does not exist.".into())
        );
    }

    #[test]
    fn wrong_types_and_enum_values_are_invalid_values() {
        assert_eq!(
            error("{\"name\": \"a\", \"size\": \"big\", \"os\": {\"id\": \"u\"}}"),
            (ErrorCode::InvalidValue, "Invalid type of property 'size': expected u32, found string \"big\".".into())
        );
        assert_eq!(
            error("{\"name\": \"a\", \"platform\": \"aws\", \"os\": {\"id\": \"u\"}}"),
            (
                ErrorCode::InvalidValue,
                "Invalid value 'aws' of property 'platform': accepted values are ec2, gce.".into()
            )
        );
    }
}
