//! [`PathParam`]: the types a path placeholder can take (`<imageId>` binds `image_id`), and
//! [`PathValues`], the matched route's values the generated code binds them from.

use std::str::FromStr;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use uuid::Uuid;

use crate::error::ApiError;

/// How a path parameter is described in the Swagger spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathParamSpec {
    /// The Swagger type: `"string"` or `"integer"`.
    pub swagger_type: &'static str,
    /// The regular expression the parameter must match, if any.
    pub pattern: Option<&'static str>,
    /// What the parameter identifies (scalr-ctl requires a description).
    pub description: &'static str,
}

/// A type that can take the value of a path placeholder (`<imageId>` binds `image_id`).
///
/// A segment that does not parse means the route does not exist: the client gets
/// `404 EndpointNotFound`, before authentication, as Scalr does.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take the value of a path placeholder",
    label = "this argument is bound to a placeholder of the path template, by its name",
    note = "a bound argument's type must implement `scalr_endpoints::PathParam` (built in: `String`, `u32`, `u64`, `uuid::Uuid`); implement it for your own id type, or rename the argument if it should not take the placeholder"
)]
pub trait PathParam: Sized + Send + 'static {
    /// The parameter's type, pattern and description in the spec.
    const SPEC: PathParamSpec;

    /// Parses one percent-decoded path segment; `None` when it does not fit the pattern.
    fn from_segment(segment: &str) -> Option<Self>;
}

/// The pattern of a UUID path parameter: upper case is accepted and looked up lower-cased.
pub const UUID_PATTERN: &str = "^[A-Fa-f0-9]{8}-([A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}$";

impl PathParam for Uuid {
    const SPEC: PathParamSpec =
        PathParamSpec { swagger_type: "string", pattern: Some(UUID_PATTERN), description: "A UUID." };

    fn from_segment(segment: &str) -> Option<Self> {
        let hyphens_in_place =
            segment.len() == 36 && segment.char_indices().all(|(at, c)| matches!(at, 8 | 13 | 18 | 23) == (c == '-'));
        hyphens_in_place.then(|| Uuid::parse_str(segment).ok()).flatten()
    }
}

impl PathParam for String {
    const SPEC: PathParamSpec = PathParamSpec { swagger_type: "string", pattern: None, description: "A name." };

    fn from_segment(segment: &str) -> Option<Self> {
        (!segment.is_empty()).then(|| segment.to_owned())
    }
}

/// Digits only (`\d+`): no sign, no spaces, no leading `+`.
pub(crate) fn parse_digits<T: FromStr>(segment: &str) -> Option<T> {
    let digits_only = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    digits_only.then(|| segment.parse().ok()).flatten()
}

macro_rules! numeric_path_params {
    ($($int:ty),+) => {$(
        impl PathParam for $int {
            const SPEC: PathParamSpec = PathParamSpec {
                swagger_type: "integer",
                pattern: Some("^\\d+$"),
                description: "A numeric id.",
            };

            fn from_segment(segment: &str) -> Option<Self> {
                parse_digits(segment)
            }
        }
    )+};
}

numeric_path_params!(u32, u64);

/// The values of the matched route's placeholders, percent-decoded, in path order (for user
/// scope the first is `envId`).
#[derive(Debug)]
pub struct PathValues(RawPathParams);

impl PathValues {
    /// Reads the matched route's values.
    ///
    /// An empty value (`/user//images/`) never names an endpoint: it is `404 EndpointNotFound`
    /// here, before authentication, whatever the placeholder's type would make of it.
    pub async fn from_parts(parts: &mut Parts) -> Result<Self, ApiError> {
        let values = RawPathParams::from_request_parts(parts, &()).await.map_err(|_| ApiError::endpoint_not_found())?;
        if values.iter().any(|(_, value)| value.is_empty()) {
            return Err(ApiError::endpoint_not_found());
        }
        Ok(Self(values))
    }

    /// The value at `index` read with `parse`; a value that does not parse means there is no
    /// such endpoint (`404 EndpointNotFound`).
    pub fn bind<T>(&self, index: usize, parse: fn(&str) -> Option<T>) -> Result<T, ApiError> {
        parse(self.segment(index)).ok_or_else(ApiError::endpoint_not_found)
    }

    pub(crate) fn segment(&self, index: usize) -> &str {
        self.0.iter().nth(index).map_or("", |(_, value)| value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_accept_upper_case_and_compare_lower_cased() {
        let upper = Uuid::from_segment("0F2B7C1E-AAAA-4BBB-8CCC-0123456789AB").unwrap();
        assert_eq!(upper.to_string(), "0f2b7c1e-aaaa-4bbb-8ccc-0123456789ab");
        for bad in ["0f2b7c1eaaaa4bbb8ccc0123456789ab", "{0f2b7c1e-aaaa-4bbb-8ccc-0123456789ab}", "x", ""] {
            assert_eq!(Uuid::from_segment(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_are_digits_only() {
        assert_eq!(u32::from_segment("42"), Some(42));
        for bad in ["+42", "-1", " 4", "4x", "", "99999999999"] {
            assert_eq!(u32::from_segment(bad), None, "{bad}");
        }
    }
}
