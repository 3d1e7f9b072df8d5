//! `PATCH images/<imageId>/`: rename an image, the one change an image takes.

use scalr_endpoints::prelude::*;

use super::{environment_image, image_not_found};
use crate::AppState;
use crate::images::{Image, ImageChanges, ImageId, check_name};

/// Rename an Image of this Environment. Its name is the only property that can change.
#[scalr_action(
    patch,
    "images/<imageId>/",
    permission = "images:manage",
    errors = [InvalidStructure, InvalidValue, ObjectNotFound, ScopeViolation, UnacceptableImageStatus, ServiceUnavailable]
)]
pub async fn rename_image(
    State(app): State<AppState>,
    env_id: EnvId,
    image_id: ImageId,
    image: Body<ImageChanges>,
) -> Result<Image, ApiError> {
    let changes = image.0;
    changes.refuse_other_properties()?;
    check_name(&changes.name)?;
    environment_image(&app, env_id, image_id).await?;
    match app.store.rename_image(env_id, image_id, changes.name).await? {
        Some(renamed) => Ok(renamed),
        // Marked for deletion by a request that raced this one since the check: read again, it
        // answers 409; 404 only when it is gone.
        None => {
            environment_image(&app, env_id, image_id).await?;
            Err(image_not_found())
        }
    }
}
