//! [`QueryArgs`]: the query parameters an action declares as a type (`deleteFromCloud=true`),
//! read from the query and published in the spec from that same type, so that a parameter the
//! action reads is always documented.

use std::fmt;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::value::{MapDeserializer, StrDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use crate::error::{ApiError, ErrorCode};
use crate::query::QueryParams;

/// The query parameters of an action, deserialised into `T`.
///
/// `T` derives `serde::Deserialize` and `schemars::JsonSchema`: each field is one parameter,
/// named as serde names it, and the spec lists each with the type, enum, bounds and default its
/// schema gives. Values are read as text (`true`, `8`, `pending_delete`); a repeated parameter
/// keeps its last value, as signing reads it. A value of the wrong kind is `400 InvalidValue`
/// "Invalid value 'yes' of parameter 'deleteFromCloud': expected true or false."; a missing
/// required parameter is `400 InvalidStructure` "Missed parameter 'x'"; a parameter `T` does
/// not declare is ignored unless `T` denies unknown fields, when it is `400 InvalidStructure`.
///
/// As an argument of a `#[scalr_action]` function (`options: QueryArgs<DeleteOptions>`) it is
/// both read and published; as a plain axum extractor elsewhere it is only read. List actions
/// read paging and filters with [`crate::Paging`] and [`crate::Filters`]; a `QueryArgs` is for the
/// other actions' options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueryArgs<T>(pub T);

impl<T> QueryArgs<T> {
    /// The deserialised parameters.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned> QueryArgs<T> {
    /// Reads the parameters of a decoded query, with the errors described on [`QueryArgs`].
    pub fn from_query(query: &QueryParams) -> Result<Self, ApiError> {
        let pairs = query.iter().map(|(name, text)| (name, Text { name, text }));
        T::deserialize(MapDeserializer::new(pairs)).map(QueryArgs).map_err(QueryError::into_api_error)
    }

    /// Reads the parameters of a request's query.
    pub fn from_parts(parts: &Parts) -> Result<Self, ApiError> {
        Self::from_query(&QueryParams::parse(parts.uri.query()))
    }
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for QueryArgs<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Self::from_parts(parts)
    }
}

/// Why a query did not deserialise: a value a [`Text`] refused, already in Scalr's words, or
/// serde's own message about the parameters as a whole (missing or unknown ones).
#[derive(Debug)]
enum QueryError {
    Value(ApiError),
    Structure(String),
}

impl QueryError {
    fn into_api_error(self) -> ApiError {
        match self {
            QueryError::Value(error) => error,
            QueryError::Structure(message) => structure_error(&message),
        }
    }
}

/// `400 InvalidStructure` for serde's message about the parameters as a whole.
fn structure_error(message: &str) -> ApiError {
    let quoted = |prefix: &str| {
        let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
        rest.split_once('`').map(|(name, _)| name.to_owned())
    };
    let message = if let Some(name) = quoted("missing field ") {
        format!("Missed parameter '{name}'")
    } else if let Some(name) = quoted("unknown field ") {
        format!("Unsupported parameter '{name}'.")
    } else {
        format!("Invalid query: {message}.")
    };
    ApiError::new(ErrorCode::InvalidStructure, message)
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Value(error) => f.write_str(error.message()),
            QueryError::Structure(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for QueryError {}

impl de::Error for QueryError {
    fn custom<M: fmt::Display>(message: M) -> Self {
        QueryError::Structure(message.to_string())
    }
}

/// One parameter's text, read as whatever the field it fills asks for.
#[derive(Clone, Copy)]
struct Text<'a> {
    name: &'a str,
    text: &'a str,
}

impl Text<'_> {
    fn invalid(&self, expected: &str) -> QueryError {
        QueryError::Value(self.invalid_text(&format!("expected {expected}")))
    }

    fn invalid_text(&self, detail: &str) -> ApiError {
        ApiError::new(
            ErrorCode::InvalidValue,
            format!("Invalid value '{}' of parameter '{}': {detail}.", self.text, self.name),
        )
    }

    fn number<N: std::str::FromStr>(&self, expected: &str) -> Result<N, QueryError> {
        self.text.parse().map_err(|_| self.invalid(expected))
    }
}

impl<'de> IntoDeserializer<'de, QueryError> for Text<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

macro_rules! numbers {
    ($($method:ident => $visit:ident: $ty:ty, $expected:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
            visitor.$visit(self.number::<$ty>($expected)?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Text<'_> {
    type Error = QueryError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        visitor.visit_str(self.text)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        match self.text {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(self.invalid("true or false")),
        }
    }

    numbers! {
        deserialize_u8 => visit_u8: u8, "an integer from 0 to 255";
        deserialize_u16 => visit_u16: u16, "an integer from 0 to 65535";
        deserialize_u32 => visit_u32: u32, "an integer from 0 to 4294967295";
        deserialize_u64 => visit_u64: u64, "a non-negative integer";
        deserialize_i8 => visit_i8: i8, "an integer";
        deserialize_i16 => visit_i16: i16, "an integer";
        deserialize_i32 => visit_i32: i32, "an integer";
        deserialize_i64 => visit_i64: i64, "an integer";
        deserialize_f32 => visit_f32: f32, "a number";
        deserialize_f64 => visit_f64: f64, "a number";
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, QueryError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, QueryError> {
        let variant: StrDeserializer<'_, QueryError> = self.text.into_deserializer();
        variant.deserialize_enum("", &[], visitor).map_err(|error| match error {
            QueryError::Structure(message) => {
                let subject = format!("parameter '{}'", self.name);
                QueryError::Value(
                    super::body::unknown_variant(&message, &subject).unwrap_or_else(|| self.invalid_text(&message)),
                )
            }
            value => value,
        })
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any i128 u128
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Options {
        #[serde(default)]
        delete_from_cloud: bool,
        limit: Option<u32>,
        mode: Option<Mode>,
        note: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Mode {
        Fast,
        SlowAndSteady,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict {
        id: u64,
    }

    fn read<T: DeserializeOwned>(query: &str) -> Result<T, (ErrorCode, String)> {
        QueryArgs::<T>::from_query(&QueryParams::parse(Some(query)))
            .map(QueryArgs::into_inner)
            .map_err(|error| (error.code(), error.message().to_owned()))
    }

    #[test]
    fn values_are_read_as_the_fields_ask() {
        let options: Options = read("deleteFromCloud=true&limit=8&mode=slow_and_steady&note=123&other=x").unwrap();
        assert_eq!(
            options,
            Options {
                delete_from_cloud: true,
                limit: Some(8),
                mode: Some(Mode::SlowAndSteady),
                note: Some("123".into())
            }
        );
        let defaults: Options = read("").unwrap();
        assert_eq!(defaults, Options { delete_from_cloud: false, limit: None, mode: None, note: None });
        // The last of a repeated parameter wins, as signing reads the query.
        let last: Options = read("deleteFromCloud=true&deleteFromCloud=false").unwrap();
        assert!(!last.delete_from_cloud);
    }

    #[test]
    fn a_value_of_the_wrong_kind_names_the_parameter_and_what_it_accepts() {
        assert_eq!(
            read::<Options>("deleteFromCloud=yes").unwrap_err(),
            (
                ErrorCode::InvalidValue,
                "Invalid value 'yes' of parameter 'deleteFromCloud': expected true or false.".into()
            )
        );
        assert_eq!(
            read::<Options>("limit=-1").unwrap_err(),
            (
                ErrorCode::InvalidValue,
                "Invalid value '-1' of parameter 'limit': expected an integer from 0 to 4294967295.".into()
            )
        );
        assert_eq!(
            read::<Options>("mode=slow").unwrap_err(),
            (
                ErrorCode::InvalidValue,
                "Invalid value 'slow' of parameter 'mode': accepted values are fast, slow_and_steady.".into()
            )
        );
    }

    #[test]
    fn missing_and_unknown_parameters_are_invalid_structure() {
        assert_eq!(read::<Strict>("").unwrap_err(), (ErrorCode::InvalidStructure, "Missed parameter 'id'".into()));
        assert_eq!(
            read::<Strict>("id=1&colour=red").unwrap_err(),
            (ErrorCode::InvalidStructure, "Unsupported parameter 'colour'.".into())
        );
    }

    #[tokio::test]
    async fn the_extractor_reads_the_request_query() {
        let request = axum::http::Request::delete("/x/?deleteFromCloud=true").body(()).unwrap();
        let (mut parts, ()) = request.into_parts();
        let QueryArgs(options) = QueryArgs::<Options>::from_request_parts(&mut parts, &()).await.unwrap();
        assert!(options.delete_from_cloud);
    }
}
