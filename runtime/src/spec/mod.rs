//! The Swagger 2.0 spec of each scope, built from the same action metadata as the router, so
//! the two cannot drift apart. What scalr-ctl needs of it: `docs/wire-contract.md#spec-layout-for-scalr-ctl`.

mod document;
mod links;
pub(crate) mod openapi;
mod schema;
mod served;

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};

pub(crate) use document::spec_path;
pub(crate) use document::{Checks, document};
pub(crate) use schema::generator;
pub(crate) use served::ServedSpec;

/// The `info` block of the specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecInfo {
    /// The API's title.
    pub title: Cow<'static, str>,
    /// The API's version.
    pub version: Cow<'static, str>,
    /// What the API is for.
    pub description: Cow<'static, str>,
}

impl Default for SpecInfo {
    fn default() -> Self {
        Self {
            title: "Scalr API".into(),
            version: "v1beta0".into(),
            description: "A Scalr APIv2-compatible API, served by scalr-endpoints.".into(),
        }
    }
}

/// What an action's success envelope carries in `data`, for the spec.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum DataSpec {
    /// `data` is `null`.
    Empty,
    /// `data` is one object.
    Object(ObjectSpec),
    /// `data` is a list of objects, with pagination.
    List(ObjectSpec),
}

/// An API object type in the spec.
#[derive(Debug, Clone)]
pub struct ObjectSpec {
    /// Its definition's name, e.g. `Image`.
    pub name: String,
    /// Its schema: a reference to the definition, or the schema itself for inlined types.
    pub schema: Schema,
    /// The properties list actions may filter on (`x-filterable`).
    pub filterable: &'static [&'static str],
}

impl ObjectSpec {
    /// The spec of the API object type `T`.
    pub fn of<T: crate::ApiObject>(generator: &mut SchemaGenerator) -> Self {
        Self { name: T::schema_name().into_owned(), schema: generator.subschema_for::<T>(), filterable: T::FILTERABLE }
    }
}

/// The schema of a body type, registering its definitions.
pub(crate) fn body_schema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}
