//! The Image object of Scalr APIv2 and the values its fields take.

use chrono::{DateTime, SecondsFormat, Utc};
use scalr_endpoints::{ApiObject, PathParam, PathParamSpec, UUID_PATTERN};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

/// The id of an Image: a UUID, accepted in upper case and looked up lower-cased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct ImageId(pub Uuid);

impl PathParam for ImageId {
    const SPEC: PathParamSpec =
        PathParamSpec { swagger_type: "string", pattern: Some(UUID_PATTERN), description: "The ID of a Image object." };

    fn from_segment(segment: &str) -> Option<Self> {
        Uuid::from_segment(segment).map(ImageId)
    }
}

impl std::fmt::Display for ImageId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The clouds Scalr knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CloudPlatform {
    Ec2,
    Gce,
    Azure,
    Cloudstack,
    Idcf,
    Openstack,
    Ocs,
    Rackspacenguk,
    Rackspacengus,
    Hpcloud,
    Mirantis,
    Vio,
    Cisco,
}

/// CPU architecture of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Architecture {
    I386,
    #[serde(rename = "x86_64")]
    X86_64,
}

/// Where an image came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ImageSource {
    Manual,
    BundleTask,
}

/// The lifecycle status of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImageStatus {
    Active,
    PendingDelete,
    Failed,
}

/// Which scope owns an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImageScope {
    Scalr,
    Account,
    Environment,
}

/// A reference to an operating system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OsRef {
    /// The operating system's id, e.g. `ubuntu-22-04`.
    pub id: String,
}

/// A machine image registered in Scalr.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// The image's id.
    pub id: ImageId,
    /// A name for people.
    pub name: String,
    /// The id of the image on its cloud, e.g. `ami-0123456789abcdef0`.
    pub cloud_image_id: String,
    /// The region the image lives in.
    pub cloud_location: Option<String>,
    /// The cloud the image lives on.
    pub cloud_platform: CloudPlatform,
    /// When the image was registered.
    #[serde(serialize_with = "rfc3339")]
    pub added: DateTime<Utc>,
    /// When a server was last launched from the image.
    #[serde(serialize_with = "rfc3339_or_null")]
    pub last_used: Option<DateTime<Utc>>,
    /// Whether the Scalr agent is installed.
    pub scalr_agent_installed: bool,
    /// Whether cloud-init is installed.
    pub cloud_init_installed: bool,
    /// The CPU architecture.
    pub architecture: Architecture,
    /// The root volume's size in GB.
    pub size: Option<u32>,
    /// Whether the image is deprecated.
    pub deprecated: bool,
    /// Where the image came from.
    pub source: ImageSource,
    /// The lifecycle status.
    pub status: ImageStatus,
    /// The EC2 image type: `ebs`, `ebs-hvm`, `instance-store` or `instance-store-hvm`.
    #[serde(rename = "type")]
    pub image_type: Option<String>,
    /// Why the image failed, when it did.
    pub status_error: Option<String>,
    /// Which scope owns the image.
    pub scope: ImageScope,
    /// The operating system.
    pub os: OsRef,
}

impl ApiObject for Image {}

fn rfc3339<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn rfc3339_or_null<S: Serializer>(at: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => rfc3339(at, serializer),
        None => serializer.serialize_none(),
    }
}

/// The copy action's body: where to copy the image to.
///
/// Both properties are read as optional strings so that the action can apply Scalr's checks in
/// their documented order (a missing or empty property is `InvalidStructure`, an unknown
/// platform `InvalidValue`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CloudLocation {
    /// The destination region, e.g. `us-west-2`.
    #[serde(default)]
    pub cloud_location: Option<String>,
    /// The destination cloud; only `ec2` is supported.
    #[serde(default)]
    pub cloud_platform: Option<String>,
}

/// The AWS regions an image can be copied to: Scalr's twelve and the commercial regions AWS
/// has opened since.
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
