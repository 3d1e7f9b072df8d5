//! `DELETE images/<imageId>/`: forget an image, or delete it from its cloud too.

use scalr_endpoints::prelude::*;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{environment_image, image_not_found};
use crate::AppState;
use crate::images::ImageId;
use crate::store::{Removal, Removed};

/// Delete an Image of this Environment. By default the Image is forgotten and stays on its cloud;
/// with `deleteFromCloud=true` the cloud deletes it too, and the Image is forgotten once it has:
/// meanwhile it is listed as `pending_delete`, and other changes to it are refused. One the cloud
/// no longer has is `409 ObjectNotFoundOnCloud`, and stays as it was. An Image that a role uses
/// is in use, and cannot be deleted.
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
    QueryArgs(options): QueryArgs<DeleteOptions>,
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
    app.store.remove_image(env_id, image.id, Removal::ForgetMarked).await?;
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteOptions {
    /// Whether the cloud deletes the image too; while it does, the image is listed as
    /// `pending_delete`.
    #[serde(default)]
    pub delete_from_cloud: bool,
}
