//! What an action may return, and how each form becomes an envelope.

use axum::http::StatusCode;
use axum::response::Response;
use schemars::{JsonSchema, SchemaGenerator};
use serde::Serialize;

use crate::envelope::{data_response, list_response};
use crate::error::ApiError;
use crate::extract::Page;
use crate::pipeline::Reply;
use crate::query::QueryParams;
use crate::spec::{DataSpec, ObjectSpec};

/// A Scalr API object: a type an action can return as `data`, alone or in a [`Page`].
///
/// `FILTERABLE` lists the properties a list action may filter on; the spec publishes it as
/// `x-filterable` and list actions check query keys against it, from this one list.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Scalr API object",
    label = "cannot be the `data` of an envelope",
    note = "implement `scalr_endpoints::ApiObject` for it (it also needs `serde::Serialize` and `schemars::JsonSchema`)"
)]
pub trait ApiObject: Serialize + JsonSchema {
    /// The properties list actions may filter on.
    const FILTERABLE: &'static [&'static str] = &[];
}

/// The success value of an action: `()` (data `null`), an [`ApiObject`], or a [`Page`] of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the `data` of a Scalr envelope",
    label = "the action's success value",
    note = "an action succeeds with `()` (data `null`), a type implementing `scalr_endpoints::ApiObject`, or `Page<T>` of one"
)]
pub trait ActionData {
    /// Writes the success envelope.
    fn into_response(self, reply: Reply<'_>, status: StatusCode) -> Response;

    /// What `data` is, for the spec.
    fn data_spec(generator: &mut SchemaGenerator) -> DataSpec;
}

impl ActionData for () {
    fn into_response(self, reply: Reply<'_>, status: StatusCode) -> Response {
        data_response(status, None::<()>, &reply.context())
    }

    fn data_spec(_: &mut SchemaGenerator) -> DataSpec {
        DataSpec::Empty
    }
}

impl<T: ApiObject> ActionData for T {
    fn into_response(self, reply: Reply<'_>, status: StatusCode) -> Response {
        data_response(status, &self, &reply.context())
    }

    fn data_spec(generator: &mut SchemaGenerator) -> DataSpec {
        DataSpec::Object(ObjectSpec::of::<T>(generator))
    }
}

impl<T: ApiObject> ActionData for Page<T> {
    fn data_spec(generator: &mut SchemaGenerator) -> DataSpec {
        DataSpec::List(ObjectSpec::of::<T>(generator))
    }

    fn into_response(self, reply: Reply<'_>, status: StatusCode) -> Response {
        let query = QueryParams::parse(reply.uri().query());
        let pagination = self.paging().links(reply.uri().path(), &query, self.total());
        list_response(status, self.items(), &pagination, &reply.context())
    }
}

/// What an action function may return: its success value, or `Result` of it and an error that
/// converts into [`ApiError`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be turned into a Scalr envelope",
    label = "the action's return type",
    note = "return `T` or `Result<T, E>` where `T` is `()`, an `ApiObject` or `Page<ApiObject>`, and `E: Into<ApiError>`"
)]
pub trait ActionOutput {
    /// Writes the envelope for this output.
    fn into_response(self, reply: Reply<'_>, status: StatusCode) -> Response;

    /// What the success envelope's `data` is, for the spec.
    fn data_spec(generator: &mut SchemaGenerator) -> DataSpec;
}

impl<T: ActionData> ActionOutput for T {
    fn into_response(self, reply: Reply<'_>, status: StatusCode) -> Response {
        ActionData::into_response(self, reply, status)
    }

    fn data_spec(generator: &mut SchemaGenerator) -> DataSpec {
        <T as ActionData>::data_spec(generator)
    }
}

impl<T: ActionData, E: Into<ApiError>> ActionOutput for Result<T, E> {
    fn data_spec(generator: &mut SchemaGenerator) -> DataSpec {
        T::data_spec(generator)
    }

    fn into_response(self, reply: Reply<'_>, status: StatusCode) -> Response {
        match self {
            Ok(data) => data.into_response(reply, status),
            Err(error) => reply.reject(error.into()),
        }
    }
}
