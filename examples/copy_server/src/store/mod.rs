//! Where the server keeps environments, API keys and images: the [`Store`] trait the actions use,
//! [`SqliteStore`], its embedded SQLite implementation (the default), and [`PostgresStore`], on a
//! PostgreSQL database that several instances of the server share.

mod pool;
mod postgres;
mod queries;
mod schema;
mod sqlite;
mod writer;

use std::error::Error;
use std::fmt;

use futures_util::future::BoxFuture;
use scalr_endpoints::auth::{ApiKey, DynKeyStore, MemoryKeyStore, Minute};
use scalr_endpoints::{ApiError, EnvId, ErrorCode, Filters, Page, Paging};

use crate::images::{Architecture, CloudPlatform, Image, ImageId, ImageScope, ImageSource, ImageStatus};

pub use postgres::{PostgresOptions, PostgresStore};
pub use sqlite::{SqliteOptions, SqliteStore};

/// The environments, API keys and images of the server, for the actions and for authentication
/// (every store is a key store: [`DynKeyStore`], so that `Arc<dyn Store>` can authenticate).
///
/// Methods are asynchronous so that a store may wait for a database without holding up the
/// server; a store that is busy or cannot be reached answers [`StoreError::Unavailable`].
pub trait Store: DynKeyStore + Send + Sync + 'static {
    /// Writes `seed` in one transaction if the store holds no environment yet (a first start);
    /// whether it did.
    fn seed(&self, seed: Seed) -> BoxFuture<'_, Result<bool, StoreError>>;

    /// Adds the environments of `directory` that are missing, and adds or replaces its users and
    /// keys: importing the same directory twice leaves the store as importing it once.
    fn import(&self, directory: Directory) -> BoxFuture<'_, Result<(), StoreError>>;

    /// The cloud platforms enabled in environment `env`.
    fn enabled_platforms(&self, env: EnvId) -> BoxFuture<'_, Result<Vec<CloudPlatform>, StoreError>>;

    /// The page `paging` of the images environment `env` sees (its own, and those of the account
    /// and Scalr scopes) that match `filter`, oldest first.
    fn list_images(
        &self,
        env: EnvId,
        filter: ImageFilter,
        paging: Paging,
    ) -> BoxFuture<'_, Result<Page<Image>, StoreError>>;

    /// The image `id`, if environment `env` sees it.
    fn find_image(&self, env: EnvId, id: ImageId) -> BoxFuture<'_, Result<Option<Image>, StoreError>>;

    /// Adds `image`, owned by environment `owner` (`None` for images outside the environment
    /// scope), unless `owner` already holds the same cloud image in the same location.
    fn insert_image(&self, owner: Option<EnvId>, image: Image) -> BoxFuture<'_, Result<Insertion, StoreError>>;

    /// Adds `image`, a copy the cloud is still making, owned by environment `owner`, as
    /// [`Store::insert_image`] does; it is listed in [`Store::pending_copies`] until
    /// [`Store::settle_copy`]. The mark is kept with the image, so that a restart resumes
    /// following it.
    fn insert_copy(&self, owner: EnvId, image: Image) -> BoxFuture<'_, Result<Insertion, StoreError>>;

    /// Every image whose copy the cloud is still making, whichever environment owns it, oldest
    /// first.
    fn pending_copies(&self) -> BoxFuture<'_, Result<Vec<Image>, StoreError>>;

    /// Ends the copy of image `id`: available (`failure` is `None`), or failed, when the image
    /// becomes `failed` (unless it awaits deletion) with `failure` as its `statusError`. Whether
    /// the copy was still pending (a copy forgotten meanwhile is not).
    fn settle_copy(&self, id: ImageId, failure: Option<String>) -> BoxFuture<'_, Result<bool, StoreError>>;

    /// Renames image `id` of environment `env`; the renamed image, or `None` when `env` owns no
    /// such image awaiting no deletion.
    fn rename_image(&self, env: EnvId, id: ImageId, name: String) -> BoxFuture<'_, Result<Option<Image>, StoreError>>;

    /// The names of the roles that use image `id`: while there is one, the image is in use.
    fn roles_using(&self, id: ImageId) -> BoxFuture<'_, Result<Vec<String>, StoreError>>;

    /// Removes image `id` of environment `env` as `removal` says, unless it is in use.
    fn remove_image(&self, env: EnvId, id: ImageId, removal: Removal) -> BoxFuture<'_, Result<Removed, StoreError>>;

    /// Adds one request of API key `key_id` in `minute`; how many requests the key has made in
    /// that minute, this one included, on every instance that shares the store: the count the
    /// rate limit checks.
    fn count_request<'a>(&'a self, key_id: &'a str, minute: Minute) -> BoxFuture<'a, Result<u64, StoreError>>;
}

/// What a store writes on a first start: environments and keys, images, and the roles that use
/// some of them.
#[derive(Debug, Clone)]
pub struct Seed {
    /// The environments, users and keys.
    pub directory: Directory,
    /// The images, each with the environment that owns it (`None` outside the environment
    /// scope).
    pub images: Vec<(Option<EnvId>, Image)>,
    /// The roles.
    pub roles: Vec<Role>,
}

/// Environments, and API keys with their users: a key file's, or the demo's.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// The environments.
    pub environments: Vec<Environment>,
    /// The keys, each with its user.
    pub keys: Vec<ApiKey>,
}

impl Directory {
    /// What a key file holds. Its environments have no cloud platforms of their own: those it adds
    /// get EC2 enabled, the cloud this server knows.
    pub fn from_key_file(keys: &MemoryKeyStore) -> Self {
        let environments = keys
            .environments()
            .map(|id| Environment { id, name: format!("environment-{id}"), platforms: vec![CloudPlatform::Ec2] })
            .collect();
        Self { environments, keys: keys.keys().cloned().collect() }
    }
}

/// An environment and the cloud platforms enabled in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// Its id.
    pub id: EnvId,
    /// Its name.
    pub name: String,
    /// The cloud platforms its images may live on.
    pub platforms: Vec<CloudPlatform>,
}

/// A role of an environment, which launches servers from one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// The environment.
    pub env: EnvId,
    /// Its name.
    pub name: String,
    /// The image it uses.
    pub image: ImageId,
}

/// Defines [`ImageFilter`] from the one table of the Image's filterable properties below: each
/// property's field, the type its value is read as, and its name on the wire. Nothing else
/// spells them out: [`Image`]'s `FILTERABLE` (what the spec publishes as `x-filterable` and what
/// list requests are checked against) is [`ImageFilter::PROPERTIES`], the list action reads the
/// filters with [`ImageFilter::from_filters`], and the store's query destructures the struct, so
/// a property added here without a column does not compile.
macro_rules! image_filter {
    ($($(#[doc = $doc:literal])* $field:ident: $value:ty = $wire:literal,)*) => {
        /// The filters of a list of images, one per filterable property; each set one must match.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct ImageFilter {
            $($(#[doc = $doc])* pub $field: Option<$value>,)*
        }

        impl ImageFilter {
            /// The filterable properties by their names on the wire, in the order Scalr lists
            /// them when it refuses another one.
            pub const PROPERTIES: &'static [&'static str] = &[$($wire),*];

            /// The filters a list request sent, each read as its property's value (else
            /// `400 InvalidValue`, naming the filter).
            pub fn from_filters(filters: &Filters<Image>) -> Result<Self, ApiError> {
                Ok(Self { $($field: filters.get($wire)?,)* })
            }
        }
    };
}

image_filter! {
    /// The image's id.
    id: ImageId = "id",
    /// The name.
    name: String = "name",
    /// The scope.
    scope: ImageScope = "scope",
    /// The operating system's id.
    os: String = "os",
    /// The cloud.
    cloud_platform: CloudPlatform = "cloudPlatform",
    /// The region.
    cloud_location: String = "cloudLocation",
    /// The id on the cloud.
    cloud_image_id: String = "cloudImageId",
    /// The architecture.
    architecture: Architecture = "architecture",
    /// The source.
    source: ImageSource = "source",
    /// The status.
    status: ImageStatus = "status",
    /// Whether the image is deprecated.
    deprecated: bool = "deprecated",
    /// Whether the Scalr agent is installed.
    scalr_agent_installed: bool = "scalrAgentInstalled",
    /// Whether cloud-init is installed.
    cloud_init_installed: bool = "cloudInitInstalled",
}

/// Whether an image was added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Insertion {
    /// It was.
    Added,
    /// The environment already holds the same cloud image in the same location.
    AlreadyRegistered,
}

/// How an image is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Forgotten at once; the cloud keeps it.
    Forget,
    /// Marked `pending_delete` while the cloud deletes it. The mark is the claim: of two deletes
    /// racing, only the one that marks asks the cloud.
    MarkPendingDelete,
    /// The mark taken back, with the status the image had, when the cloud refused to delete.
    Unmark(ImageStatus),
    /// The marked image forgotten, once its cloud has deleted it.
    ForgetMarked,
}

/// What became of an image to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// It is removed (or marked).
    Done,
    /// These roles use it, so it stays.
    InUse(Vec<String>),
    /// The environment owns no such image awaiting no deletion.
    NotFound,
}

/// Why a store could not answer. Messages are logged, never sent: they hold no secret.
#[derive(Debug)]
pub enum StoreError {
    /// The store is busy or cannot be reached for now; a retry may succeed
    /// (`503 ServiceUnavailable`).
    Unavailable(Box<dyn Error + Send + Sync>),
    /// The store failed (`500 InternalServerError`).
    Failed(Box<dyn Error + Send + Sync>),
}

impl StoreError {
    /// The same kind of error with the same text, for each of the several writes one failed
    /// commit answers.
    pub(crate) fn shared(&self) -> StoreError {
        match self {
            StoreError::Unavailable(why) => StoreError::Unavailable(why.to_string().into()),
            StoreError::Failed(why) => StoreError::Failed(why.to_string().into()),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(why) => write!(f, "the store is unavailable: {why}"),
            StoreError::Failed(why) => write!(f, "the store failed: {why}"),
        }
    }
}

impl Error for StoreError {}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(_) => {
                tracing::warn!(%error, "answering 503");
                ApiError::new(ErrorCode::ServiceUnavailable, "The image store is busy; try again later.")
            }
            StoreError::Failed(_) => ApiError::internal(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ImageFilter;
    use crate::images::Image;

    /// The table of filters names each property as the Image's schema does, so that a client
    /// filters on the names it reads.
    #[test]
    fn each_filterable_property_is_a_property_of_the_image() {
        let schema = schemars::schema_for!(Image);
        let properties = schema.get("properties").and_then(serde_json::Value::as_object).expect("properties");
        for property in ImageFilter::PROPERTIES {
            assert!(properties.contains_key(*property), "{property} is not a property of the Image");
        }
    }
}
