//! The images actions, one `#[scalr_action]` function per module, and the checks they share.

mod copy;
mod delete;
mod get;
mod list;
mod register;
mod rename;

use scalr_endpoints::{ApiError, EnvId, ErrorCode};

pub use copy::copy_image;
pub use delete::delete_image;
pub use get::get_image;
pub use list::list_images;
pub use register::register_image;
pub use rename::rename_image;

use crate::AppState;
use crate::cloud::AWS_REGIONS;
use crate::images::{CloudPlatform, Image, ImageId, ImageScope, ImageStatus, wire_name};

/// `404 ObjectNotFound`: the image does not exist, or the environment does not see it.
fn image_not_found() -> ApiError {
    ApiError::new(
        ErrorCode::ObjectNotFound,
        "Requested Image either does not exist or is not owned by your environment.",
    )
}

/// Image `id` as an action may change it: environment `env` sees it (else `404 ObjectNotFound`),
/// owns it (else `403 ScopeViolation`), and it awaits no deletion (else
/// `409 UnacceptableImageStatus`). Checks 5 to 7 of docs/wire-contract.md#copy-checks
/// (`#copy-check-5` to `#copy-check-7`), which rename and delete make too, as Scalr does.
async fn environment_image(app: &AppState, env: EnvId, id: ImageId) -> Result<Image, ApiError> {
    let image = app.store.find_image(env, id).await?.ok_or_else(image_not_found)?;
    if image.scope != ImageScope::Environment {
        return Err(ApiError::new(
            ErrorCode::ScopeViolation,
            "The image is not either from the environment scope or owned by your environment.",
        ));
    }
    if image.status == ImageStatus::PendingDelete {
        return Err(ApiError::new(
            ErrorCode::UnacceptableImageStatus,
            format!("You can not use the image {} because it awaiting deletion on the cloud.", image.name),
        ));
    }
    Ok(image)
}

/// `409 NotEnabledPlatform` unless `platform` is enabled in environment `env`.
async fn require_platform(app: &AppState, env: EnvId, platform: CloudPlatform) -> Result<(), ApiError> {
    if app.store.enabled_platforms(env).await?.contains(&platform) {
        return Ok(());
    }
    Err(ApiError::new(ErrorCode::NotEnabledPlatform, format!("Platform '{}' is not enabled.", wire_name(&platform))))
}

/// `400 InvalidValue "Invalid region"` unless `region` is an AWS region.
fn require_aws_region(region: &str) -> Result<(), ApiError> {
    if AWS_REGIONS.contains(&region) { Ok(()) } else { Err(ApiError::new(ErrorCode::InvalidValue, "Invalid region")) }
}

/// `400 InvalidStructure` for a required property that is missing, `null` or empty.
fn missed_property(property: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidStructure, format!("Missed property '{property}'"))
}

/// `409 UnicityViolation`: the environment holds this cloud image in this location already.
fn already_registered() -> ApiError {
    ApiError::new(ErrorCode::UnicityViolation, "This Image has already been registered in Scalr")
}
