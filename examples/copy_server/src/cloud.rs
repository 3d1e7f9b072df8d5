//! The cloud side of the images actions, behind [`Cloud`]: the server ships [`SimulatedEc2`], the
//! default, and, with the `aws` feature, `ec2::Ec2`, which calls EC2 for real through the AWS
//! SDK. The actions do not know which one they run on.

#[cfg(feature = "aws")]
pub mod ec2;

use std::fmt;

use futures_util::future::{BoxFuture, FutureExt};
use scalr_endpoints::{ApiError, ErrorCode};
use uuid::Uuid;

use crate::images::{CloudPlatform, Image, is_ami_id, wire_name};

/// The AWS regions an image can live in and be copied to: Scalr's twelve and the commercial
/// regions AWS has opened since.
pub const AWS_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "eu-west-1",
    "eu-central-1",
    "sa-east-1",
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "us-gov-west-1",
    "cn-north-1",
    "us-east-2",
    "us-gov-east-1",
    "ca-central-1",
    "ca-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-central-2",
    "ap-south-1",
    "ap-south-2",
    "ap-northeast-3",
    "ap-east-1",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "me-south-1",
    "me-central-1",
    "il-central-1",
    "af-south-1",
    "mx-central-1",
    "cn-northwest-1",
];

/// The types of EC2 images.
pub const EC2_IMAGE_TYPES: &[&str] = &["ebs", "ebs-hvm", "instance-store", "instance-store-hvm"];

/// What the images actions ask of the clouds images live on.
pub trait Cloud: Send + Sync {
    /// Copies `source`, an EC2 image, to `region`: the copy's cloud image id, and how far the
    /// cloud is with it. A copy still [`CloudImageState::Pending`] is stored marked pending and
    /// followed ([`CopyFollower`](crate::follow::CopyFollower)); any other is stored as it is.
    fn copy_image<'a>(&'a self, source: &'a Image, region: &'a str) -> BoxFuture<'a, Result<StartedCopy, CloudError>>;

    /// Whether `image` exists on its cloud, where its `cloudLocation` says, and can be used.
    fn image_exists<'a>(&'a self, image: &'a Image) -> BoxFuture<'a, Result<bool, CloudError>>;

    /// Deletes `image` from its cloud (EC2 deregisters it at once); the server forgets the image
    /// when this succeeds, and keeps it as it was when it fails.
    fn delete_image<'a>(&'a self, image: &'a Image) -> BoxFuture<'a, Result<(), CloudError>>;

    /// Where the cloud is with `image`, a copy this backend started: what
    /// [`CopyFollower`](crate::follow::CopyFollower) polls until the copy is done. A cloud whose
    /// copies are complete once [`Cloud::copy_image`] returns, as the simulated one, keeps this
    /// default: available at once.
    fn image_state<'a>(&'a self, image: &'a Image) -> BoxFuture<'a, Result<CloudImageState, CloudError>> {
        let _ = image;
        std::future::ready(Ok(CloudImageState::Available)).boxed()
    }
}

/// A copy a cloud has started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedCopy {
    /// The copy's id on the cloud, e.g. its AMI id.
    pub cloud_image_id: String,
    /// How far the cloud is with it: EC2's copies start `Pending`, the simulated cloud's are
    /// `Available` at once.
    pub state: CloudImageState,
}

/// The state of an image on its cloud, as far as a copy in progress goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloudImageState {
    /// Still being made (EC2's `pending`).
    Pending,
    /// Ready to launch servers from.
    Available,
    /// The cloud gave up on it, for this reason (EC2's `StateReason`).
    Failed(String),
}

/// The message of a 409 `ObjectNotFoundOnCloud`: what was looked for, and where.
pub fn not_found_on_cloud(cloud_image_id: &str, location: &str) -> CloudError {
    CloudError::NotFound(format!("The image {cloud_image_id} was not found on the cloud in {location}."))
}

/// Why a cloud did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloudError {
    /// The backend does not do this (on this platform): `501 NotImplemented`.
    NotSupported(String),
    /// The cloud cannot be reached now, or asks to slow down: `503 ServiceUnavailable`.
    Unavailable(String),
    /// The image is not, or no longer, on the cloud: `409 ObjectNotFoundOnCloud`, with this
    /// message (it names only what the client sent).
    NotFound(String),
    /// The cloud holds another image of the copy's name in the destination already:
    /// `409 UnicityViolation`, with this message.
    Duplicate(String),
    /// Anything else (credentials refused, a bad answer): `500 "Server Error"`; this detail goes
    /// to the log under the request id, never to the client.
    Failed(String),
}

impl fmt::Display for CloudError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CloudError::NotSupported(what)
            | CloudError::Unavailable(what)
            | CloudError::NotFound(what)
            | CloudError::Duplicate(what)
            | CloudError::Failed(what) => f.write_str(what),
        }
    }
}

impl From<CloudError> for ApiError {
    fn from(error: CloudError) -> Self {
        match error {
            CloudError::NotSupported(what) => ApiError::new(ErrorCode::NotImplemented, what),
            CloudError::Unavailable(what) => {
                tracing::warn!(detail = %what, "the cloud is unavailable");
                ApiError::new(ErrorCode::ServiceUnavailable, "The cloud is unavailable; try again later.")
            }
            CloudError::NotFound(what) => ApiError::new(ErrorCode::ObjectNotFoundOnCloud, what),
            CloudError::Duplicate(what) => ApiError::new(ErrorCode::UnicityViolation, what),
            CloudError::Failed(detail) => ApiError::internal(format_args!("the cloud failed: {detail}")),
        }
    }
}

/// A stand-in for EC2 that answers at once: a copy gets a new random AMI id, every well-formed
/// AMI id exists in every region, and deletions are accepted. Other clouds are not supported.
#[derive(Debug, Clone, Copy, Default)]
pub struct SimulatedEc2;

impl SimulatedEc2 {
    fn require_ec2(image: &Image, operation: &str) -> Result<(), CloudError> {
        if image.cloud_platform == CloudPlatform::Ec2 {
            return Ok(());
        }
        let platform = wire_name(&image.cloud_platform);
        Err(CloudError::NotSupported(format!("This server cannot {operation} images on the {platform} cloud.")))
    }
}

impl Cloud for SimulatedEc2 {
    fn copy_image<'a>(&'a self, source: &'a Image, _region: &'a str) -> BoxFuture<'a, Result<StartedCopy, CloudError>> {
        let copied = Self::require_ec2(source, "copy")
            .map(|()| StartedCopy { cloud_image_id: new_ami_id(), state: CloudImageState::Available });
        std::future::ready(copied).boxed()
    }

    fn image_exists<'a>(&'a self, image: &'a Image) -> BoxFuture<'a, Result<bool, CloudError>> {
        let exists = Self::require_ec2(image, "find").map(|()| is_ami_id(&image.cloud_image_id));
        std::future::ready(exists).boxed()
    }

    fn delete_image<'a>(&'a self, image: &'a Image) -> BoxFuture<'a, Result<(), CloudError>> {
        std::future::ready(Self::require_ec2(image, "delete")).boxed()
    }
}

/// A new EC2 image id: `ami-` and 17 lower-case hex digits.
fn new_ami_id() -> String {
    let hex = Uuid::new_v4().simple().to_string();
    format!("ami-{}", &hex[..17])
}

/// The description a copy gets on EC2, Scalr's words: `Image was copied by Scalr from image:
/// <name>, cloudLocation: <region>, id: <ami>`, naming the source.
pub fn copy_description(source: &Image) -> String {
    format!(
        "Image was copied by Scalr from image: {}, cloudLocation: {}, id: {}",
        source.name,
        source.cloud_location.as_deref().unwrap_or(""),
        source.cloud_image_id
    )
}
