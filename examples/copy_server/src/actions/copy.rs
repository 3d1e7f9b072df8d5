//! `POST images/<imageId>/actions/copy/`: copy an EC2 image to another region.

use scalr_endpoints::prelude::*;

use super::{already_registered, environment_image, missed_property, require_aws_region, require_platform};
use crate::AppState;
use crate::cloud::CloudImageState;
use crate::images::{COPY_PLATFORM, CloudLocation, Image, ImageId, wire_name};
use crate::store::Insertion;

/// Copy an Image from one EC2 region to another.
///
/// The destination must differ from the Image's own region (`400 BadRequest` "Destination region
/// is the same as source one"), EC2 must be enabled in this Environment (`409 NotEnabledPlatform`),
/// and the Environment must not hold the copy already (`409 UnicityViolation`): rules of the
/// Image's and the Environment's state, which no schema can say.
// `ConfigurationMismatch` (422) is declared though no check below answers it:
// docs/wire-contract.md#d9-declared-responses-of-the-copy has the copy list every status of the
// seed page, for clients to be ready.
#[scalr_action(
    post,
    "images/<imageId>/actions/copy",
    permission = "images:manage",
    errors = [
        InvalidStructure, InvalidValue, ObjectNotFound, ScopeViolation, UnacceptableImageStatus, BadRequest,
        NotEnabledPlatform, UnicityViolation, ObjectNotFoundOnCloud, ConfigurationMismatch, NotImplemented,
        ServiceUnavailable,
    ]
)]
pub async fn copy_image(
    State(app): State<AppState>,
    env_id: EnvId,
    image_id: ImageId,
    copy_to: Body<CloudLocation>,
) -> Result<Image, ApiError> {
    // Checks 2 to 9 of docs/wire-contract.md#copy-checks, in its order; check 1
    // (docs/wire-contract.md#copy-check-1), the permission to manage images, is the action's
    // `permission`.
    let target = copy_to.0;
    let region = required(target.cloud_location, "cloudLocation")?;
    let platform = required(target.cloud_platform, "cloudPlatform")?;
    require_aws_region(&region)?;
    if platform != wire_name(&COPY_PLATFORM) {
        return Err(ApiError::new(ErrorCode::InvalidValue, "Only Ec2 cloud platform is supported"));
    }
    let source = environment_image(&app, env_id, image_id).await?;
    if source.cloud_location.as_deref() == Some(region.as_str()) {
        return Err(ApiError::new(ErrorCode::BadRequest, "Destination region is the same as source one"));
    }
    require_platform(&app, env_id, COPY_PLATFORM).await?;
    // The cloud reads the source again (`409 ObjectNotFoundOnCloud` when it is gone) and starts
    // the copy; the new image is stored at once with the id the cloud gave it. A copy the cloud
    // has still to make is marked pending until the copy follower (src/follow.rs) learns that
    // the cloud has made it, or failed; one made already needs no follower.
    let started = app.cloud.copy_image(&source, &region).await?;
    let mut copy = source.copied_to(region, started.cloud_image_id);
    let inserted = match started.state {
        CloudImageState::Pending => app.store.insert_copy(env_id, copy.clone()).await?,
        CloudImageState::Available => app.store.insert_image(Some(env_id), copy.clone()).await?,
        CloudImageState::Failed(reason) => {
            copy = copy.failed(reason);
            app.store.insert_image(Some(env_id), copy.clone()).await?
        }
    };
    match inserted {
        Insertion::Added => Ok(copy),
        Insertion::AlreadyRegistered => Err(already_registered()),
    }
}

/// A required body property: missing, `null` and empty are all `InvalidStructure`.
fn required(value: Option<String>, property: &str) -> Result<String, ApiError> {
    value.filter(|value| !value.is_empty()).ok_or_else(|| missed_property(property))
}
