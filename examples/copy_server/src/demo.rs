//! What a new database starts with: the demo environment, its images and a role, and the API key
//! of its user.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use scalr_endpoints::EnvId;
use scalr_endpoints::auth::{ApiKey, Secret, User};
use uuid::Uuid;

use crate::images::{Architecture, CloudPlatform, Image, ImageId, ImageScope, ImageSource, ImageStatus, OsRef};
use crate::store::{Directory, Environment, Role, Seed};

/// The demo environment's id.
pub const DEMO_ENV: u64 = 1;

/// The demo user's id.
pub const DEMO_USER: &str = "demo@example.com";

/// The permission the actions that change images require.
pub const MANAGE_IMAGES: &str = "images:manage";

/// The role of the demo environment, which uses the `centos-7-web` image: deleting that image is
/// refused while the role uses it.
pub const DEMO_ROLE: &str = "web-frontend";

/// One demo image: the fields that vary between them.
struct DemoImage {
    id: &'static str,
    name: &'static str,
    region: &'static str,
    os: &'static str,
    architecture: Architecture,
    size: u32,
    image_type: &'static str,
    scalr_agent_installed: bool,
    cloud_init_installed: bool,
    deprecated: bool,
    status: ImageStatus,
    scope: ImageScope,
}

/// The demo images, oldest first, one minute apart: all EC2, in different regions.
const IMAGES: &[DemoImage] = &[
    DemoImage {
        id: "3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c",
        name: "ubuntu-22-04-base",
        region: "us-east-1",
        os: "ubuntu-22-04",
        architecture: Architecture::X86_64,
        size: 8,
        image_type: "ebs-hvm",
        scalr_agent_installed: true,
        cloud_init_installed: true,
        deprecated: false,
        status: ImageStatus::Active,
        scope: ImageScope::Environment,
    },
    DemoImage {
        id: "8b1e6d2f-4c3a-4f9e-8d7c-6b5a4e3d2c1b",
        name: "centos-7-web",
        region: "eu-west-1",
        os: "centos-7",
        architecture: Architecture::X86_64,
        size: 10,
        image_type: "ebs-hvm",
        scalr_agent_installed: true,
        cloud_init_installed: false,
        deprecated: false,
        status: ImageStatus::Active,
        scope: ImageScope::Environment,
    },
    DemoImage {
        id: "c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f",
        name: "amazon-linux-2-db",
        region: "ap-southeast-2",
        os: "amazon-linux-2",
        architecture: Architecture::X86_64,
        size: 12,
        image_type: "ebs-hvm",
        scalr_agent_installed: true,
        cloud_init_installed: true,
        deprecated: false,
        status: ImageStatus::Active,
        scope: ImageScope::Environment,
    },
    DemoImage {
        id: "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d",
        name: "legacy-build-2019",
        region: "us-west-2",
        os: "centos-7",
        architecture: Architecture::X86_64,
        size: 14,
        image_type: "ebs",
        scalr_agent_installed: true,
        cloud_init_installed: false,
        deprecated: false,
        status: ImageStatus::PendingDelete,
        scope: ImageScope::Environment,
    },
    DemoImage {
        id: "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716",
        name: "scalr-ubuntu-shared",
        region: "us-east-1",
        os: "ubuntu-22-04",
        architecture: Architecture::X86_64,
        size: 16,
        image_type: "ebs-hvm",
        scalr_agent_installed: true,
        cloud_init_installed: true,
        deprecated: false,
        status: ImageStatus::Active,
        scope: ImageScope::Scalr,
    },
    DemoImage {
        id: "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b",
        name: "debian-12-worker",
        region: "eu-central-1",
        os: "debian-12",
        architecture: Architecture::X86_64,
        size: 8,
        image_type: "ebs",
        scalr_agent_installed: false,
        cloud_init_installed: true,
        deprecated: false,
        status: ImageStatus::Active,
        scope: ImageScope::Environment,
    },
    DemoImage {
        id: "7c6b5a49-3827-4e16-9f0e-d1c2b3a4f5e6",
        name: "ubuntu-16-04-i386",
        region: "ap-northeast-1",
        os: "ubuntu-16-04",
        architecture: Architecture::I386,
        size: 8,
        image_type: "instance-store",
        scalr_agent_installed: true,
        cloud_init_installed: false,
        deprecated: true,
        status: ImageStatus::Active,
        scope: ImageScope::Environment,
    },
];

/// What a new database holds: the demo environment (EC2 enabled), its images and role, and
/// `key` when given.
pub fn seed(key: Option<ApiKey>) -> Seed {
    let environment = Environment { id: demo_env(), name: "demo".to_owned(), platforms: vec![CloudPlatform::Ec2] };
    let directory = Directory { environments: vec![environment], keys: key.into_iter().collect() };
    let images: Vec<Image> = IMAGES.iter().enumerate().map(|(index, demo)| demo.image(index)).collect();
    // The role uses the second image, centos-7-web.
    let role = Role { env: demo_env(), name: DEMO_ROLE.to_owned(), image: images[1].id };
    let images = images
        .into_iter()
        .map(|image| ((image.scope == ImageScope::Environment).then_some(demo_env()), image))
        .collect();
    Seed { directory, images, roles: vec![role] }
}

impl DemoImage {
    /// The image, the `index`th of the list.
    fn image(&self, index: usize) -> Image {
        let first_added: DateTime<Utc> = "2026-11-01T09:00:00Z".parse().expect("a valid date");
        let minutes = i64::try_from(index).expect("a short list");
        Image {
            id: ImageId(Uuid::parse_str(self.id).expect("a valid demo UUID")),
            name: self.name.to_owned(),
            cloud_image_id: format!("ami-0{:016x}", 0x1a2b_3c4d_5e6f_7081_u64 + index as u64),
            cloud_location: Some(self.region.to_owned()),
            cloud_platform: CloudPlatform::Ec2,
            added: first_added + Duration::minutes(minutes),
            last_used: None,
            scalr_agent_installed: self.scalr_agent_installed,
            cloud_init_installed: self.cloud_init_installed,
            architecture: self.architecture,
            size: Some(self.size),
            deprecated: self.deprecated,
            source: ImageSource::Manual,
            status: self.status,
            image_type: Some(self.image_type.to_owned()),
            status_error: None,
            scope: self.scope,
            os: OsRef { id: self.os.to_owned() },
        }
    }
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

/// The demo environment's id.
pub fn demo_env() -> EnvId {
    EnvId::new(DEMO_ENV).expect("the demo environment id is positive")
}
