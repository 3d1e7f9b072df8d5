//! [`Ec2`]: the images on EC2 for real, through the official AWS SDK for Rust (feature `aws`).
//!
//! Credentials, the endpoint and the profile come from the SDK's standard chain
//! (`AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`, instance
//! roles); the region of each call is the image's, or the copy's destination. Every call has a
//! time limit, and every SDK error becomes one of [`CloudError`]'s kinds, so that the client gets
//! a Scalr envelope and the SDK's detail stays in the log.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use aws_sdk_ec2::Client;
use aws_sdk_ec2::config::retry::RetryConfig;
use aws_sdk_ec2::config::timeout::TimeoutConfig;
use aws_sdk_ec2::config::{BehaviorVersion, Region};
use aws_sdk_ec2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_ec2::types::ImageState;
use futures_util::future::{BoxFuture, FutureExt};

use super::{Cloud, CloudError, CloudImageState, StartedCopy, copy_description, not_found_on_cloud};
use crate::images::is_ami_id;
use crate::images::{CloudPlatform, Image, wire_name};

/// The SDK's crates, for a caller that configures [`Ec2::new`] itself (the tests point it at
/// moto with dummy credentials this way).
pub use {aws_config, aws_sdk_ec2};

/// How [`Ec2`] calls EC2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ec2Options {
    /// The longest one call may take, retries included; past it the client gets
    /// `503 ServiceUnavailable`. Connecting gets a fifth of it.
    pub timeout: Duration,
    /// Attempts per call (the SDK's standard retries, with backoff, for throttling and
    /// transient errors).
    pub attempts: u32,
}

impl Default for Ec2Options {
    fn default() -> Self {
        Self { timeout: Duration::from_secs(20), attempts: 3 }
    }
}

/// EC2 through the AWS SDK: copies with `CopyImage`, finds images with `DescribeImages`,
/// deletes them with `DeregisterImage`, and follows copies with `DescribeImages`.
pub struct Ec2 {
    config: aws_config::SdkConfig,
    options: Ec2Options,
    /// One client per region, made on first use (they share the configuration's HTTP client and
    /// credentials cache).
    clients: Mutex<HashMap<String, Client>>,
}

impl std::fmt::Debug for Ec2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ec2").field("options", &self.options).finish_non_exhaustive()
    }
}

impl Ec2 {
    /// EC2 as the SDK's standard chain configures it: the environment, the profiles, the
    /// instance's role. The chain's own region is not used (each call names its region), so
    /// none is looked up.
    pub async fn from_env(options: Ec2Options) -> Self {
        let config =
            aws_config::defaults(BehaviorVersion::latest()).region(Region::from_static("us-east-1")).load().await;
        Self::new(config, options)
    }

    /// EC2 as `config` says (credentials, endpoint, HTTP client), with `options`' time limit and
    /// attempts.
    pub fn new(config: aws_config::SdkConfig, options: Ec2Options) -> Self {
        Self { config, options, clients: Mutex::new(HashMap::new()) }
    }

    /// The client of `region`.
    fn client(&self, region: &str) -> Client {
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        let client = clients.entry(region.to_owned()).or_insert_with(|| {
            let timeouts = TimeoutConfig::builder()
                .connect_timeout(self.options.timeout / 5)
                .operation_attempt_timeout(self.options.timeout)
                .operation_timeout(self.options.timeout)
                .build();
            let config = aws_sdk_ec2::config::Builder::from(&self.config)
                .region(Region::new(region.to_owned()))
                .timeout_config(timeouts)
                .retry_config(RetryConfig::standard().with_max_attempts(self.options.attempts.max(1)))
                .build();
            Client::from_conf(config)
        });
        client.clone()
    }

    /// The image `cloud_image_id` of `region`, as `DescribeImages` shows it; `None` when EC2
    /// does not know it there.
    async fn describe(
        &self,
        region: &str,
        cloud_image_id: &str,
    ) -> Result<Option<aws_sdk_ec2::types::Image>, CloudError> {
        let described = self.client(region).describe_images().image_ids(cloud_image_id).send().await;
        match described {
            Ok(output) => Ok(output.images().iter().find(|image| image.image_id() == Some(cloud_image_id)).cloned()),
            Err(error) => match classify(error, "DescribeImages", cloud_image_id, region) {
                CloudError::NotFound(_) => Ok(None),
                other => Err(other),
            },
        }
    }

    async fn copy(&self, source: &Image, region: &str) -> Result<StartedCopy, CloudError> {
        let from = location(source, "copy")?;
        let id = &source.cloud_image_id;
        // The source is read again first, as Scalr did: one deregistered behind the server's
        // back answers 409, not whatever CopyImage would say.
        if self.describe(from, id).await?.is_none() {
            return Err(not_found_on_cloud(id, from));
        }
        let copied = self
            .client(region)
            .copy_image()
            .source_region(from)
            .source_image_id(id)
            .name(&source.name)
            .description(copy_description(source))
            .send()
            .await
            .map_err(|error| classify(error, "CopyImage", id, from))?;
        let copy = copied.image_id().filter(|copy| !copy.is_empty());
        let cloud_image_id = copy
            .map(str::to_owned)
            .ok_or_else(|| CloudError::Failed("CopyImage answered without an image id".to_owned()))?;
        // EC2 answers at once and makes the copy later: it is followed until it is available.
        Ok(StartedCopy { cloud_image_id, state: CloudImageState::Pending })
    }

    async fn exists(&self, image: &Image) -> Result<bool, CloudError> {
        let region = location(image, "find")?;
        // Not an AMI id at all: refused as the simulated cloud refuses it (400), without a call.
        if !is_ami_id(&image.cloud_image_id) {
            return Ok(false);
        }
        match self.describe(region, &image.cloud_image_id).await? {
            Some(found) => Ok(found.state() == Some(&ImageState::Available)),
            None => Err(not_found_on_cloud(&image.cloud_image_id, region)),
        }
    }

    async fn deregister(&self, image: &Image) -> Result<(), CloudError> {
        let region = location(image, "delete")?;
        let id = &image.cloud_image_id;
        self.client(region)
            .deregister_image()
            .image_id(id)
            .send()
            .await
            .map(drop)
            .map_err(|error| classify(error, "DeregisterImage", id, region))
    }

    async fn state(&self, image: &Image) -> Result<CloudImageState, CloudError> {
        let region = location(image, "follow")?;
        let Some(found) = self.describe(region, &image.cloud_image_id).await? else {
            return Err(not_found_on_cloud(&image.cloud_image_id, region));
        };
        Ok(match found.state() {
            Some(ImageState::Pending) | None => CloudImageState::Pending,
            Some(ImageState::Available) => CloudImageState::Available,
            Some(other) => {
                let reason = found.state_reason().and_then(|reason| reason.message()).filter(|why| !why.is_empty());
                CloudImageState::Failed(match reason {
                    Some(why) => format!("EC2 says the image is {}: {why}", other.as_str()),
                    None => format!("EC2 says the image is {}.", other.as_str()),
                })
            }
        })
    }
}

impl Cloud for Ec2 {
    fn copy_image<'a>(&'a self, source: &'a Image, region: &'a str) -> BoxFuture<'a, Result<StartedCopy, CloudError>> {
        self.copy(source, region).boxed()
    }

    fn image_exists<'a>(&'a self, image: &'a Image) -> BoxFuture<'a, Result<bool, CloudError>> {
        self.exists(image).boxed()
    }

    fn delete_image<'a>(&'a self, image: &'a Image) -> BoxFuture<'a, Result<(), CloudError>> {
        self.deregister(image).boxed()
    }

    fn image_state<'a>(&'a self, image: &'a Image) -> BoxFuture<'a, Result<CloudImageState, CloudError>> {
        self.state(image).boxed()
    }
}

/// The region of `image`, an EC2 image: `501 NotImplemented` for another cloud (as the simulated
/// one answers), `409 ObjectNotFoundOnCloud` for an EC2 image without a region.
fn location<'a>(image: &'a Image, operation: &str) -> Result<&'a str, CloudError> {
    if image.cloud_platform != CloudPlatform::Ec2 {
        let platform = wire_name(&image.cloud_platform);
        return Err(CloudError::NotSupported(format!(
            "This server cannot {operation} images on the {platform} cloud."
        )));
    }
    image.cloud_location.as_deref().ok_or_else(|| not_found_on_cloud(&image.cloud_image_id, "no region"))
}

/// EC2's codes for an image it does not have (or no longer has) where it was asked.
const NOT_FOUND: &[&str] = &["InvalidAMIID.NotFound", "InvalidAMIID.Unavailable", "InvalidAMIID.Malformed"];

/// EC2's codes for "slow down" and "try again": the client gets a 503 to retry.
const TRANSIENT: &[&str] = &[
    "RequestLimitExceeded",
    "Throttling",
    "ThrottlingException",
    "RequestThrottled",
    "ServiceUnavailable",
    "Unavailable",
    "InternalError",
    "InternalFailure",
];

/// The kind of failure `error` of `operation` on `cloud_image_id` in `region` is. The SDK's whole
/// error goes into the detail of the kinds that are logged (503 and 500); the 409s name only what
/// the client sent.
fn classify<E>(error: SdkError<E>, operation: &str, cloud_image_id: &str, region: &str) -> CloudError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let detail = || format!("{operation} in {region}: {}", DisplayErrorContext(&error));
    match &error {
        SdkError::TimeoutError(_) => CloudError::Unavailable(detail()),
        SdkError::DispatchFailure(failure) if failure.is_io() || failure.is_timeout() => {
            CloudError::Unavailable(detail())
        }
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or_default();
            if NOT_FOUND.contains(&code) {
                not_found_on_cloud(cloud_image_id, region)
            } else if code == "InvalidAMIName.Duplicate" {
                CloudError::Duplicate(format!("An image of this name exists in {region} already."))
            } else if TRANSIENT.contains(&code) || service.raw().status().as_u16() == 503 {
                CloudError::Unavailable(detail())
            } else {
                CloudError::Failed(detail())
            }
        }
        _ => CloudError::Failed(detail()),
    }
}
