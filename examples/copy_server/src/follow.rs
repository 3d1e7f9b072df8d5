//! [`CopyFollower`]: a task of the server that follows each copy until the cloud has made it, so
//! that a client that reads the image again learns whether it failed.
//!
//! A copy answers 201 as soon as the cloud has accepted it (EC2's `CopyImage` returns the new
//! AMI id at once, its state `pending`); the image is stored then, marked pending
//! ([`Store::insert_copy`]). The follower polls the cloud for every image so marked
//! ([`Store::pending_copies`], which a restart reads again: following resumes) and ends each copy
//! with what the cloud says ([`Store::settle_copy`]): available, or `failed` with the cloud's
//! reason as `statusError`. Between polls of one copy it waits longer each time, up to a bound.
//! Instances that share a PostgreSQL database each follow every pending copy: the cloud is asked
//! more often, and a copy ended twice is ended once (`settle_copy` changes only a pending copy).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::cloud::{Cloud, CloudError, CloudImageState};
use crate::images::{Image, ImageId};
use crate::store::Store;

/// How often a [`CopyFollower`] looks for copies, and how its polls of one copy back off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowOptions {
    /// How often the store is read for new pending copies, and the first wait between two polls
    /// of one copy.
    pub scan_every: Duration,
    /// The longest wait between two polls of one copy: the wait doubles up to it.
    pub max_backoff: Duration,
}

impl Default for FollowOptions {
    fn default() -> Self {
        Self { scan_every: Duration::from_secs(2), max_backoff: Duration::from_secs(60) }
    }
}

/// What one pass of [`CopyFollower::check_due`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    /// Copies polled.
    pub polled: usize,
    /// Copies ended (available or failed).
    pub settled: usize,
    /// Copies still pending after the pass.
    pub pending: usize,
}

/// Follows the copies the store marks pending until the cloud says they are available or failed.
pub struct CopyFollower {
    store: Arc<dyn Store>,
    cloud: Arc<dyn Cloud>,
    options: FollowOptions,
    /// When each pending copy is polled next, and the wait after that poll.
    schedule: HashMap<ImageId, (Instant, Duration)>,
}

impl CopyFollower {
    /// A follower of the copies of `store`, asking `cloud`.
    pub fn new(store: Arc<dyn Store>, cloud: Arc<dyn Cloud>, options: FollowOptions) -> Self {
        Self { store, cloud, options, schedule: HashMap::new() }
    }

    /// Runs the follower on a task of its own, until the handle is aborted (or the runtime
    /// stops). Needs tokio's time driver.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.run())
    }

    /// Polls the due copies every [`FollowOptions::scan_every`], forever.
    pub async fn run(mut self) {
        loop {
            self.check_due().await;
            tokio::time::sleep(self.options.scan_every).await;
        }
    }

    /// One pass: reads the pending copies and polls those that are due (a copy not seen before
    /// is due at once). A store or cloud that fails is logged and tried again on a later pass.
    pub async fn check_due(&mut self) -> Pass {
        let pending = match self.store.pending_copies().await {
            Ok(pending) => pending,
            Err(error) => {
                tracing::warn!(%error, "cannot read the pending copies; trying again later");
                return Pass { pending: self.schedule.len(), ..Pass::default() };
            }
        };
        // Copies forgotten or ended elsewhere (another instance on the same database) are no
        // longer followed.
        self.schedule.retain(|id, _| pending.iter().any(|image| image.id == *id));
        let now = Instant::now();
        let mut pass = Pass { pending: pending.len(), ..Pass::default() };
        for image in pending {
            let (due, wait) = *self.schedule.entry(image.id).or_insert((now, self.options.scan_every));
            if due > now {
                continue;
            }
            pass.polled += 1;
            if self.poll(&image).await {
                self.schedule.remove(&image.id);
                pass.settled += 1;
                pass.pending -= 1;
            } else {
                let next = wait.saturating_mul(2).min(self.options.max_backoff);
                self.schedule.insert(image.id, (Instant::now() + wait, next));
            }
        }
        pass
    }

    /// Asks the cloud about `image` and records the end of its copy; whether it ended.
    async fn poll(&self, image: &Image) -> bool {
        let failure = match self.cloud.image_state(image).await {
            Ok(CloudImageState::Pending) => return false,
            Ok(CloudImageState::Available) => None,
            Ok(CloudImageState::Failed(reason)) => Some(reason),
            // Gone before it was ever available: the copy failed.
            Err(CloudError::NotFound(_)) => Some(format!(
                "The copy {} is no longer on the cloud in {}.",
                image.cloud_image_id,
                image.cloud_location.as_deref().unwrap_or("its region")
            )),
            Err(error) => {
                tracing::warn!(image = %image.id, cloud_image_id = %image.cloud_image_id, %error,
                    "cannot read the state of a copy; trying again later");
                return false;
            }
        };
        match self.store.settle_copy(image.id, failure.clone()).await {
            // Ended by another instance, or forgotten meanwhile: nothing to say.
            Ok(false) => true,
            Ok(true) => {
                match &failure {
                    None => tracing::info!(image = %image.id, cloud_image_id = %image.cloud_image_id, "copy available"),
                    Some(reason) => {
                        tracing::warn!(image = %image.id, cloud_image_id = %image.cloud_image_id, %reason, "copy failed")
                    }
                }
                true
            }
            Err(error) => {
                tracing::warn!(image = %image.id, %error, "cannot record the end of a copy; trying again later");
                false
            }
        }
    }
}
