//! [`EnvId`]: the environment of a user-scope request, and [`FromEnvId`], the types the
//! argument `env_id` can have.

use std::num::NonZeroU64;

use super::path_param::{PathParamSpec, parse_digits};
use crate::error::{ApiError, ErrorCode};

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

    /// The smallest environment id, as the spec says: the id is a `NonZeroU64`.
    pub(crate) const MINIMUM: u64 = 1;

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

#[cfg(test)]
mod tests {
    use super::*;

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
