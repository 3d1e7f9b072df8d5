//! What an action's arguments can be besides ordinary axum extractors: path parameters bound
//! by name, the scope's environment id, and the JSON body.

use std::num::NonZeroU64;
use std::str::FromStr;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};

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
fn parse_digits<T: FromStr>(segment: &str) -> Option<T> {
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

/// The id of the environment scoping a user-scope request (`/api/v1beta0/user/{envId}/...`).
///
/// Bound to the argument named `env_id`. It is checked after authentication: anything but a
/// positive integer is `400 InvalidValue` "Environment has not been provided with the request".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnvId(NonZeroU64);

impl EnvId {
    /// The spec entry of the implicit `envId` parameter.
    pub const SPEC: PathParamSpec = PathParamSpec {
        swagger_type: "integer",
        pattern: None,
        description: "The ID of the Environment scoping this request.",
    };

    /// An environment id; `None` for zero.
    pub fn new(id: u64) -> Option<Self> {
        NonZeroU64::new(id).map(Self)
    }

    /// The id as a number.
    pub fn get(&self) -> u64 {
        self.0.get()
    }

    /// Parses the `{envId}` segment, with Scalr's error.
    pub(crate) fn from_segment(segment: &str) -> Result<Self, ApiError> {
        parse_digits::<u64>(segment)
            .and_then(Self::new)
            .ok_or_else(|| ApiError::new(ErrorCode::InvalidValue, "Environment has not been provided with the request"))
    }
}

impl std::fmt::Display for EnvId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A type the argument `env_id` can have: it takes the scope's `{envId}`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take the environment id",
    label = "`env_id` is bound to the `{{envId}}` of the user scope, by its name",
    note = "declare it as `env_id: EnvId`, or implement `scalr_endpoints::FromEnvId` for your own type"
)]
pub trait FromEnvId {
    /// Converts the validated environment id.
    fn from_env_id(env_id: EnvId) -> Self;
}

impl FromEnvId for EnvId {
    fn from_env_id(env_id: EnvId) -> Self {
        env_id
    }
}

/// The JSON body of a request, deserialised into `T`.
///
/// Errors are Scalr envelopes that say what is wrong and where (Decision D4):
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
        crate::body::from_json(bytes).map(Body)
    }
}

impl<T, S> FromRequest<S> for Body<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status().as_u16() == 413 {
                crate::body::too_large()
            } else {
                ApiError::new(ErrorCode::InvalidStructure, "Invalid body: the request body could not be read.")
            }
        })?;
        Self::from_json(&bytes)
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

    #[test]
    fn environment_ids_are_positive_integers() {
        assert_eq!(EnvId::from_segment("7").map(|env| env.get()), Ok(7));
        for bad in ["0", "-3", "abc", "1.5"] {
            let error = EnvId::from_segment(bad).unwrap_err();
            assert_eq!(error.code(), ErrorCode::InvalidValue);
            assert_eq!(error.message(), "Environment has not been provided with the request");
        }
    }
}
