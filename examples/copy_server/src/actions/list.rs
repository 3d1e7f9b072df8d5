//! `GET images/`: the images an environment sees, in pages and filtered.

use scalr_endpoints::prelude::*;

use crate::AppState;
use crate::images::Image;
use crate::store::ImageFilter;

/// List the Images available in this Environment, oldest first.
#[scalr_action(get, "images/", errors = [InvalidStructure, InvalidValue, ServiceUnavailable])]
pub async fn list_images(
    State(app): State<AppState>,
    env_id: EnvId,
    paging: Paging,
    filters: Filters<Image>,
) -> Result<Page<Image>, ApiError> {
    let filter = image_filter(&filters)?;
    Ok(app.store.list_images(env_id, filter, paging).await?)
}

/// The store's filter for the request's filters. A region names a place only on its cloud, so
/// `cloudLocation` needs `cloudPlatform` (`400 InvalidStructure`, as Scalr says it).
fn image_filter(filters: &Filters<Image>) -> Result<ImageFilter, ApiError> {
    if filters.text("cloudLocation").is_some() && filters.text("cloudPlatform").is_none() {
        return Err(ApiError::new(
            ErrorCode::InvalidStructure,
            "Both 'cloudPlatform' and 'cloudLocation' filters should be provided with request.",
        ));
    }
    Ok(ImageFilter {
        id: filters.get("id")?,
        name: filters.get("name")?,
        scope: filters.get("scope")?,
        os: filters.get("os")?,
        cloud_platform: filters.get("cloudPlatform")?,
        cloud_location: filters.get("cloudLocation")?,
        cloud_image_id: filters.get("cloudImageId")?,
        architecture: filters.get("architecture")?,
        source: filters.get("source")?,
        status: filters.get("status")?,
        deprecated: filters.get("deprecated")?,
        scalr_agent_installed: filters.get("scalrAgentInstalled")?,
        cloud_init_installed: filters.get("cloudInitInstalled")?,
    })
}
