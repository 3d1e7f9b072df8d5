//! The images actions, each one `#[scalr_action]` function.

use chrono::Utc;
use scalr_endpoints::prelude::*;
use uuid::Uuid;

use super::AppState;
use super::images::{AWS_REGIONS, CloudLocation, CloudPlatform, Image, ImageId, ImageScope, ImageSource, ImageStatus};

/// List the Images available in this Environment.
#[scalr_action(get, "images/")]
pub async fn list_images(State(app): State<AppState>, env_id: EnvId, paging: Paging) -> Page<Image> {
    paging.page(app.store.list(env_id))
}

/// Copy an Image from one EC2 region to another.
#[scalr_action(post, "images/<imageId>/actions/copy", permission = "images:manage")]
pub async fn copy_image(
    State(app): State<AppState>,
    env_id: EnvId,
    image_id: ImageId,
    copy_to: Body<CloudLocation>,
) -> Result<Image, ApiError> {
    copy(&app, env_id, image_id, copy_to.0)
}

/// The copy action's checks, in the order of the wire contract (section 7, checks 2 to 8), and
/// the new image. Check 1, the caller's permission to manage images, is the action's declared
/// `permission`, checked before the handler runs; enabled platforms (check 9) are not modelled
/// yet.
pub fn copy(app: &AppState, env_id: EnvId, image_id: ImageId, target: CloudLocation) -> Result<Image, ApiError> {
    let location = required(target.cloud_location, "cloudLocation")?;
    let platform = required(target.cloud_platform, "cloudPlatform")?;
    if !AWS_REGIONS.contains(&location.as_str()) {
        return Err(ApiError::new(ErrorCode::InvalidValue, "Invalid region"));
    }
    if platform != "ec2" {
        return Err(ApiError::new(ErrorCode::InvalidValue, "Only Ec2 cloud platform is supported"));
    }
    let source = app.store.find(env_id, image_id).ok_or_else(|| {
        ApiError::new(
            ErrorCode::ObjectNotFound,
            "Requested Image either does not exist or is not owned by your environment.",
        )
    })?;
    if source.scope != ImageScope::Environment {
        return Err(ApiError::new(
            ErrorCode::ScopeViolation,
            "The image is not either from the environment scope or owned by your environment.",
        ));
    }
    if source.status == ImageStatus::PendingDelete {
        return Err(ApiError::new(
            ErrorCode::UnacceptableImageStatus,
            format!("You can not use the image {} because it awaiting deletion on the cloud.", source.name),
        ));
    }
    if source.cloud_location.as_deref() == Some(location.as_str()) {
        return Err(ApiError::new(ErrorCode::BadRequest, "Destination region is the same as source one"));
    }
    let copy = Image {
        id: ImageId(Uuid::new_v4()),
        cloud_image_id: new_ami_id(),
        cloud_location: Some(location),
        cloud_platform: CloudPlatform::Ec2,
        added: Utc::now(),
        last_used: None,
        deprecated: false,
        source: ImageSource::Manual,
        status: ImageStatus::Active,
        status_error: None,
        scope: ImageScope::Environment,
        ..source
    };
    app.store.insert(Some(env_id), copy.clone());
    Ok(copy)
}

/// A required body property: missing, `null` and empty are all `InvalidStructure`.
fn required(value: Option<String>, property: &str) -> Result<String, ApiError> {
    value
        .filter(|value| !value.is_empty())
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidStructure, format!("Missed property '{property}'")))
}

/// An EC2 image id: `ami-` and 17 lower-case hex digits.
fn new_ami_id() -> String {
    let hex = Uuid::new_v4().simple().to_string();
    format!("ami-{}", &hex[..17])
}
