//! The requirements generated code puts on the user's types, one trait per role a type plays
//! in an action (placeholder, environment, body, query parameters, extractor, return value,
//! future).
//!
//! Each trait is generic over the action's marker `A` so that rustc's message can name the
//! action, and is implemented for every type that meets the underlying requirement; the
//! generated code calls the function of the role with the user's type under the user's span,
//! so an unmet requirement is reported once, on the argument or return type that causes it,
//! in Scalr terms.

use std::future::Future;

use axum::extract::FromRequestParts;
use axum::response::Response;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::DeserializeOwned;

use crate::extract::{Body, FromEnvId, PathParam, PathParamSpec, QueryArgs};
use crate::handler::{BodySlot, EnvIdSlot, QueryArgsSlot, SendChecked};
use crate::pipeline::Reply;
use crate::response::ActionOutput;
use crate::spec::DataSpec;

/// A type that can take a placeholder's value in action `A`.
#[diagnostic::on_unimplemented(
    message = "action `{A}`: `{Self}` cannot take the value of a path placeholder",
    label = "bound to a placeholder of the path template by its name",
    note = "a placeholder's argument needs a type that implements `PathParam` (built in: `String`, `u32`, `u64`, `uuid::Uuid`); implement it for your own id type, or rename the argument if it should not take the placeholder"
)]
pub trait PlaceholderValue<A>: PathParam {}

impl<T: PathParam, A> PlaceholderValue<A> for T {}

/// What the metadata and the handler need of a placeholder's type.
pub struct PlaceholderRole<T> {
    /// The parameter in the spec.
    pub spec: PathParamSpec,
    /// Parses a path segment.
    pub parse: fn(&str) -> Option<T>,
}

/// The role of `T` as a placeholder of action `A`. Both the metadata and the handler go
/// through this one function, so an unmet requirement is reported once.
pub const fn placeholder<T: PlaceholderValue<A>, A>() -> PlaceholderRole<T> {
    PlaceholderRole { spec: T::SPEC, parse: T::from_segment }
}

/// A type the argument `env_id` of action `A` can have.
#[diagnostic::on_unimplemented(
    message = "action `{A}`: `{Self}` cannot take the environment id",
    label = "`env_id` is bound to the user scope's `{{envId}}` by its name",
    note = "declare it as `env_id: EnvId`, implement `FromEnvId` for your own type, or rename the argument if it is not the environment"
)]
pub trait EnvIdValue<A>: FromEnvId {}

impl<T: FromEnvId, A> EnvIdValue<A> for T {}

/// The role of `T` as the argument `env_id` of action `A`: how it is made from the validated
/// environment id.
pub const fn env_id<T: EnvIdValue<A>, A>() -> EnvIdSlot<T> {
    T::from_env_id
}

/// A type that can be the JSON body of action `A` (the `T` of its `Body<T>` argument).
#[diagnostic::on_unimplemented(
    message = "action `{A}`: `{Self}` cannot be the JSON body",
    label = "the `T` of a `Body<T>` argument must implement `serde::Deserialize` and `schemars::JsonSchema`",
    note = "derive both for it: `#[derive(serde::Deserialize, schemars::JsonSchema)]`; the schema documents the body in the spec"
)]
pub trait BodyValue<A>: DeserializeOwned + JsonSchema {}

impl<T: DeserializeOwned + JsonSchema, A> BodyValue<A> for T {}

/// What the metadata and the handler need of a type read from the request that the spec
/// describes by its schema: a body's type or the query parameters' type. `Parse` is the
/// role's slot in `Roles` ([`BodySlot`] or [`QueryArgsSlot`]).
pub struct SchemaRole<Parse> {
    /// The type's schema: the body's, or the one whose properties the spec lists as query
    /// parameters.
    pub schema: fn(&mut SchemaGenerator) -> Schema,
    /// Reads the value from the raw body or from the request's query.
    pub parse: Parse,
}

/// The role of `T` as the body of action `A`, for the metadata and the handler alike.
pub const fn body<T: BodyValue<A>, A>() -> SchemaRole<BodySlot<T>> {
    SchemaRole { schema: crate::spec::body_schema::<T>, parse: Body::<T>::from_json }
}

/// A type that can be the query parameters of action `A` (the `T` of its `QueryArgs<T>`
/// argument).
#[diagnostic::on_unimplemented(
    message = "action `{A}`: `{Self}` cannot be the query parameters",
    label = "the `T` of a `QueryArgs<T>` argument must implement `serde::Deserialize` and `schemars::JsonSchema`",
    note = "derive both for it: `#[derive(serde::Deserialize, schemars::JsonSchema)]`; its fields are the parameters the spec lists"
)]
pub trait QueryArgsValue<A>: DeserializeOwned + JsonSchema {}

impl<T: DeserializeOwned + JsonSchema, A> QueryArgsValue<A> for T {}

/// The role of `T` as the query parameters of action `A`, for the metadata and the handler alike.
pub const fn query_args<T: QueryArgsValue<A>, A>() -> SchemaRole<QueryArgsSlot<T>> {
    SchemaRole { schema: T::json_schema, parse: QueryArgs::<T>::from_parts }
}

/// A type that can be an extractor argument of action `A` on a router with state `S`.
#[diagnostic::on_unimplemented(
    message = "action `{A}`: `{Self}` is neither bound by the path template nor an extractor",
    label = "not bound to a placeholder by its name, so it must be an axum extractor",
    note = "an argument named like a placeholder in snake_case takes its value (`<imageId>` binds `image_id`), `env_id` takes the user scope's environment, a `Body<T>` takes the JSON body; any other argument must implement axum's `FromRequestParts<{S}>`, like `State<T>`, `Paging`, `Warnings`, `RequestId` or `HeaderMap`"
)]
pub trait ExtractorValue<S, A>: FromRequestParts<S> {}

impl<T: FromRequestParts<S>, S, A> ExtractorValue<S, A> for T {}

/// A type that action `A` can return.
#[diagnostic::on_unimplemented(
    message = "action `{A}`: `{Self}` cannot be turned into a Scalr envelope",
    label = "the action's return type",
    note = "return `T` or `Result<T, E>` where `T` is `()`, an `ApiObject` or `Page<T: ApiObject>`, and `E: Into<ApiError>`"
)]
pub trait ReturnValue<A>: ActionOutput {}

impl<T: ActionOutput, A> ReturnValue<A> for T {}

/// What the metadata and the handler need of an action's return type.
pub struct OutputRole<O> {
    /// What `data` is, for the spec.
    pub spec: fn(&mut SchemaGenerator) -> DataSpec,
    /// Writes the response for what the function returned.
    pub respond: for<'a> fn(Reply<'a>, O, u16) -> Response,
}

/// The role of `O` as the return type of action `A`, for the metadata and the handler alike.
pub const fn output<O: ReturnValue<A>, A>() -> OutputRole<O> {
    OutputRole { spec: O::data_spec, respond: finish::<O> }
}

fn finish<O: ActionOutput>(reply: Reply<'_>, output: O, status: u16) -> Response {
    reply.finish(output, status)
}

/// The future of action `A`'s function, which the router may move between threads.
#[diagnostic::on_unimplemented(
    message = "action `{A}`: the function's future is not `Send`",
    label = "the router may run this future on any thread",
    note = "keep values that are not `Send` (`Rc`, a `RefCell` borrow, a std `MutexGuard`) out of scope at every `.await`"
)]
pub trait SendFuture<A>: Future + Send {}

impl<F: Future + Send, A> SendFuture<A> for F {}

/// Passes action `A`'s future on, requiring it to be `Send`.
pub fn require_send<F: SendFuture<A>, A>(future: F) -> SendChecked<F> {
    SendChecked::new(future)
}
