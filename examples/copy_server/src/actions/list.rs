//! `GET images/`: the images an environment sees, in pages and filtered.

use scalr_endpoints::prelude::*;

use crate::AppState;
use crate::images::Image;
use crate::store::ImageFilter;

/// List the Images available in this Environment, oldest first.
///
/// A `cloudLocation` filter needs a `cloudPlatform` filter beside it, as a region names a place
/// on one cloud only (`400 InvalidStructure` "Both 'cloudPlatform' and 'cloudLocation' filters
/// should be provided with request."): a rule between two parameters, which no schema of
/// Swagger 2.0 can say.
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
    ImageFilter::from_filters(filters)
}
