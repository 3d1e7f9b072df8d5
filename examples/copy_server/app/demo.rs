//! The demo environment the example starts with, and the API key of its user.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use scalr_endpoints::EnvId;
use scalr_endpoints::auth::{ApiKey, MemoryKeyStore, Secret, User};
use uuid::Uuid;

use super::images::{Architecture, CloudPlatform, Image, ImageId, ImageScope, ImageSource, ImageStatus, OsRef};
use super::store::MemoryStore;

/// The demo environment's id.
pub const DEMO_ENV: u64 = 1;

/// The demo user's id.
pub const DEMO_USER: &str = "demo@example.com";

/// The permission the copy action requires.
pub const MANAGE_IMAGES: &str = "images:manage";

/// The images the demo starts with: name, region, status, scope, id.
const IMAGES: &[(&str, &str, ImageStatus, ImageScope, &str)] = &[
    (
        "ubuntu-22-04-base",
        "us-east-1",
        ImageStatus::Active,
        ImageScope::Environment,
        "3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c",
    ),
    ("centos-7-web", "eu-west-1", ImageStatus::Active, ImageScope::Environment, "8b1e6d2f-4c3a-4f9e-8d7c-6b5a4e3d2c1b"),
    (
        "amazon-linux-2-db",
        "ap-southeast-2",
        ImageStatus::Active,
        ImageScope::Environment,
        "c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f",
    ),
    (
        "legacy-build-2019",
        "us-west-2",
        ImageStatus::PendingDelete,
        ImageScope::Environment,
        "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d",
    ),
    (
        "scalr-ubuntu-shared",
        "us-east-1",
        ImageStatus::Active,
        ImageScope::Scalr,
        "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716",
    ),
];

/// Fills `store` with the demo images and returns them.
pub fn seed(store: &MemoryStore) -> Vec<Image> {
    let env = demo_env();
    let added: DateTime<Utc> = "2026-11-01T09:00:00Z".parse().expect("a valid date");
    IMAGES
        .iter()
        .enumerate()
        .map(|(index, (name, region, status, scope, id))| {
            let image = Image {
                id: ImageId(Uuid::parse_str(id).expect("a valid demo UUID")),
                name: (*name).to_owned(),
                cloud_image_id: format!("ami-0{:016x}", 0x1a2b_3c4d_5e6f_7081_u64 + index as u64),
                cloud_location: Some((*region).to_owned()),
                cloud_platform: CloudPlatform::Ec2,
                added: added + chrono::Duration::minutes(index as i64),
                last_used: None,
                scalr_agent_installed: true,
                cloud_init_installed: index % 2 == 0,
                architecture: Architecture::X86_64,
                size: Some(8 + 2 * index as u32),
                deprecated: false,
                source: ImageSource::Manual,
                status: *status,
                image_type: Some("ebs-hvm".to_owned()),
                status_error: None,
                scope: *scope,
                os: OsRef { id: if index % 2 == 0 { "ubuntu-22-04" } else { "centos-7" }.to_owned() },
            };
            let owner = (*scope == ImageScope::Environment).then_some(env);
            store.insert(owner, image.clone());
            image
        })
        .collect()
}

/// The demo user: it may use the demo environment and manage its images.
pub fn demo_user() -> User {
    User {
        id: DEMO_USER.to_owned(),
        active: true,
        environments: BTreeSet::from([demo_env()]),
        permissions: BTreeSet::from([MANAGE_IMAGES.to_owned()]),
    }
}

/// A fresh key of `user`, with a random id (`APIK` and 16 hex digits, as Scalr's) and a random
/// secret (two random UUIDs' worth of hex digits: 244 random bits).
pub fn new_key(user: User) -> (ApiKey, String) {
    let id = format!("APIK{}", &Uuid::new_v4().simple().to_string()[..16].to_uppercase());
    let secret = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
    (ApiKey { id, secret: Secret::new(secret.clone()), active: true, user }, secret)
}

/// The key store of the demo: the demo environment and `keys`.
pub fn key_store(keys: impl IntoIterator<Item = ApiKey>) -> MemoryKeyStore {
    keys.into_iter().fold(MemoryKeyStore::new().with_environment(demo_env()), MemoryKeyStore::with_key)
}

fn demo_env() -> EnvId {
    EnvId::new(DEMO_ENV).expect("the demo environment id is positive")
}
