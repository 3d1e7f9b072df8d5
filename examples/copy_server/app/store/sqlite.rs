//! [`SqliteStore`]: the store in one SQLite database file, in WAL mode.

use std::fs::OpenOptions;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::future::{BoxFuture, FutureExt};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use scalr_endpoints::auth::{ApiKey, KeyStore, KeyStoreError};
use scalr_endpoints::{EnvId, Page, Paging};

use super::super::images::{CloudPlatform, Image, ImageId};
use super::pool::Pool;
use super::{Directory, ImageFilter, Insertion, Removal, Removed, Seed, Store, StoreError, queries, schema};

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
/// Writes go through one connection, in turn: SQLite allows one writer at a time, and queueing
/// for our own connection is fair and free where contending for SQLite's lock means sleeping
/// and retrying. Each write is one transaction. Reads run on a few connections of their own with
/// a snapshot per call; in WAL mode they never wait for the writer. Every call runs on tokio's
/// blocking threads (see [`Pool`]). Authentication, synchronous in the runtime, looks keys up on
/// one more connection: one indexed query that no writer can hold up.
#[derive(Debug)]
pub struct SqliteStore {
    writer: Arc<Pool>,
    readers: Arc<Pool>,
    keys: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens the database at `path`, creating it (readable by its owner only: it holds API keys'
    /// secrets) when it does not exist, and bringing its schema up to date.
    pub async fn open(path: impl Into<PathBuf>, options: SqliteOptions) -> Result<Self, StoreError> {
        let path = path.into();
        tokio::task::spawn_blocking(move || {
            Self::open_now(&path, options).map_err(|error| {
                let detail = format!("cannot open the database {}: {error}", path.display());
                match error {
                    StoreError::Unavailable(_) => StoreError::Unavailable(detail.into()),
                    StoreError::Failed(_) => StoreError::Failed(detail.into()),
                }
            })
        })
        .await
        .map_err(|failed| StoreError::Failed(failed.into()))?
    }

    fn open_now(path: &Path, options: SqliteOptions) -> Result<Self, StoreError> {
        create_private_file(path).map_err(|error| StoreError::Failed(error.into()))?;
        let mut writer = connect(path, options)?;
        schema::migrate(&mut writer)?;
        let readers = (0..options.readers.max(1)).map(|_| connect_reader(path, options)).collect::<Result<_, _>>()?;
        Ok(Self {
            writer: Pool::new("writer", vec![writer], options.wait_limit),
            readers: Pool::new("reader", readers, options.wait_limit),
            keys: Mutex::new(connect_reader(path, options)?),
        })
    }

    /// Runs `work` in a write transaction, committed when it succeeds.
    fn write<T, F>(&self, work: F) -> BoxFuture<'static, Result<T, StoreError>>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> rusqlite::Result<T> + Send + 'static,
    {
        let writer = Arc::clone(&self.writer);
        async move {
            writer
                .run(|connection| {
                    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let value = work(&transaction)?;
                    transaction.commit()?;
                    Ok(value)
                })
                .await
        }
        .boxed()
    }

    /// Runs `work` on one snapshot of the database.
    fn read<T, F>(&self, work: F) -> BoxFuture<'static, Result<T, StoreError>>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> rusqlite::Result<T> + Send + 'static,
    {
        let readers = Arc::clone(&self.readers);
        async move { readers.run(|connection| Ok(work(&connection.transaction()?)?)).await }.boxed()
    }

    /// Runs an authentication lookup on the keys' connection, in one snapshot.
    fn look_up<T>(&self, work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>) -> Result<T, KeyStoreError> {
        let mut connection = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        let transaction = connection.transaction().map_err(KeyStoreError::new)?;
        work(&transaction).map_err(KeyStoreError::new)
    }
}

impl Store for SqliteStore {
    fn seed(&self, seed: Seed) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |transaction| {
            if queries::has_environments(transaction)? {
                return Ok(false);
            }
            queries::import(transaction, &seed.directory)?;
            for (owner, image) in &seed.images {
                queries::insert_image(transaction, *owner, image)?;
            }
            for role in &seed.roles {
                queries::insert_role(transaction, role)?;
            }
            Ok(true)
        })
    }

    fn import(&self, directory: Directory) -> BoxFuture<'_, Result<(), StoreError>> {
        self.write(move |transaction| queries::import(transaction, &directory))
    }

    fn enabled_platforms(&self, env: EnvId) -> BoxFuture<'_, Result<Vec<CloudPlatform>, StoreError>> {
        self.read(move |transaction| queries::enabled_platforms(transaction, env))
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
        self.write(move |transaction| queries::insert_image(transaction, owner, &image))
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
}

impl KeyStore for SqliteStore {
    fn key(&self, key_id: &str) -> Result<Option<Arc<ApiKey>>, KeyStoreError> {
        self.look_up(|transaction| queries::key(transaction, key_id)).map(|key| key.map(Arc::new))
    }

    fn environment_exists(&self, env_id: EnvId) -> Result<bool, KeyStoreError> {
        self.look_up(|transaction| queries::environment_exists(transaction, env_id))
    }
}

/// Busy and locked databases, a full disk and a file that cannot be opened are conditions a retry
/// may outlive: the store is unavailable. Anything else is a failure.
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
        Err(error) if error.kind() != io::ErrorKind::AlreadyExists => Err(error),
        _ => Ok(()),
    }
}
