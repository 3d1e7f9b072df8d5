//! Scalr error codes and [`ApiError`], the error every action and rejection turns into.

use std::borrow::Cow;
use std::fmt;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Defines [`ErrorCode`] from one table, so the variant, its wire name, its status and its
/// description can never disagree.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $code:ident => $status:literal, $description:literal;)+) => {
        /// A Scalr APIv2 error code, as it appears in `errors[].code`.
        ///
        /// Each code has exactly one HTTP status (`docs/wire-contract.md#d3-one-status-per-code`), so a response's
        /// status can always be derived from its code. New codes may come in any release, so a
        /// `match` on it needs a wildcard arm.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $code,)+
        }

        impl ErrorCode {
            /// Every code, in catalogue order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$code),+];

            /// The code whose wire name is `name`, e.g. `"ObjectNotFound"`.
            pub fn from_name(name: &str) -> Option<ErrorCode> {
                match name { $(stringify!($code) => Some(ErrorCode::$code),)+ _ => None }
            }

            /// The code as written on the wire, e.g. `"ObjectNotFound"`.
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$code => stringify!($code),)+ }
            }

            /// The one HTTP status this code is sent with.
            pub const fn status(self) -> StatusCode {
                match self {
                    $(ErrorCode::$code => match StatusCode::from_u16($status) {
                        Ok(status) => status,
                        Err(_) => panic!("invalid status in the error catalogue"),
                    },)+
                }
            }

            /// A one-line description of when the code is used (the spec's `x-errorCodes`).
            pub const fn description(self) -> &'static str {
                match self { $(ErrorCode::$code => $description,)+ }
            }
        }
    };
}

error_codes! {
    /// The request was not understood: bad date header, bad Content-Type, same-region copy.
    BadRequest => 400, "The request was not understood.";
    /// The request is structurally wrong: unparsable or missing body, missing or unknown
    /// property, unsupported filter.
    InvalidStructure => 400, "The request is structurally invalid.";
    /// The request was understood but a value is unacceptable.
    InvalidValue => 400, "A value in the request is not acceptable.";
    /// Authentication failed.
    BadAuthentication => 401, "The request could not be authenticated.";
    /// The caller is not allowed to do this.
    PermissionViolation => 403, "The caller is not allowed to perform this request.";
    /// The object or request belongs to another scope.
    ScopeViolation => 403, "The object belongs to another scope.";
    /// The rate limit was exceeded.
    LimitExceeded => 403, "The request rate limit was exceeded.";
    /// There is no such route.
    EndpointNotFound => 404, "The endpoint does not exist.";
    /// The object does not exist or is not visible to the caller.
    ObjectNotFound => 404, "The object does not exist or is not visible.";
    /// The object is in use.
    ObjectInUse => 409, "The object is in use.";
    /// A uniqueness constraint would be violated.
    UnicityViolation => 409, "A uniqueness constraint would be violated.";
    /// The object is locked.
    Locked => 409, "The object is locked.";
    /// The cloud platform is not enabled.
    NotEnabledPlatform => 409, "The cloud platform is not enabled.";
    /// The operating systems do not match.
    OperatingSystemMismatch => 409, "The operating systems do not match.";
    /// The object or action is deprecated.
    Deprecated => 409, "The object or action is deprecated.";
    /// The object's state forbids the action.
    UnacceptableState => 409, "The object's state forbids the action.";
    /// The image's status forbids the action.
    UnacceptableImageStatus => 409, "The image's status forbids the action.";
    /// The object is missing on the cloud.
    ObjectNotFoundOnCloud => 409, "The object is missing on the cloud.";
    /// The settings conflict with the current state or are invalid.
    UnacceptableObjectConfiguration => 409, "The settings conflict with the current state or are invalid.";
    /// The configuration conflicts with the current state.
    ConfigurationMismatch => 422, "The configuration conflicts with the current state.";
    /// The request body is larger than the action accepts. Not in Scalr's catalogue (the PHP
    /// server had no body limit); `docs/wire-contract.md#d5-oversized-bodies-get-an-envelope` needs a code for its 413.
    PayloadTooLarge => 413, "The request body is larger than the endpoint accepts.";
    /// An unexpected server failure; the message is always `Server Error`.
    InternalServerError => 500, "An unexpected server failure.";
    /// The feature is not implemented.
    NotImplemented => 501, "The feature is not implemented.";
    /// The service is temporarily unavailable.
    ServiceUnavailable => 503, "The service is temporarily unavailable.";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Scalr error: a code and a human-readable message.
///
/// Return it from an action (`Result<T, ApiError>`) and the client receives the error envelope
/// `{"errors": [{"code", "message"}], "meta": {"requestId"}, "warnings": []}` with the code's
/// status. The envelope itself is written by the router's outer layer, which knows the request id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    code: ErrorCode,
    message: Cow<'static, str>,
}

/// The message every [`ErrorCode::InternalServerError`] carries: details go to the log only.
pub const SERVER_ERROR_MESSAGE: &str = "Server Error";
/// The message of [`ErrorCode::EndpointNotFound`].
pub const ENDPOINT_NOT_FOUND_MESSAGE: &str = "The endpoint you are trying to access does not exist.";

impl ApiError {
    /// An error with the given code and message.
    pub fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self { code, message: message.into() }
    }

    /// An unexpected failure. The detail is logged (with the request id, through the request's
    /// tracing span); the client only sees `500 InternalServerError "Server Error"`.
    pub fn internal(detail: impl fmt::Display) -> Self {
        tracing::error!(detail = %detail, "internal error");
        Self::new(ErrorCode::InternalServerError, SERVER_ERROR_MESSAGE)
    }

    /// `404 EndpointNotFound`: no route for the path or method, or a path parameter that fails
    /// its pattern.
    pub fn endpoint_not_found() -> Self {
        Self::new(ErrorCode::EndpointNotFound, ENDPOINT_NOT_FOUND_MESSAGE)
    }

    /// The error code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The message sent to the client.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status, derived from the code.
    pub fn status(&self) -> StatusCode {
        self.code.status()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// `?` on an [`anyhow::Error`] in an action answers `500 InternalServerError "Server Error"`;
/// the whole chain of causes goes to the log under the request id and never to the client.
#[cfg(feature = "anyhow")]
#[cfg_attr(docsrs, doc(cfg(feature = "anyhow")))]
impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        Self::internal(format_args!("{error:#}"))
    }
}

impl serde::Serialize for ApiError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut message = serializer.serialize_struct("ApiMessage", 2)?;
        message.serialize_field("code", self.code.as_str())?;
        message.serialize_field("message", &self.message)?;
        message.end()
    }
}

impl IntoResponse for ApiError {
    /// A response with the code's status that carries the error for the outer layer to render
    /// as an envelope (the layer adds the request id, warnings and debug meta).
    fn into_response(self) -> Response {
        crate::envelope::PendingError(self).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_the_status_of_the_catalogue() {
        let expected: &[(ErrorCode, u16)] = &[
            (ErrorCode::BadRequest, 400),
            (ErrorCode::InvalidStructure, 400),
            (ErrorCode::InvalidValue, 400),
            (ErrorCode::BadAuthentication, 401),
            (ErrorCode::PermissionViolation, 403),
            (ErrorCode::ScopeViolation, 403),
            (ErrorCode::LimitExceeded, 403),
            (ErrorCode::EndpointNotFound, 404),
            (ErrorCode::ObjectNotFound, 404),
            (ErrorCode::ObjectInUse, 409),
            (ErrorCode::UnicityViolation, 409),
            (ErrorCode::Locked, 409),
            (ErrorCode::NotEnabledPlatform, 409),
            (ErrorCode::OperatingSystemMismatch, 409),
            (ErrorCode::Deprecated, 409),
            (ErrorCode::UnacceptableState, 409),
            (ErrorCode::UnacceptableImageStatus, 409),
            (ErrorCode::ObjectNotFoundOnCloud, 409),
            (ErrorCode::UnacceptableObjectConfiguration, 409),
            (ErrorCode::ConfigurationMismatch, 422),
            (ErrorCode::PayloadTooLarge, 413),
            (ErrorCode::InternalServerError, 500),
            (ErrorCode::NotImplemented, 501),
            (ErrorCode::ServiceUnavailable, 503),
        ];
        assert_eq!(expected.len(), ErrorCode::ALL.len());
        for (code, status) in expected {
            assert_eq!(code.status().as_u16(), *status, "{code}");
        }
    }

    #[test]
    fn wire_names_match_the_variants() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_name(code.as_str()), Some(*code));
        }
        assert_eq!(ErrorCode::from_name("objectNotFound"), None);
        assert_eq!(ErrorCode::UnacceptableImageStatus.as_str(), "UnacceptableImageStatus");
        assert_eq!(
            serde_json::to_value(ApiError::new(ErrorCode::BadRequest, "x")).unwrap(),
            serde_json::json!({"code": "BadRequest", "message": "x"})
        );
    }
}
