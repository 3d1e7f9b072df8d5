//! [`SqliteStore`]: the store in one SQLite database file, in WAL mode.

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};
use std::time::Duration;

use futures_util::future::{BoxFuture, FutureExt};
use rusqlite::{Connection, Transaction};
use scalr_endpoints::auth::{ApiKey, KeyStore, KeyStoreError, MemoryKeyStore, MemoryRateCounter, Minute};
use scalr_endpoints::{EnvId, Page, Paging};

use super::pool::Pool;
use super::writer::Writer;
use super::{Directory, ImageFilter, Insertion, Removal, Removed, Seed, Store, StoreError, queries, schema};
use crate::images::{CloudPlatform, Image, ImageId};

/// How a [`SqliteStore`] uses its database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqliteOptions {
    /// Connections for reads, which run side by side.
    pub readers: usize,
    /// How long a call waits for a connection, or for another process's lock on the database,
    /// before the store answers busy (`503 ServiceUnavailable`).
    pub wait_limit: Duration,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self { readers: 4, wait_limit: Duration::from_secs(5) }
    }
}

/// The store in one SQLite database file.
///
/// Writes go through one connection, owned by a thread of its own (`store::writer`): SQLite allows
/// one writer at a time, and queueing for our own connection is fair and free where contending
/// for SQLite's lock means sleeping and retrying. The writes queued together share one
/// transaction, each in a savepoint of its own, and each is answered once that is committed.
/// Reads run on a few connections of their own with a snapshot per call; in WAL mode they never
/// wait for the writer. They run on tokio's blocking threads (`store::pool`), on a runtime with
/// the time driver enabled (calls wait with a time limit).
///
/// Authentication is synchronous in the runtime and runs on the async threads, so it reads no
/// file: it answers from the environments and keys read from the database when the store opens,
/// read again by every write that changes them ([`Store::seed`], [`Store::import`]). The
/// environments' enabled platforms, which every copy checks, are kept with them, so that a copy
/// takes one trip to a reader rather than two. Keys and platforms that another process writes
/// into the file count from the next start.
#[derive(Debug)]
pub struct SqliteStore {
    writer: Arc<Writer>,
    readers: Arc<Pool>,
    directory: Arc<RwLock<KnownDirectory>>,
    /// The rate limit's counts: in memory, as one process serves a database file.
    counts: MemoryRateCounter,
}

impl SqliteStore {
    /// Opens the database at `path`, creating it (readable by its owner only: it holds API keys'
    /// secrets) when it does not exist, and bringing its schema up to date.
    pub async fn open(path: impl Into<PathBuf>, options: SqliteOptions) -> Result<Self, StoreError> {
        let path = path.into();
        tokio::task::spawn_blocking(move || {
            let in_path = |why| format!("cannot open the database {}: {why}", path.display()).into();
            Self::open_now(&path, options).map_err(|error| match error {
                StoreError::Unavailable(why) => StoreError::Unavailable(in_path(why)),
                StoreError::Failed(why) => StoreError::Failed(in_path(why)),
            })
        })
        .await
        .map_err(|failed| StoreError::Failed(failed.into()))?
    }

    fn open_now(path: &Path, options: SqliteOptions) -> Result<Self, StoreError> {
        create_private_file(path).map_err(|error| StoreError::Failed(error.into()))?;
        let mut writer = connect(path, options)?;
        schema::migrate(&mut writer)?;
        let directory = Arc::new(RwLock::new(KnownDirectory::read(&writer)?));
        let readers = (0..options.readers.max(1)).map(|_| connect_reader(path, options)).collect::<Result<_, _>>()?;
        Ok(Self {
            writer: Arc::new(
                Writer::start(writer, options.wait_limit).map_err(|error| StoreError::Failed(error.into()))?,
            ),
            readers: Pool::new("reader", readers, options.wait_limit),
            directory,
            counts: MemoryRateCounter::new(),
        })
    }

    /// Runs `work` in the writer's next transaction; answered once that is committed.
    fn write<T, F>(&self, work: F) -> BoxFuture<'static, Result<T, StoreError>>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let writer = Arc::clone(&self.writer);
        async move { writer.write(|connection| Ok(work(connection)?)).await }.boxed()
    }

    /// A write that changes environments or keys: they are read again in the same transaction,
    /// and the reading replaces the one kept in memory once that is committed, on the writer's
    /// thread, so that two such writes cannot swap their readings.
    fn write_keys<T, F>(&self, work: F) -> BoxFuture<'static, Result<T, StoreError>>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let (writer, directory) = (Arc::clone(&self.writer), Arc::clone(&self.directory));
        async move {
            let read_again = move |connection: &Connection| {
                let value = work(connection)?;
                Ok((value, KnownDirectory::read(connection)?))
            };
            let replace = move |(value, fresh)| {
                *directory.write().unwrap_or_else(PoisonError::into_inner) = fresh;
                value
            };
            writer.write_then(read_again, replace).await
        }
        .boxed()
    }

    /// The environments, keys and platforms as the last write that changed them left them.
    fn known(&self) -> RwLockReadGuard<'_, KnownDirectory> {
        self.directory.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn read<T, F>(&self, work: F) -> BoxFuture<'static, Result<T, StoreError>>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> rusqlite::Result<T> + Send + 'static,
    {
        let readers = Arc::clone(&self.readers);
        async move { readers.run(|connection| Ok(work(&connection.transaction()?)?)).await }.boxed()
    }
}

impl Store for SqliteStore {
    fn seed(&self, seed: Seed) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write_keys(move |transaction| {
            if queries::has_environments(transaction)? {
                return Ok(false);
            }
            queries::import(transaction, &seed.directory)?;
            for (owner, image) in &seed.images {
                queries::insert_image(transaction, *owner, image, false)?;
            }
            for role in &seed.roles {
                queries::insert_role(transaction, role)?;
            }
            Ok(true)
        })
    }

    fn import(&self, directory: Directory) -> BoxFuture<'_, Result<(), StoreError>> {
        self.write_keys(move |transaction| queries::import(transaction, &directory))
    }

    fn enabled_platforms(&self, env: EnvId) -> BoxFuture<'_, Result<Vec<CloudPlatform>, StoreError>> {
        let platforms = self.known().platforms.get(&env).cloned().unwrap_or_default();
        async move { Ok(platforms) }.boxed()
    }

    fn list_images(
        &self,
        env: EnvId,
        filter: ImageFilter,
        paging: Paging,
    ) -> BoxFuture<'_, Result<Page<Image>, StoreError>> {
        self.read(move |transaction| queries::list_images(transaction, env, &filter, paging))
    }

    fn find_image(&self, env: EnvId, id: ImageId) -> BoxFuture<'_, Result<Option<Image>, StoreError>> {
        self.read(move |transaction| queries::find_image(transaction, env, id))
    }

    fn insert_image(&self, owner: Option<EnvId>, image: Image) -> BoxFuture<'_, Result<Insertion, StoreError>> {
        self.write(move |transaction| queries::insert_image(transaction, owner, &image, false))
    }

    fn insert_copy(&self, owner: EnvId, image: Image) -> BoxFuture<'_, Result<Insertion, StoreError>> {
        self.write(move |transaction| queries::insert_image(transaction, Some(owner), &image, true))
    }

    fn pending_copies(&self) -> BoxFuture<'_, Result<Vec<Image>, StoreError>> {
        self.read(|transaction| queries::pending_copies(transaction))
    }

    fn settle_copy(&self, id: ImageId, failure: Option<String>) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |transaction| queries::settle_copy(transaction, id, failure.as_deref()))
    }

    fn rename_image(&self, env: EnvId, id: ImageId, name: String) -> BoxFuture<'_, Result<Option<Image>, StoreError>> {
        self.write(move |transaction| queries::rename_image(transaction, env, id, &name))
    }

    fn roles_using(&self, id: ImageId) -> BoxFuture<'_, Result<Vec<String>, StoreError>> {
        self.read(move |transaction| queries::roles_using(transaction, id))
    }

    fn remove_image(&self, env: EnvId, id: ImageId, removal: Removal) -> BoxFuture<'_, Result<Removed, StoreError>> {
        self.write(move |transaction| queries::remove_image(transaction, env, id, removal))
    }

    fn count_request<'a>(&'a self, key_id: &'a str, minute: Minute) -> BoxFuture<'a, Result<u64, StoreError>> {
        let count = self.counts.add(key_id, minute);
        async move { Ok(count) }.boxed()
    }
}

impl KeyStore for SqliteStore {
    async fn key(&self, key_id: &str) -> Result<Option<Arc<ApiKey>>, KeyStoreError> {
        Ok(self.known().keys.get(key_id))
    }

    async fn environment_exists(&self, env_id: EnvId) -> Result<bool, KeyStoreError> {
        Ok(self.known().keys.has_environment(env_id))
    }
}

/// The part of the database the store answers from memory.
#[derive(Debug)]
struct KnownDirectory {
    /// The environments and the keys, for authentication.
    keys: MemoryKeyStore,
    /// The platforms enabled in each environment that has any.
    platforms: HashMap<EnvId, Vec<CloudPlatform>>,
}

impl KnownDirectory {
    fn read(connection: &Connection) -> rusqlite::Result<Self> {
        Ok(Self { keys: queries::key_store(connection)?, platforms: queries::enabled_platforms(connection)? })
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{CannotOpen, DatabaseBusy, DatabaseLocked, DiskFull};
        match error.sqlite_error_code() {
            Some(DatabaseBusy | DatabaseLocked | DiskFull | CannotOpen) => StoreError::Unavailable(Box::new(error)),
            _ => StoreError::Failed(Box::new(error)),
        }
    }
}

/// A connection for writes.
fn connect(path: &Path, options: SqliteOptions) -> Result<Connection, StoreError> {
    let connection = Connection::open(path)?;
    schema::configure(&connection, options.wait_limit)?;
    Ok(connection)
}

/// A connection that refuses to write, for reads.
fn connect_reader(path: &Path, options: SqliteOptions) -> Result<Connection, StoreError> {
    let connection = connect(path, options)?;
    connection.pragma_update(None, "query_only", true)?;
    Ok(connection)
}

/// Creates an empty database file only its owner may read, unless the file exists.
fn create_private_file(path: &Path) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            warn_if_others_can_read(path);
            Ok(())
        }
        Err(error) => Err(error),
        Ok(_) => Ok(()),
    }
}

/// An existing database that users other than its owner can read would show them the API keys'
/// secrets (the demo key's too, written on a first start): say so, with the fix.
fn warn_if_others_can_read(path: &Path) {
    #[cfg(unix)]
    if let Ok(metadata) = std::fs::metadata(path) {
        let mode = std::os::unix::fs::PermissionsExt::mode(&metadata.permissions());
        if mode & 0o077 != 0 {
            tracing::warn!(
                database = %path.display(),
                mode = format!("{:o}", mode & 0o777),
                "the database can be read by other users, and it holds API keys' secrets; run chmod 600 on it"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Environment;

    #[tokio::test]
    async fn platforms_are_answered_as_the_last_write_left_them() {
        let path = std::env::temp_dir().join(format!("scalr-sqlite-platforms-{}.db", std::process::id()));
        // What an earlier run left, and then what this one leaves; absent files are no error.
        let remove = |path: &Path| {
            for end in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{end}", path.display()));
            }
        };
        remove(&path);
        let store = SqliteStore::open(&path, SqliteOptions::default()).await.unwrap();
        let env = EnvId::new(7).unwrap();
        assert_eq!(store.enabled_platforms(env).await.unwrap(), []);
        let seven =
            Environment { id: env, name: "seven".to_owned(), platforms: vec![CloudPlatform::Gce, CloudPlatform::Ec2] };
        store.import(Directory { environments: vec![seven], keys: Vec::new() }).await.unwrap();
        let both = [CloudPlatform::Ec2, CloudPlatform::Gce];
        assert_eq!(store.enabled_platforms(env).await.unwrap(), both);
        drop(store);
        let reopened = SqliteStore::open(&path, SqliteOptions::default()).await.unwrap();
        assert_eq!(reopened.enabled_platforms(env).await.unwrap(), both);
        drop(reopened);
        remove(&path);
    }
}
