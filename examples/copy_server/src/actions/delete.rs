//! `DELETE images/<imageId>/`: forget an image, or delete it from its cloud too.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use scalr_endpoints::QueryParams;
use scalr_endpoints::prelude::*;

use super::{environment_image, image_not_found};
use crate::AppState;
use crate::images::ImageId;
use crate::store::{Removal, Removed};

/// Delete an Image of this Environment. By default the Image is forgotten and stays on its cloud;
/// with `deleteFromCloud=true` the cloud deletes it too, and until it has, the Image stays listed
/// as `pending_delete`; one the cloud no longer has is `409 ObjectNotFoundOnCloud`. An Image
/// that a role uses is in use, and cannot be deleted.
#[scalr_action(
    delete,
    "images/<imageId>/",
    permission = "images:manage",
    errors = [
        InvalidValue, ObjectNotFound, ScopeViolation, UnacceptableImageStatus, ObjectInUse, ObjectNotFoundOnCloud,
        NotImplemented, ServiceUnavailable,
    ]
)]
pub async fn delete_image(
    State(app): State<AppState>,
    env_id: EnvId,
    image_id: ImageId,
    options: DeleteOptions,
) -> Result<(), ApiError> {
    let image = environment_image(&app, env_id, image_id).await?;
    if !options.delete_from_cloud {
        return settle(&app, env_id, image_id, app.store.remove_image(env_id, image.id, Removal::Forget).await?).await;
    }
    // Mark the image first: of two deletes racing, the one that marks it asks the cloud, and the
    // other finds it awaiting deletion (409), so the cloud is asked once.
    settle(&app, env_id, image_id, app.store.remove_image(env_id, image.id, Removal::MarkPendingDelete).await?).await?;
    if let Err(refused) = app.cloud.delete_image(&image).await {
        app.store.remove_image(env_id, image.id, Removal::Unmark(image.status)).await?;
        return Err(refused.into());
    }
    Ok(())
}

/// The answer for what the store did. An image the store no longer found may have been marked
/// for deletion by a request that raced this one since the checks: read again, it answers 409
/// then, and 404 only when it is gone.
async fn settle(app: &AppState, env_id: EnvId, image_id: ImageId, removed: Removed) -> Result<(), ApiError> {
    match removed {
        Removed::Done => Ok(()),
        Removed::InUse(roles) => refuse_in_use(roles),
        Removed::NotFound => {
            environment_image(app, env_id, image_id).await?;
            Err(image_not_found())
        }
    }
}

/// `409 ObjectInUse`, naming the roles, when there are any.
fn refuse_in_use(roles: Vec<String>) -> Result<(), ApiError> {
    if roles.is_empty() {
        return Ok(());
    }
    let plural = if roles.len() > 1 { "s" } else { "" };
    Err(ApiError::new(ErrorCode::ObjectInUse, format!("The Image is used by the role{plural} {}.", roles.join(", "))))
}

/// The query of a delete: `deleteFromCloud`, `true` or `false` (the default); any other value is
/// `400 InvalidValue`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// Whether the cloud deletes the image too.
    pub delete_from_cloud: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for DeleteOptions {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let delete_from_cloud = match QueryParams::parse(parts.uri.query()).get("deleteFromCloud") {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                return Err(ApiError::new(
                    ErrorCode::InvalidValue,
                    format!("Invalid value '{other}' of parameter 'deleteFromCloud': expected true or false."),
                ));
            }
        };
        Ok(Self { delete_from_cloud })
    }
}
