//! The Image object of Scalr APIv2, the values its fields take, and the request bodies that
//! create, change and copy images.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use scalr_endpoints::{ApiError, ApiObject, ErrorCode, PathParam, PathParamSpec, UUID_PATTERN};
use schemars::JsonSchema;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

use crate::cloud::{AWS_REGIONS, EC2_IMAGE_TYPES};
use crate::store::ImageFilter;

/// The id of an Image: a UUID, accepted in upper case and looked up lower-cased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct ImageId(pub Uuid);

impl ImageId {
    /// A fresh random id.
    pub fn random() -> Self {
        Self(Uuid::new_v4())
    }
}

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

/// The text a value of one of this module's enums has on the wire, e.g. `pending_delete`: what
/// clients send and filter on, and what the store keeps.
pub fn wire_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// The clouds Scalr knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
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
#[serde(deny_unknown_fields)]
pub struct OsRef {
    /// The operating system's id, e.g. `ubuntu-22-04`.
    pub id: String,
}

/// A machine image registered in Scalr.
///
/// Every property is always sent, `null` when unset. Read-only properties are marked so in the
/// spec (scalr-ctl leaves them out of the bodies it sends); `scalrAgentInstalled` and
/// `cloudInitInstalled` can be set when the image is registered only.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// The image's id.
    #[schemars(extend("readOnly" = true))]
    pub id: ImageId,
    /// A name for people: letters, digits and dashes.
    pub name: String,
    /// The id of the image on its cloud, e.g. `ami-0123456789abcdef0`.
    pub cloud_image_id: String,
    /// The region the image lives in.
    pub cloud_location: Option<String>,
    /// The cloud the image lives on.
    pub cloud_platform: CloudPlatform,
    /// When the image was registered.
    #[serde(serialize_with = "rfc3339")]
    #[schemars(extend("readOnly" = true))]
    pub added: DateTime<Utc>,
    /// When a server was last launched from the image.
    #[serde(serialize_with = "rfc3339_or_null")]
    #[schemars(extend("readOnly" = true))]
    pub last_used: Option<DateTime<Utc>>,
    /// Whether the Scalr agent is installed.
    #[schemars(extend("x-createOnly" = true))]
    pub scalr_agent_installed: bool,
    /// Whether cloud-init is installed.
    #[schemars(extend("x-createOnly" = true))]
    pub cloud_init_installed: bool,
    /// The CPU architecture.
    pub architecture: Architecture,
    /// The root volume's size in GB.
    pub size: Option<u32>,
    /// Whether the image is deprecated.
    #[schemars(extend("readOnly" = true))]
    pub deprecated: bool,
    /// Where the image came from.
    #[schemars(extend("readOnly" = true))]
    pub source: ImageSource,
    /// The lifecycle status.
    #[schemars(extend("readOnly" = true))]
    pub status: ImageStatus,
    /// The EC2 image type: `ebs`, `ebs-hvm`, `instance-store` or `instance-store-hvm`.
    #[serde(rename = "type")]
    pub image_type: Option<String>,
    /// Why the image failed, when it did.
    #[schemars(extend("readOnly" = true))]
    pub status_error: Option<String>,
    /// Which scope owns the image.
    #[schemars(extend("readOnly" = true))]
    pub scope: ImageScope,
    /// The operating system.
    pub os: OsRef,
}

/// The filterable properties are those of [`ImageFilter`], listed once where it is defined.
impl ApiObject for Image {
    const FILTERABLE: &'static [&'static str] = ImageFilter::PROPERTIES;
}

impl Image {
    /// The image a registration describes, as registered now in the environment scope.
    pub fn registered(new: NewImage) -> Self {
        Self {
            id: ImageId::random(),
            name: new.name,
            cloud_image_id: new.cloud_image_id,
            cloud_location: new.cloud_location,
            cloud_platform: new.cloud_platform,
            added: now(),
            last_used: None,
            scalr_agent_installed: new.scalr_agent_installed,
            cloud_init_installed: new.cloud_init_installed,
            architecture: new.architecture,
            size: new.size,
            deprecated: false,
            source: ImageSource::Manual,
            status: ImageStatus::Active,
            image_type: new.image_type,
            status_error: None,
            scope: ImageScope::Environment,
            os: new.os,
        }
    }

    /// The copy of this image made now in `region` of EC2, where it has the id `cloud_image_id`:
    /// a new environment image with this one's name, architecture, size, type, OS and agents.
    pub fn copied_to(&self, region: String, cloud_image_id: String) -> Self {
        Self {
            id: ImageId::random(),
            cloud_image_id,
            cloud_location: Some(region),
            cloud_platform: CloudPlatform::Ec2,
            added: now(),
            last_used: None,
            deprecated: false,
            source: ImageSource::Manual,
            status: ImageStatus::Active,
            status_error: None,
            scope: ImageScope::Environment,
            ..self.clone()
        }
    }
}

impl Image {
    /// This image as its cloud gave up on it: `failed`, with the cloud's `reason` as
    /// `statusError`.
    pub fn failed(self, reason: String) -> Self {
        Self { status: ImageStatus::Failed, status_error: Some(reason), ..self }
    }
}

/// The current time, to the second: what the API shows, so that a stored image reads back as it
/// was returned.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

fn rfc3339<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn rfc3339_or_null<S: Serializer>(at: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => rfc3339(at, serializer),
        None => serializer.serialize_none(),
    }
}

/// Scalr's rule for image names: letters, digits and dashes, beginning and ending with a letter or
/// a digit. [`check_name`] applies it and the bodies' schemas publish it, so the two agree.
pub const NAME_PATTERN: &str = "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$";

static NAME_RULE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(NAME_PATTERN).expect("NAME_PATTERN is a valid regular expression"));

/// An image name that breaks [`NAME_PATTERN`] is `400 InvalidValue`.
pub fn check_name(name: &str) -> Result<(), ApiError> {
    // `$` of the regex crate matches at the very end only, as JSON Schema's does not promise:
    // a trailing newline is refused here and by the pattern alike.
    if NAME_RULE.is_match(name) {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::InvalidValue,
        "Invalid name of the Image: use letters, digits and dashes, beginning and ending with a letter or a digit.",
    ))
}

/// An EC2 image id: `ami-` and 8 or 17 lower-case hex digits. Registrations publish it as the
/// pattern of `cloudImageId`, and the simulated cloud finds exactly the images it matches.
pub const AMI_ID_PATTERN: &str = "^ami-([0-9a-f]{8}|[0-9a-f]{17})$";

static AMI_ID_RULE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(AMI_ID_PATTERN).expect("AMI_ID_PATTERN is a valid regular expression"));

/// Whether `id` is an EC2 image id ([`AMI_ID_PATTERN`]).
pub fn is_ami_id(id: &str) -> bool {
    AMI_ID_RULE.is_match(id)
}

/// The body of `POST images/`: every property a client may set when it registers an image.
///
/// Read-only properties (`id`, `added`, `status`, ...) and properties the Image does not have are
/// refused, each with its own message, by [`NewImage::refuse_other_properties`].
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(deny_unknown_fields)]
pub struct NewImage {
    /// A name for people: letters, digits and dashes.
    #[schemars(regex(pattern = NAME_PATTERN))]
    pub name: String,
    /// The id of the image on its cloud, an AMI id, e.g. `ami-0123456789abcdef0`.
    #[schemars(regex(pattern = AMI_ID_PATTERN))]
    pub cloud_image_id: String,
    /// The cloud the image lives on. The schema lists EC2 alone, the one cloud this server
    /// registers images on: others are refused (`409 NotEnabledPlatform` where the Environment
    /// has not enabled them, else `501 NotImplemented`).
    #[schemars(schema_with = "copy_platform_schema")]
    pub cloud_platform: CloudPlatform,
    /// The region the image lives in, one of the AWS regions: required for EC2.
    #[serde(default)]
    #[schemars(required, schema_with = "aws_region_schema")]
    pub cloud_location: Option<String>,
    /// The CPU architecture.
    pub architecture: Architecture,
    /// The operating system.
    pub os: OsRef,
    /// The root volume's size in GB.
    #[serde(default)]
    pub size: Option<u32>,
    /// The EC2 image type: `ebs`, `ebs-hvm`, `instance-store` or `instance-store-hvm`.
    #[serde(default, rename = "type")]
    #[schemars(schema_with = "ec2_image_type_schema")]
    pub image_type: Option<String>,
    /// Whether the Scalr agent is installed (false unless said).
    #[serde(default)]
    #[schemars(extend("x-createOnly" = true))]
    pub scalr_agent_installed: bool,
    /// Whether cloud-init is installed (false unless said).
    #[serde(default)]
    #[schemars(extend("x-createOnly" = true))]
    pub cloud_init_installed: bool,
    #[serde(flatten)]
    #[schemars(skip)]
    other: OtherProperties,
}

impl NewImage {
    /// `400 InvalidStructure` for a property sent besides those of the body: "You are trying to set
    /// the property id which is read-only." for the Image's read-only ones, "... which does not
    /// exist." for the others.
    pub fn refuse_other_properties(&self) -> Result<(), ApiError> {
        let Some(property) = self.other.first() else { return Ok(()) };
        let reason = if is_read_only(property) { "is read-only" } else { "does not exist" };
        Err(refused(property, reason))
    }
}

/// The body of `PATCH images/<imageId>/`: an image's name is all that can change.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(deny_unknown_fields)]
pub struct ImageChanges {
    /// The new name: letters, digits and dashes.
    #[schemars(regex(pattern = NAME_PATTERN))]
    pub name: String,
    #[serde(flatten)]
    #[schemars(skip)]
    other: OtherProperties,
}

impl ImageChanges {
    /// `400 InvalidStructure` for a property sent besides `name`: "You are trying to set the
    /// property size which is not alterable: only name can be changed." for the Image's other
    /// properties, "... which does not exist." for the others.
    pub fn refuse_other_properties(&self) -> Result<(), ApiError> {
        let Some(property) = self.other.first() else { return Ok(()) };
        let reason = if IMAGE_PROPERTIES.contains_key(property) {
            "is not alterable: only name can be changed"
        } else {
            "does not exist"
        };
        Err(refused(property, reason))
    }
}

fn refused(property: &str, reason: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidStructure, format!("You are trying to set the property {property} which {reason}."))
}

/// The properties of a request body that its type does not declare, kept so that the action can
/// refuse them with the reason that applies, where serde's `deny_unknown_fields` has one reason.
/// The bodies' schemas say they are refused with schemars' own `deny_unknown_fields`
/// (`additionalProperties: false`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
struct OtherProperties(BTreeMap<String, IgnoredAny>);

impl OtherProperties {
    /// The first, in name order.
    fn first(&self) -> Option<&str> {
        self.0.keys().next().map(String::as_str)
    }
}

/// The Image's properties, each with whether it is read-only, read from its schema so that the
/// spec and the bodies' refusals cannot disagree.
static IMAGE_PROPERTIES: LazyLock<BTreeMap<String, bool>> = LazyLock::new(|| {
    let schema = schemars::schema_for!(Image);
    let properties = schema.get("properties").and_then(serde_json::Value::as_object);
    properties
        .into_iter()
        .flatten()
        .map(|(name, property)| (name.clone(), property.get("readOnly") == Some(&serde_json::Value::Bool(true))))
        .collect()
});

fn is_read_only(property: &str) -> bool {
    IMAGE_PROPERTIES.get(property).copied().unwrap_or(false)
}

/// The EC2 region to copy this Image to.
//
// Both properties are read as optional strings so that the action can apply Scalr's checks in
// their documented order (a missing or empty property is `InvalidStructure`, an unknown
// platform `InvalidValue`); the schema says what a client must send.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CloudLocation {
    /// The destination region, e.g. `us-west-2`: one of the AWS regions.
    #[serde(default)]
    #[schemars(schema_with = "aws_region_schema")]
    pub cloud_location: Option<String>,
    /// The destination cloud; only `ec2` is supported.
    #[serde(default)]
    #[schemars(schema_with = "copy_platform_schema")]
    pub cloud_platform: Option<String>,
}

/// The platform images can be copied and registered on: the copy refuses any other, and the
/// schemas of both bodies list it alone.
pub const COPY_PLATFORM: CloudPlatform = CloudPlatform::Ec2;

/// A region: one of [`AWS_REGIONS`], the list the actions check regions against.
fn aws_region_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": AWS_REGIONS })
}

/// An optional EC2 image type: one of [`EC2_IMAGE_TYPES`], the list registrations are checked
/// against.
fn ec2_image_type_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let mut types: Vec<serde_json::Value> = EC2_IMAGE_TYPES.iter().map(|name| (*name).into()).collect();
    types.push(serde_json::Value::Null);
    schemars::json_schema!({ "type": ["string", "null"], "enum": types })
}

/// [`COPY_PLATFORM`] by its wire name.
fn copy_platform_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": [wire_name(&COPY_PLATFORM)] })
}
