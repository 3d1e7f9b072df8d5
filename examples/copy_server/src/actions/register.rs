//! `POST images/`: register an image that exists on its cloud.

use scalr_endpoints::prelude::*;

use super::{already_registered, missed_property, require_aws_region, require_platform};
use crate::AppState;
use crate::cloud::EC2_IMAGE_TYPES;
use crate::images::{CloudPlatform, Image, NewImage, check_name};
use crate::store::Insertion;

/// Register an Image in this Environment: one that exists on its cloud, on a platform the
/// Environment has enabled. An Image the cloud does not have in its region is
/// `409 ObjectNotFoundOnCloud`.
#[scalr_action(
    post,
    "images/",
    permission = "images:manage",
    errors = [
        InvalidStructure, InvalidValue, NotEnabledPlatform, UnicityViolation, ObjectNotFoundOnCloud, NotImplemented,
        ServiceUnavailable,
    ]
)]
pub async fn register_image(
    State(app): State<AppState>,
    env_id: EnvId,
    image: Body<NewImage>,
) -> Result<Image, ApiError> {
    let new = image.0;
    new.refuse_other_properties()?;
    check_name(&new.name)?;
    if new.cloud_platform == CloudPlatform::Ec2 {
        check_ec2(&new)?;
    }
    require_platform(&app, env_id, new.cloud_platform).await?;
    let image = Image::registered(new);
    // Absent from its region: `409 ObjectNotFoundOnCloud` (the cloud's error); not an image id
    // of the cloud, or not usable: 400.
    if !app.cloud.image_exists(&image).await? {
        return Err(ApiError::new(
            ErrorCode::InvalidValue,
            "Unable to find the requested image on the cloud, or it is not usable by your account",
        ));
    }
    match app.store.insert_image(Some(env_id), image.clone()).await? {
        Insertion::Added => Ok(image),
        Insertion::AlreadyRegistered => Err(already_registered()),
    }
}

/// An EC2 image lives in a region (`400 InvalidStructure` without one, `400 InvalidValue` for an
/// unknown one) and has one of EC2's types (`400 InvalidValue`).
fn check_ec2(new: &NewImage) -> Result<(), ApiError> {
    let region = new.cloud_location.as_deref().filter(|region| !region.is_empty());
    require_aws_region(region.ok_or_else(|| missed_property("cloudLocation"))?)?;
    match new.image_type.as_deref() {
        Some(image_type) if !EC2_IMAGE_TYPES.contains(&image_type) => Err(ApiError::new(
            ErrorCode::InvalidValue,
            format!(
                "Invalid value '{image_type}' of property 'type': accepted values are {}.",
                EC2_IMAGE_TYPES.join(", ")
            ),
        )),
        _ => Ok(()),
    }
}
