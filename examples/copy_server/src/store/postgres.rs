//! [`PostgresStore`]: the store in a PostgreSQL database, which several identical instances of
//! the server may share behind a load balancer.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use deadpool_postgres::{
    GenericClient, Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime, Transaction,
};
use futures_util::future::{BoxFuture, FutureExt};
use scalr_endpoints::auth::{ApiKey, KeyStore, KeyStoreError, Minute, Secret, User};
use scalr_endpoints::{EnvId, Page, Paging};
use serde::de::{DeserializeOwned, IntoDeserializer};
use tokio_postgres::types::ToSql;
use tokio_postgres::{IsolationLevel, Row};

use super::{Directory, ImageFilter, Insertion, Removal, Removed, Role, Seed, Store, StoreError};
use crate::images::{CloudPlatform, Image, ImageId, ImageStatus, OsRef, wire_name};

// refinery reads `migrations/` when this file compiles: a new migration file needs this file
// rebuilt (`touch`) to be embedded. V2 added `copy_pending`.
refinery::embed_migrations!("migrations");

/// The columns an [`Image`] is read from, in the order [`image`] reads them.
const IMAGE_COLUMNS: &str = "id, name, cloud_image_id, cloud_location, cloud_platform, added, last_used, \
     scalr_agent_installed, cloud_init_installed, architecture, size, deprecated, source, status, type, \
     status_error, scope, os_id";

/// Which images environment `$1` sees: its own, and those outside the environment scope.
const VISIBLE_TO_ENVIRONMENT: &str = "(env_id = $1 OR env_id IS NULL)";

/// The advisory lock that serialises migrations, seeds and imports across instances, so that
/// instances starting together migrate once and seed once.
const DIRECTORY_LOCK: i64 = 0x5ca1_c0de;

/// How a [`PostgresStore`] uses its database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostgresOptions {
    /// Connections of this instance's pool.
    pub connections: usize,
    /// How long a call waits for a connection (or to open one) before the store answers busy
    /// (`503 ServiceUnavailable`).
    pub wait_limit: Duration,
    /// How long a key (or an environment's existence) read for authentication is reused: the
    /// longest a key deactivated in the database keeps working on this instance.
    pub key_cache_expiry: Duration,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        Self { connections: 16, wait_limit: Duration::from_secs(5), key_cache_expiry: Duration::from_millis(500) }
    }
}

/// The store in a PostgreSQL database, through a pool of connections.
///
/// Every write is one transaction; lists read one snapshot. Authentication reads each key from
/// the database, through a cache whose entries expire after
/// [`PostgresOptions::key_cache_expiry`], so that every instance sees a key deactivated or
/// added by another within that time. The rate limit's counts are rows of the database
/// ([`Store::count_request`]): one upsert per request, exact across instances.
pub struct PostgresStore {
    pool: Pool,
    keys: Cache<String, Option<Arc<ApiKey>>>,
    environments: Cache<EnvId, bool>,
    /// The newest minute whose older counts were deleted.
    purged_before: AtomicI64,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").field("pool", &self.pool.status()).finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`, or
    /// libpq's `key=value` form) and brings its schema up to date.
    pub async fn open(url: &str, options: PostgresOptions) -> Result<Self, StoreError> {
        let config: tokio_postgres::Config =
            url.parse().map_err(|error| StoreError::Failed(format!("invalid database URL: {error}").into()))?;
        let manager = Manager::from_config(
            config,
            tokio_postgres::NoTls,
            ManagerConfig { recycling_method: RecyclingMethod::Fast },
        );
        let pool = Pool::builder(manager)
            .max_size(options.connections.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(options.wait_limit))
            .create_timeout(Some(options.wait_limit))
            .recycle_timeout(Some(options.wait_limit))
            .build()
            .map_err(|error| StoreError::Failed(error.into()))?;
        let store = Self {
            pool,
            keys: Cache::new(options.key_cache_expiry),
            environments: Cache::new(options.key_cache_expiry),
            purged_before: AtomicI64::new(i64::MIN),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the migrations not yet applied, one instance at a time.
    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.connection().await?;
        client.execute("SELECT pg_advisory_lock($1)", &[&DIRECTORY_LOCK]).await?;
        let client: &mut tokio_postgres::Client = &mut client;
        let migrated = migrations::runner().run_async(client).await;
        client.execute("SELECT pg_advisory_unlock($1)", &[&DIRECTORY_LOCK]).await?;
        migrated.map(drop).map_err(|error| StoreError::Failed(format!("cannot migrate the database: {error}").into()))
    }

    async fn connection(&self) -> Result<Object, StoreError> {
        self.pool.get().await.map_err(pool_error)
    }

    /// Runs `work` in a transaction, committed when it succeeds.
    fn write<'a, T, F>(&'a self, work: F) -> BoxFuture<'a, Result<T, StoreError>>
    where
        T: Send + 'a,
        F: for<'t> FnOnce(&'t Transaction<'t>) -> BoxFuture<'t, Result<T, tokio_postgres::Error>> + Send + 'a,
    {
        async move {
            let mut client = self.connection().await?;
            let transaction = client.transaction().await?;
            let value = work(&transaction).await?;
            transaction.commit().await?;
            Ok(value)
        }
        .boxed()
    }

    /// Runs `work` on one snapshot of the database.
    fn read<'a, T, F>(&'a self, work: F) -> BoxFuture<'a, Result<T, StoreError>>
    where
        T: Send + 'a,
        F: for<'t> FnOnce(&'t Transaction<'t>) -> BoxFuture<'t, Result<T, tokio_postgres::Error>> + Send + 'a,
    {
        async move {
            let mut client = self.connection().await?;
            let transaction = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .await?;
            let value = work(&transaction).await?;
            transaction.commit().await?;
            Ok(value)
        }
        .boxed()
    }

    /// Deletes the counts of minutes before the previous one, once per minute per instance.
    async fn purge_counts(&self, client: &Object, minute: i64) {
        let before = minute - 1;
        if self.purged_before.fetch_max(before, Ordering::Relaxed) >= before {
            return;
        }
        if let Err(error) = client.execute("DELETE FROM request_counts WHERE minute < $1", &[&before]).await {
            tracing::warn!(%error, "cannot delete old request counts");
        }
    }
}

impl Store for PostgresStore {
    fn seed(&self, seed: Seed) -> BoxFuture<'_, Result<bool, StoreError>> {
        self.write(move |transaction| {
            async move {
                transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&DIRECTORY_LOCK]).await?;
                let seeded: bool =
                    transaction.query_one("SELECT EXISTS (SELECT 1 FROM environments)", &[]).await?.get(0);
                if seeded {
                    return Ok(false);
                }
                import(transaction, &seed.directory).await?;
                for (owner, image) in &seed.images {
                    insert_image(transaction, *owner, image, false).await?;
                }
                for role in &seed.roles {
                    insert_role(transaction, role).await?;
                }
                Ok(true)
            }
            .boxed()
        })
    }

    fn import(&self, directory: Directory) -> BoxFuture<'_, Result<(), StoreError>> {
        self.write(move |transaction| {
            async move {
                transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&DIRECTORY_LOCK]).await?;
                import(transaction, &directory).await
            }
            .boxed()
        })
    }

    fn enabled_platforms(&self, env: EnvId) -> BoxFuture<'_, Result<Vec<CloudPlatform>, StoreError>> {
        async move {
            let client = self.connection().await?;
            let statement =
                client.prepare_cached("SELECT platform FROM environment_platforms WHERE env_id = $1 ORDER BY platform");
            let rows = client.query(&statement.await?, &[&env_param(env)]).await?;
            rows.iter().map(|row| parse(row.get(0))).collect::<Result<_, _>>().map_err(StoreError::Failed)
        }
        .boxed()
    }

    fn list_images(
        &self,
        env: EnvId,
        filter: ImageFilter,
        paging: Paging,
    ) -> BoxFuture<'_, Result<Page<Image>, StoreError>> {
        self.read(move |transaction| {
            async move {
                let conditions = Conditions::of(env, &filter);
                let params = conditions.params();
                let total: i64 = transaction
                    .query_one(&format!("SELECT count(*) FROM images WHERE {}", conditions.sql), &params)
                    .await?
                    .get(0);
                let sql = format!(
                    "SELECT {IMAGE_COLUMNS} FROM images WHERE {} ORDER BY added, seq LIMIT {} OFFSET {}",
                    conditions.sql,
                    paging.max_results(),
                    paging.offset()
                );
                let rows = transaction.query(&sql, &params).await?;
                let images = rows.iter().map(image).collect::<Result<_, _>>()?;
                Ok(Page::new(images, total.unsigned_abs(), paging))
            }
            .boxed()
        })
    }

    fn find_image(&self, env: EnvId, id: ImageId) -> BoxFuture<'_, Result<Option<Image>, StoreError>> {
        async move {
            let client = self.connection().await?;
            let sql = format!("SELECT {IMAGE_COLUMNS} FROM images WHERE id = $2 AND {VISIBLE_TO_ENVIRONMENT}");
            let statement = client.prepare_cached(&sql).await?;
            let row = client.query_opt(&statement, &[&env_param(env), &id.0]).await?;
            Ok(row.as_ref().map(image).transpose()?)
        }
        .boxed()
    }

    fn insert_image(&self, owner: Option<EnvId>, image: Image) -> BoxFuture<'_, Result<Insertion, StoreError>> {
        self.write(move |transaction| async move { insert_image(transaction, owner, &image, false).await }.boxed())
    }

    fn insert_copy(&self, owner: EnvId, image: Image) -> BoxFuture<'_, Result<Insertion, StoreError>> {
        self.write(move |transaction| async move { insert_image(transaction, Some(owner), &image, true).await }.boxed())
    }

    fn pending_copies(&self) -> BoxFuture<'_, Result<Vec<Image>, StoreError>> {
        async move {
            let client = self.connection().await?;
            let sql = format!("SELECT {IMAGE_COLUMNS} FROM images WHERE copy_pending ORDER BY added, seq");
            let statement = client.prepare_cached(&sql).await?;
            let rows = client.query(&statement, &[]).await?;
            Ok(rows.iter().map(image).collect::<Result<_, _>>()?)
        }
        .boxed()
    }

    fn settle_copy(&self, id: ImageId, failure: Option<String>) -> BoxFuture<'_, Result<bool, StoreError>> {
        async move {
            let client = self.connection().await?;
            // A failure turns an active image failed; one awaiting deletion keeps its status.
            let statement = client
                .prepare_cached(
                    "UPDATE images SET copy_pending = false, \
                     status = CASE WHEN $2::text IS NOT NULL AND status = $3 THEN $4 ELSE status END, \
                     status_error = coalesce($2::text, status_error) WHERE id = $1 AND copy_pending",
                )
                .await?;
            let (active, failed) = (wire_name(&ImageStatus::Active), wire_name(&ImageStatus::Failed));
            Ok(client.execute(&statement, &[&id.0, &failure, &active, &failed]).await? == 1)
        }
        .boxed()
    }

    fn rename_image(&self, env: EnvId, id: ImageId, name: String) -> BoxFuture<'_, Result<Option<Image>, StoreError>> {
        async move {
            let client = self.connection().await?;
            let sql = format!(
                "UPDATE images SET name = $3 WHERE id = $2 AND env_id = $1 AND status <> $4 RETURNING {IMAGE_COLUMNS}"
            );
            let statement = client.prepare_cached(&sql).await?;
            let pending = wire_name(&ImageStatus::PendingDelete);
            let row = client.query_opt(&statement, &[&env_param(env), &id.0, &name, &pending]).await?;
            Ok(row.as_ref().map(image).transpose()?)
        }
        .boxed()
    }

    fn roles_using(&self, id: ImageId) -> BoxFuture<'_, Result<Vec<String>, StoreError>> {
        async move {
            let client = self.connection().await?;
            Ok(roles_using(&client, id).await?)
        }
        .boxed()
    }

    fn remove_image(&self, env: EnvId, id: ImageId, removal: Removal) -> BoxFuture<'_, Result<Removed, StoreError>> {
        self.write(move |transaction| {
            async move {
                let pending = wire_name(&ImageStatus::PendingDelete);
                let changed = match removal {
                    Removal::Unmark(status) => {
                        let status = wire_name(&status);
                        let sql = "UPDATE images SET status = $4 WHERE id = $2 AND env_id = $1 AND status = $3";
                        transaction.execute(sql, &[&env_param(env), &id.0, &pending, &status]).await?
                    }
                    Removal::ForgetMarked => {
                        let sql = "DELETE FROM images WHERE id = $2 AND env_id = $1 AND status = $3";
                        transaction.execute(sql, &[&env_param(env), &id.0, &pending]).await?
                    }
                    Removal::Forget | Removal::MarkPendingDelete => {
                        // The image's row is locked first, so that no role starts using it
                        // meanwhile unseen by this transaction.
                        transaction.query_opt("SELECT 1 FROM images WHERE id = $1 FOR UPDATE", &[&id.0]).await?;
                        let roles = roles_using(transaction, id).await?;
                        if !roles.is_empty() {
                            return Ok(Removed::InUse(roles));
                        }
                        let sql = if removal == Removal::Forget {
                            "DELETE FROM images WHERE id = $2 AND env_id = $1 AND status <> $3"
                        } else {
                            "UPDATE images SET status = $3 WHERE id = $2 AND env_id = $1 AND status <> $3"
                        };
                        transaction.execute(sql, &[&env_param(env), &id.0, &pending]).await?
                    }
                };
                Ok(if changed == 1 { Removed::Done } else { Removed::NotFound })
            }
            .boxed()
        })
    }

    fn count_request<'a>(&'a self, key_id: &'a str, minute: Minute) -> BoxFuture<'a, Result<u64, StoreError>> {
        async move {
            let client = self.connection().await?;
            let statement = client
                .prepare_cached(
                    "INSERT INTO request_counts (key_id, minute, count) VALUES ($1, $2, 1) ON CONFLICT (key_id, minute) \
                     DO UPDATE SET count = request_counts.count + 1 RETURNING count",
                )
                .await?;
            let count: i64 = client.query_one(&statement, &[&key_id, &minute.number()]).await?.get(0);
            self.purge_counts(&client, minute.number()).await;
            Ok(count.unsigned_abs())
        }
        .boxed()
    }
}

impl KeyStore for PostgresStore {
    async fn key(&self, key_id: &str) -> Result<Option<Arc<ApiKey>>, KeyStoreError> {
        if let Some(key) = self.keys.get(key_id) {
            return Ok(key);
        }
        let key = read_key(&self.pool, key_id).await.map_err(key_store_error)?.map(Arc::new);
        self.keys.put(key_id.to_owned(), key.clone());
        Ok(key)
    }

    async fn environment_exists(&self, env_id: EnvId) -> Result<bool, KeyStoreError> {
        if let Some(exists) = self.environments.get(&env_id) {
            return Ok(exists);
        }
        let client = self.pool.get().await.map_err(|error| key_store_error(pool_error(error)))?;
        let exists = async {
            let statement = client.prepare_cached("SELECT EXISTS (SELECT 1 FROM environments WHERE id = $1)").await?;
            Ok::<bool, tokio_postgres::Error>(client.query_one(&statement, &[&env_param(env_id)]).await?.get(0))
        }
        .await
        .map_err(|error| key_store_error(error.into()))?;
        self.environments.put(env_id, exists);
        Ok(exists)
    }
}

/// Key `key_id` with its user, its environments and permissions.
async fn read_key(pool: &Pool, key_id: &str) -> Result<Option<ApiKey>, StoreError> {
    let client = pool.get().await.map_err(pool_error)?;
    let statement = client
        .prepare_cached(
            "SELECT k.secret, k.active, u.id, u.active, \
             ARRAY(SELECT env_id FROM user_environments WHERE user_id = u.id), \
             ARRAY(SELECT permission FROM user_permissions WHERE user_id = u.id) \
             FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = $1",
        )
        .await?;
    let Some(row) = client.query_opt(&statement, &[&key_id]).await? else { return Ok(None) };
    let environments: Vec<i64> = row.get(4);
    let permissions: Vec<String> = row.get(5);
    let user = User {
        id: row.get(2),
        active: row.get(3),
        environments: environments.into_iter().filter_map(stored_env_id).collect::<BTreeSet<_>>(),
        permissions: permissions.into_iter().collect(),
    };
    Ok(Some(ApiKey { id: key_id.to_owned(), secret: Secret::new(row.get::<_, String>(0)), active: row.get(1), user }))
}

/// Adds the missing environments of `directory` with their platforms; adds or replaces its users,
/// with their environments and permissions, and its keys.
async fn import(transaction: &Transaction<'_>, directory: &Directory) -> Result<(), tokio_postgres::Error> {
    for environment in &directory.environments {
        let id = env_param(environment.id);
        let added = transaction
            .execute(
                "INSERT INTO environments (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
                &[&id, &environment.name],
            )
            .await?;
        if added == 1 {
            for platform in &environment.platforms {
                transaction
                    .execute(
                        "INSERT INTO environment_platforms (env_id, platform) VALUES ($1, $2)",
                        &[&id, &wire_name(platform)],
                    )
                    .await?;
            }
        }
    }
    for key in &directory.keys {
        let user = &key.user;
        transaction
            .execute(
                "INSERT INTO users (id, active) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET active = excluded.active",
                &[&user.id, &user.active],
            )
            .await?;
        transaction.execute("DELETE FROM user_environments WHERE user_id = $1", &[&user.id]).await?;
        for env in &user.environments {
            transaction
                .execute(
                    "INSERT INTO user_environments (user_id, env_id) VALUES ($1, $2)",
                    &[&user.id, &env_param(*env)],
                )
                .await?;
        }
        transaction.execute("DELETE FROM user_permissions WHERE user_id = $1", &[&user.id]).await?;
        for permission in &user.permissions {
            transaction
                .execute("INSERT INTO user_permissions (user_id, permission) VALUES ($1, $2)", &[&user.id, permission])
                .await?;
        }
        transaction
            .execute(
                "INSERT INTO api_keys (id, secret, active, user_id) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE \
                 SET secret = excluded.secret, active = excluded.active, user_id = excluded.user_id",
                &[&key.id, &key.secret.expose_text(), &key.active, &user.id],
            )
            .await?;
    }
    Ok(())
}

/// Adds `image`, owned by `owner`, unless `owner` already holds the same cloud image in the same
/// location (the unique index decides, also between instances inserting at once);
/// `copy_pending` when the cloud is still making it.
async fn insert_image(
    transaction: &Transaction<'_>,
    owner: Option<EnvId>,
    image: &Image,
    copy_pending: bool,
) -> Result<Insertion, tokio_postgres::Error> {
    let statement = transaction
        .prepare_cached(&format!(
            "INSERT INTO images (env_id, {IMAGE_COLUMNS}, copy_pending) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) \
             ON CONFLICT (coalesce(env_id, 0), cloud_platform, cloud_image_id, coalesce(cloud_location, '')) \
             DO NOTHING"
        ))
        .await?;
    let added = transaction
        .execute(
            &statement,
            &[
                &owner.map(env_param),
                &image.id.0,
                &image.name,
                &image.cloud_image_id,
                &image.cloud_location,
                &wire_name(&image.cloud_platform),
                &image.added.timestamp(),
                &image.last_used.map(|at| at.timestamp()),
                &image.scalr_agent_installed,
                &image.cloud_init_installed,
                &wire_name(&image.architecture),
                &image.size.map(i64::from),
                &image.deprecated,
                &wire_name(&image.source),
                &wire_name(&image.status),
                &image.image_type,
                &image.status_error,
                &wire_name(&image.scope),
                &image.os.id,
                &copy_pending,
            ],
        )
        .await?;
    Ok(if added == 1 { Insertion::Added } else { Insertion::AlreadyRegistered })
}

/// Adds `role`.
async fn insert_role(transaction: &Transaction<'_>, role: &Role) -> Result<(), tokio_postgres::Error> {
    transaction
        .execute(
            "INSERT INTO roles (env_id, name, image_id) VALUES ($1, $2, $3)",
            &[&env_param(role.env), &role.name, &role.image.0],
        )
        .await?;
    Ok(())
}

/// The names of the roles that use image `id`, in name order.
async fn roles_using(client: &impl GenericClient, id: ImageId) -> Result<Vec<String>, tokio_postgres::Error> {
    let statement = client.prepare_cached("SELECT name FROM roles WHERE image_id = $1 ORDER BY name").await?;
    Ok(client.query(&statement, &[&id.0]).await?.iter().map(|row| row.get(0)).collect())
}

/// The `WHERE` clause of a list: what `env` sees, narrowed by each filter set.
struct Conditions {
    sql: String,
    params: Vec<Box<dyn ToSql + Sync + Send>>,
}

impl Conditions {
    fn of(env: EnvId, filter: &ImageFilter) -> Self {
        let mut conditions = Self { sql: VISIBLE_TO_ENVIRONMENT.to_owned(), params: vec![Box::new(env_param(env))] };
        // Every field, so that a filter added to `ImageFilter` without its column does not compile.
        let ImageFilter {
            id,
            name,
            scope,
            os,
            cloud_platform,
            cloud_location,
            cloud_image_id,
            architecture,
            source,
            status,
            deprecated,
            scalr_agent_installed,
            cloud_init_installed,
        } = filter;
        conditions.add("id", id.map(|id| id.0));
        conditions.add("name", name.clone());
        conditions.add("scope", scope.as_ref().map(wire_name));
        conditions.add("os_id", os.clone());
        conditions.add("cloud_platform", cloud_platform.as_ref().map(wire_name));
        conditions.add("cloud_location", cloud_location.clone());
        conditions.add("cloud_image_id", cloud_image_id.clone());
        conditions.add("architecture", architecture.as_ref().map(wire_name));
        conditions.add("source", source.as_ref().map(wire_name));
        conditions.add("status", status.as_ref().map(wire_name));
        conditions.add("deprecated", *deprecated);
        conditions.add("scalr_agent_installed", *scalr_agent_installed);
        conditions.add("cloud_init_installed", *cloud_init_installed);
        conditions
    }

    /// Narrows to rows whose `column` equals `value`, when a value is given.
    fn add(&mut self, column: &str, value: Option<impl ToSql + Sync + Send + 'static>) {
        if let Some(value) = value {
            self.params.push(Box::new(value));
            self.sql.push_str(&format!(" AND {column} = ${}", self.params.len()));
        }
    }

    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.params.iter().map(|param| &**param as &(dyn ToSql + Sync)).collect()
    }
}

/// Reads a row of [`IMAGE_COLUMNS`].
fn image(row: &Row) -> Result<Image, tokio_postgres::Error> {
    Ok(Image {
        id: ImageId(row.try_get(0)?),
        name: row.try_get(1)?,
        cloud_image_id: row.try_get(2)?,
        cloud_location: row.try_get(3)?,
        cloud_platform: row.try_get::<_, Wire<_>>(4)?.0,
        added: row.try_get::<_, UnixTime>(5)?.0,
        last_used: row.try_get::<_, Option<UnixTime>>(6)?.map(|at| at.0),
        scalr_agent_installed: row.try_get(7)?,
        cloud_init_installed: row.try_get(8)?,
        architecture: row.try_get::<_, Wire<_>>(9)?.0,
        size: row.try_get::<_, Option<Size>>(10)?.map(|size| size.0),
        deprecated: row.try_get(11)?,
        source: row.try_get::<_, Wire<_>>(12)?.0,
        status: row.try_get::<_, Wire<_>>(13)?.0,
        image_type: row.try_get(14)?,
        status_error: row.try_get(15)?,
        scope: row.try_get::<_, Wire<_>>(16)?.0,
        os: OsRef { id: row.try_get(17)? },
    })
}

/// An environment id as PostgreSQL's `bigint`. Ids past `i64::MAX` exist only in requests: they
/// become -1, which no environment has (the schema checks ids are positive).
fn env_param(env: EnvId) -> i64 {
    i64::try_from(env.get()).unwrap_or(-1)
}

/// An environment id read from a column.
fn stored_env_id(id: i64) -> Option<EnvId> {
    u64::try_from(id).ok().and_then(EnvId::new)
}

/// The wire value `text` of one of the Image's enumerations.
fn parse<T: DeserializeOwned>(text: &str) -> Result<T, Box<dyn std::error::Error + Send + Sync>> {
    Ok(T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(text))?)
}

/// One of the Image's enumerations, kept as its wire name.
struct Wire<T>(T);

impl<'a, T: DeserializeOwned> tokio_postgres::types::FromSql<'a> for Wire<T> {
    fn from_sql(
        ty: &tokio_postgres::types::Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        parse(<&str>::from_sql(ty, raw)?).map(Wire)
    }

    fn accepts(ty: &tokio_postgres::types::Type) -> bool {
        <&str as tokio_postgres::types::FromSql>::accepts(ty)
    }
}

/// A time kept as whole seconds since the Unix epoch, what the API shows of it.
struct UnixTime(DateTime<Utc>);

impl<'a> tokio_postgres::types::FromSql<'a> for UnixTime {
    fn from_sql(
        ty: &tokio_postgres::types::Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let seconds = i64::from_sql(ty, raw)?;
        DateTime::from_timestamp(seconds, 0).map(UnixTime).ok_or_else(|| format!("{seconds} is out of range").into())
    }

    fn accepts(ty: &tokio_postgres::types::Type) -> bool {
        <i64 as tokio_postgres::types::FromSql>::accepts(ty)
    }
}

/// An image's size in GB, kept as a `bigint`.
struct Size(u32);

impl<'a> tokio_postgres::types::FromSql<'a> for Size {
    fn from_sql(
        ty: &tokio_postgres::types::Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Size(u32::try_from(i64::from_sql(ty, raw)?)?))
    }

    fn accepts(ty: &tokio_postgres::types::Type) -> bool {
        <i64 as tokio_postgres::types::FromSql>::accepts(ty)
    }
}

/// A connection that cannot be had in time, or opened, leaves the store unavailable.
fn pool_error(error: PoolError) -> StoreError {
    match error {
        PoolError::Backend(error) => error.into(),
        other => StoreError::Unavailable(other.into()),
    }
}

/// A lost connection, a server shutting down or out of resources, and a transaction that lost a
/// conflict are conditions a retry may outlive: the store is unavailable. Anything else is a
/// failure.
impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> Self {
        let transient = match error.code() {
            // No answer from the server: the connection failed or closed.
            None => error.as_db_error().is_none(),
            Some(code) => {
                let class = &code.code()[..2];
                matches!(class, "08" | "53" | "57") || matches!(code.code(), "40001" | "40P01")
            }
        };
        if transient { StoreError::Unavailable(Box::new(error)) } else { StoreError::Failed(Box::new(error)) }
    }
}

/// What authentication answers when the store cannot: `503` when unavailable, else `500`.
fn key_store_error(error: StoreError) -> KeyStoreError {
    match error {
        StoreError::Unavailable(why) => KeyStoreError::unavailable(why),
        StoreError::Failed(why) => KeyStoreError::new(why),
    }
}

/// A map whose entries expire: what authentication read recently.
struct Cache<K, V> {
    entries: Mutex<HashMap<K, (Instant, V)>>,
    expiry: Duration,
}

impl<K: std::hash::Hash + Eq, V: Clone> Cache<K, V> {
    /// Entries beyond which expired ones are dropped when a new one is put.
    const SWEEP_ABOVE: usize = 4096;

    fn new(expiry: Duration) -> Self {
        Self { entries: Mutex::new(HashMap::new()), expiry }
    }

    fn get<Q: std::hash::Hash + Eq + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
    {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.get(key).filter(|(read, _)| read.elapsed() < self.expiry).map(|(_, value)| value.clone())
    }

    fn put(&self, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= Self::SWEEP_ABOVE {
            entries.retain(|_, (read, _)| read.elapsed() < self.expiry);
        }
        entries.insert(key, (Instant::now(), value));
    }
}
