//! The contract between `#[scalr_action]` and the runtime: what the macro records about an action
//! ([`ActionMeta`]) and how the router calls it ([`Action`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::extract::Request;
use axum::response::Response;
use axum::routing::MethodFilter;

use schemars::{Schema, SchemaGenerator};

use crate::error::ErrorCode;
use crate::extract::PathParamSpec;
use crate::pipeline::Pipeline;
use crate::spec::DataSpec;

/// The HTTP methods an action can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `GET`, which also answers `HEAD`.
    Get,
    /// `POST`.
    Post,
    /// `PATCH`.
    Patch,
    /// `PUT`.
    Put,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method as sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    pub(crate) fn filter(self) -> MethodFilter {
        match self {
            Method::Get => MethodFilter::GET,
            Method::Post => MethodFilter::POST,
            Method::Patch => MethodFilter::PATCH,
            Method::Put => MethodFilter::PUT,
            Method::Delete => MethodFilter::DELETE,
        }
    }
}

/// The three Scalr API scopes, each with its own path prefix and spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// `/api/v1beta0/user/{envId}/...`: actions inside one environment.
    User,
    /// `/api/v1beta0/account/...`.
    Account,
    /// `/api/v1beta0/global/...`.
    Global,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 3] = [Scope::User, Scope::Account, Scope::Global];

    /// The scope's name as it appears in paths and spec file names.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Account => "account",
            Scope::Global => "global",
        }
    }

    /// The spec's `basePath`, e.g. `/api/v1beta0/user`.
    pub const fn base_path(self) -> &'static str {
        match self {
            Scope::User => "/api/v1beta0/user",
            Scope::Account => "/api/v1beta0/account",
            Scope::Global => "/api/v1beta0/global",
        }
    }
}

/// A path placeholder of an action, in template order.
#[derive(Debug, Clone, Copy)]
pub struct PathParamMeta {
    /// The placeholder's name as written in the template, e.g. `imageId`.
    pub name: &'static str,
    /// How the parameter's type describes itself.
    pub spec: PathParamSpec,
}

/// The JSON body of an action.
#[derive(Debug, Clone, Copy)]
pub struct BodyMeta {
    /// The body parameter's name in the spec, e.g. `copyTo`.
    pub name: &'static str,
    /// The body type's schema, registering its definitions.
    pub schema: fn(&mut SchemaGenerator) -> Schema,
}

/// Everything `#[scalr_action]` knows about an action, computed at compile time.
#[derive(Debug, Clone, Copy)]
pub struct ActionMeta {
    /// The function's name.
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The scope.
    pub scope: Scope,
    /// The full path with `{name}` placeholders and no trailing slash, e.g.
    /// `/api/v1beta0/user/{envId}/images/{imageId}/actions/copy`.
    pub path: &'static str,
    /// The path as registered with axum: placeholders are named after their segment, so that
    /// actions may name the same segment differently without the router seeing a conflict.
    pub route: &'static str,
    /// The success status.
    pub status: u16,
    /// The doc comment, for the spec's `description`.
    pub description: &'static str,
    /// The placeholders of the template (not the implicit `envId`).
    pub path_params: &'static [PathParamMeta],
    /// The JSON body, if the action takes one.
    pub body: Option<BodyMeta>,
    /// The schema of the action's `QueryArgs<T>`, if it takes one: each property is a query
    /// parameter in the spec.
    pub query_args: Option<fn(&mut SchemaGenerator) -> Schema>,
    /// The permission the caller needs (`permission = "images:manage"` in the attribute). When
    /// the API authenticates, a caller without it is answered
    /// `403 PermissionViolation "Insufficient Permissions"` before the handler runs.
    pub permission: Option<&'static str>,
    /// What the success envelope's `data` is, for the spec.
    pub output: fn(&mut SchemaGenerator) -> DataSpec,
    /// The error codes the action's function declares it returns (`errors = [...]`); the spec
    /// adds those the framework's checks produce.
    pub errors: &'static [ErrorCode],
}

impl ActionMeta {
    /// The metadata of a declaration `#[scalr_action]` rejected: the build fails anyway, this
    /// only keeps the registration from adding errors of its own.
    #[doc(hidden)]
    pub const fn invalid(name: &'static str) -> Self {
        Self {
            name,
            method: Method::Get,
            scope: Scope::User,
            path: "",
            route: "",
            status: 200,
            description: "",
            path_params: &[],
            body: None,
            query_args: None,
            permission: None,
            output: |_| DataSpec::Empty,
            errors: &[],
        }
    }
}

/// The static half of an action: its metadata. Implemented by `#[scalr_action]` on the marker
/// struct it defines next to the function. The marker is never stored or sent: the router only
/// needs its type (`'static`, for its `TypeId`).
///
/// The parameter is never named: the macro implements the trait for every `Deferred`, and the
/// runtime uses it at `()`. An impl with a parameter keeps rustc from evaluating `META` while it
/// checks the user's crate (it evaluates every constant of an impl without one, 200 of them in
/// a crate of 200 actions); the value is computed where it is used, when the crate is built.
pub trait ActionInfo<Deferred = ()>: 'static {
    /// What the macro recorded.
    const META: &'static ActionMeta;
}

/// An action that can serve a router whose state is `S`. Implemented by `#[scalr_action]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Scalr action that can serve a router with state `{S}`",
    label = "not an action for this router",
    note = "register the marker that `#[scalr_action]` defines next to the function: `.action(my_action {{}})`",
    note = "every argument of the action must be an extractor for state `{S}`; name the state with `state = Type` in `#[scalr_action]` to see which one is not"
)]
pub trait Action<S>: ActionInfo {
    /// Serves one request routed to this action. The future is boxed here rather than by the
    /// router (which needs it boxed anyway) so that the impl has no opaque return type of its
    /// own for rustc to check, once per action, in the user's crate.
    fn call(request: Request, state: S, pipeline: Arc<Pipeline>) -> ActionFuture;
}

/// The future of [`Action::call`]: the response to one request.
pub type ActionFuture = Pin<Box<dyn Future<Output = Response> + Send>>;
