//! # scalr-endpoints
//!
//! Declare [Scalr APIv2](https://scalr.com)-style HTTP endpoints on [axum] with one attribute.
//!
//! ```ignore
//! use scalr_endpoints::prelude::*;
//!
//! /// Copy an Image from one EC2 region to another.
//! #[scalr_action(post, "images/<imageId>/actions/copy")]
//! async fn copy_image(
//!     State(app): State<App>,
//!     env_id: EnvId,                // the scope's {envId}
//!     image_id: ImageId,            // bound to <imageId> by name
//!     copy_to: Body<CloudLocation>, // the JSON body
//! ) -> Result<Image, ApiError> {
//!     app.copy(env_id, image_id, copy_to.0)
//! }
//!
//! let router = ScalrApi::new().action(copy_image {}).into_router().with_state(app);
//! ```
//!
//! The function stays an ordinary `async fn` that unit tests can call. The attribute adds,
//! next to it, a marker struct of the same name (`copy_image {}`) that carries the route and
//! the handler; [`ScalrApi`] builds the router from a list of them.
//!
//! Requests are signed as Scalr's are (V1-HMAC-SHA256): give the API a key store with
//! [`ScalrApi::authenticate`] and every action verifies signatures, environments and its
//! `permission`; [`auth::Signer`] signs requests on the client side. Without a key store,
//! requests are served unauthenticated. The `reqwest` feature adds
//! [`Signer::sign_reqwest`](auth::Signer).

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
        ApiError, ApiObject, Body, EnvId, ErrorCode, Filters, Page, Paging, PathParam, PathParamSpec, ScalrApi,
        Warnings,
    };
}
