//! `GET images/<imageId>/`: one image.

use scalr_endpoints::prelude::*;

use super::image_not_found;
use crate::AppState;
use crate::images::{Image, ImageId};

/// Get an Image this Environment sees: its own, or one of the account or Scalr scope.
#[scalr_action(get, "images/<imageId>/", errors = [ObjectNotFound, ServiceUnavailable])]
pub async fn get_image(State(app): State<AppState>, env_id: EnvId, image_id: ImageId) -> Result<Image, ApiError> {
    app.store.find_image(env_id, image_id).await?.ok_or_else(image_not_found)
}
