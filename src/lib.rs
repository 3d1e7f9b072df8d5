//! # scalr-endpoints
//!
//! Declare [Scalr APIv2](https://api-explorer.scalr.com/)-style HTTP endpoints on [axum] with
//! one attribute.
//!
//! ```
//! use scalr_endpoints::prelude::*;
//!
//! #[derive(Clone)]
//! struct App;
//!
//! /// A machine image.
//! #[derive(serde::Serialize, schemars::JsonSchema)]
//! struct Image {
//!     /// The image's id.
//!     id: uuid::Uuid,
//!     /// Where it lives.
//!     cloud_location: String,
//! }
//!
//! impl ApiObject for Image {
//!     const FILTERABLE: &'static [&'static str] = &["id"];
//! }
//!
//! /// The EC2 region to copy this Image to.
//! #[derive(serde::Deserialize, schemars::JsonSchema)]
//! #[serde(rename_all = "camelCase")]
//! struct CloudLocation {
//!     /// The destination region.
//!     cloud_location: String,
//! }
//!
//! /// Copy an Image from one EC2 region to another.
//! #[scalr_action(post, "images/<imageId>/actions/copy", errors = [ObjectNotFound])]
//! async fn copy_image(
//!     State(_app): State<App>,      // any axum extractor that reads the request head
//!     env_id: EnvId,                // the user scope's {envId}
//!     image_id: uuid::Uuid,         // bound to <imageId> by its name
//!     copy_to: Body<CloudLocation>, // the JSON body
//! ) -> Result<Image, ApiError> {
//!     let _ = env_id;
//!     Ok(Image { id: image_id, cloud_location: copy_to.0.cloud_location })
//! }
//!
//! let api = ScalrApi::new().action(copy_image {});
//! let spec = api.spec(scalr_endpoints::Scope::User);
//! assert!(spec["paths"]["/{envId}/images/{imageId}/actions/copy/"]["post"].is_object());
//! let router: axum::Router = api.into_router().with_state(App);
//! ```
//!
//! The function stays an ordinary `async fn` that unit tests can call. The attribute adds,
//! next to it, a marker struct of the same name (`copy_image {}`) that carries the route, the
//! handler and what the spec says of the action; [`ScalrApi`] builds the router and the
//! Swagger 2.0 spec of each scope from one list of them. Every failure, from a bad body to an
//! unknown route or a panic, leaves the router as a Scalr error envelope.
//!
//! [`scalr_action`] documents the attribute and tables every rule it enforces at compile time.
//!
//! Requests are signed as Scalr's are (V1-HMAC-SHA256): give the API a key store with
//! [`ScalrApi::authenticate`] and every action verifies signatures, environments and its
//! `permission`; [`auth::Signer`] signs requests on the client side. Without a key store,
//! requests are served unauthenticated. The `reqwest` feature adds
//! [`Signer::sign_reqwest`](auth::Signer).

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use scalr_endpoints_macros::scalr_action;
pub use scalr_endpoints_runtime::*;

#[doc(hidden)]
pub use scalr_endpoints_runtime::__private;

/// Everything an action declaration usually needs, in one import.
pub mod prelude {
    pub use axum::extract::State;
    pub use scalr_endpoints_macros::scalr_action;
    pub use scalr_endpoints_runtime::auth::Identity;
    pub use scalr_endpoints_runtime::{
        ApiError, ApiObject, Body, EnvId, ErrorCode, Filters, Page, Paging, PathParam, PathParamSpec, QueryArgs,
        ScalrApi, Warnings,
    };
}

/// The README's examples, compiled and run as doctests so that they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
