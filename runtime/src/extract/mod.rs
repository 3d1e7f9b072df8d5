//! What an action's arguments can be besides ordinary axum extractors, one noun a file: path
//! placeholders ([`PathParam`]) and the route values they are bound from, the user scope's
//! [`EnvId`], the JSON [`Body`], the [`RequestId`], [`Warnings`], [`Paging`] with the [`Page`] a
//! list returns and its [`Pagination`], a list's [`Filters`], and the other actions'
//! [`QueryArgs`].

mod body;
mod env_id;
mod filters;
mod paging;
mod path_param;
mod query_args;
mod request_id;
mod warnings;

pub use body::Body;
pub(crate) use body::body_too_large;
pub use env_id::{EnvId, FromEnvId};
pub(crate) use filters::FILTER_CODES;
pub use filters::Filters;
pub(crate) use paging::paging_parameters;
pub use paging::{DEFAULT_MAX_RESULTS, MAX_RESULTS_LIMIT, Page, Pagination, Paging};
pub use path_param::{PathParam, PathParamSpec, PathValues, UUID_PATTERN};
pub use query_args::QueryArgs;
pub use request_id::RequestId;
pub use warnings::{Warning, Warnings};
