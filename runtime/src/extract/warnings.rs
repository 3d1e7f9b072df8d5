//! [`Warnings`]: what an action adds to its envelope's `warnings`.

use std::borrow::Cow;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};

use crate::envelope::EnvelopeContext;

/// One entry of the envelope's `warnings` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// A short machine-readable code, e.g. `"Deprecated"`.
    pub code: Cow<'static, str>,
    /// What the client should know.
    pub message: Cow<'static, str>,
}

/// Lets an action add warnings to its response (success or error).
///
/// Take it as an argument: `warnings: Warnings`, then `warnings.add("Deprecated", "...")`.
/// Every clone writes to the same list: the one of the request's envelope, whichever envelope
/// answers it. `Warnings::default()` is a list of its own, for calling an action directly in a
/// unit test.
#[derive(Debug, Clone, Default)]
pub struct Warnings(EnvelopeContext);

impl Warnings {
    /// Adds a warning to the response.
    pub fn add(&self, code: impl Into<Cow<'static, str>>, message: impl Into<Cow<'static, str>>) {
        self.0.add_warning(Warning { code: code.into(), message: message.into() });
    }

    /// The warnings added so far.
    pub fn to_vec(&self) -> Vec<Warning> {
        self.0.warnings()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Warnings {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(EnvelopeContext::of(parts).clone()))
    }
}
