//! The SQL of the store: what each operation reads and writes, and how values become columns and
//! rows become values. Every function runs inside the caller's transaction.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params, params_from_iter};
use scalr_endpoints::auth::{ApiKey, MemoryKeyStore, Secret, User};
use scalr_endpoints::{EnvId, Page, Paging};
use serde::Serialize;
use serde::de::{DeserializeOwned, IntoDeserializer};
use uuid::Uuid;

use super::{Directory, ImageFilter, Insertion, Removal, Removed, Role};
use crate::images::{CloudPlatform, Image, ImageId, ImageStatus, OsRef, wire_name};

/// The columns an [`Image`] is read from, in the order [`image`] reads them.
const IMAGE_COLUMNS: &str = "id, name, cloud_image_id, cloud_location, cloud_platform, added, last_used, \
     scalr_agent_installed, cloud_init_installed, architecture, size, deprecated, source, status, type, \
     status_error, scope, os_id";

/// Which images environment `?1` sees: its own, and those outside the environment scope.
const VISIBLE_TO_ENVIRONMENT: &str = "(env_id = ?1 OR env_id IS NULL)";

/// Whether the store holds any environment: none before the first start's seed.
pub fn has_environments(connection: &Connection) -> rusqlite::Result<bool> {
    connection.query_row("SELECT EXISTS (SELECT 1 FROM environments)", [], |row| row.get(0))
}

/// Adds the missing environments of `directory` with their platforms; adds or replaces its users,
/// with their environments and permissions, and its keys.
pub fn import(connection: &Connection, directory: &Directory) -> rusqlite::Result<()> {
    for environment in &directory.environments {
        let id = env_param(environment.id)?;
        let added = connection.execute(
            "INSERT INTO environments (id, name) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING",
            params![id, environment.name],
        )?;
        if added == 1 {
            for platform in &environment.platforms {
                connection.execute(
                    "INSERT INTO environment_platforms (env_id, platform) VALUES (?1, ?2)",
                    params![id, Wire(platform)],
                )?;
            }
        }
    }
    for key in &directory.keys {
        let user = &key.user;
        connection.execute(
            "INSERT INTO users (id, active) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET active = excluded.active",
            params![user.id, user.active],
        )?;
        connection.execute("DELETE FROM user_environments WHERE user_id = ?1", [&user.id])?;
        for env in &user.environments {
            connection.execute(
                "INSERT INTO user_environments (user_id, env_id) VALUES (?1, ?2)",
                params![user.id, env_param(*env)?],
            )?;
        }
        connection.execute("DELETE FROM user_permissions WHERE user_id = ?1", [&user.id])?;
        for permission in &user.permissions {
            connection.execute(
                "INSERT INTO user_permissions (user_id, permission) VALUES (?1, ?2)",
                params![user.id, permission],
            )?;
        }
        connection.execute(
            "INSERT INTO api_keys (id, secret, active, user_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE \
             SET secret = excluded.secret, active = excluded.active, user_id = excluded.user_id",
            params![key.id, key.secret.expose_text(), key.active, user.id],
        )?;
    }
    Ok(())
}

/// Every environment, and every key with its user: what authentication reads.
pub fn key_store(connection: &Connection) -> rusqlite::Result<MemoryKeyStore> {
    let mut users: HashMap<String, User> = HashMap::new();
    let mut statement = connection.prepare("SELECT id, active FROM users")?;
    for user in statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))? {
        let (id, active) = user?;
        let user = User { id: id.clone(), active, environments: BTreeSet::new(), permissions: BTreeSet::new() };
        users.insert(id, user);
    }
    let mut statement = connection.prepare("SELECT user_id, env_id FROM user_environments")?;
    for grant in statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, StoredEnvId>(1)?.0)))? {
        let (user_id, env) = grant?;
        users.entry(user_id).and_modify(|user| {
            user.environments.insert(env);
        });
    }
    let mut statement = connection.prepare("SELECT user_id, permission FROM user_permissions")?;
    for grant in statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))? {
        let (user_id, permission) = grant?;
        users.entry(user_id).and_modify(|user| {
            user.permissions.insert(permission);
        });
    }

    let mut store = MemoryKeyStore::new();
    let mut statement = connection.prepare("SELECT id FROM environments")?;
    for env in statement.query_map([], |row| row.get::<_, StoredEnvId>(0))? {
        store = store.with_environment(env?.0);
    }
    let mut statement = connection.prepare("SELECT id, secret, active, user_id FROM api_keys")?;
    let keys = statement.query_map([], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get(2)?, row.get::<_, String>(3)?))
    })?;
    for key in keys {
        let (id, secret, active, user_id) = key?;
        // The foreign key makes every key's user exist.
        let Some(user) = users.get(&user_id) else { continue };
        store = store.with_key(ApiKey { id, secret: Secret::new(secret), active, user: user.clone() });
    }
    Ok(store)
}

/// The platforms enabled in each environment that has any, each environment's in order.
pub fn enabled_platforms(connection: &Connection) -> rusqlite::Result<HashMap<EnvId, Vec<CloudPlatform>>> {
    let mut platforms: HashMap<EnvId, Vec<CloudPlatform>> = HashMap::new();
    let mut statement =
        connection.prepare("SELECT env_id, platform FROM environment_platforms ORDER BY env_id, platform")?;
    let rows = statement
        .query_map([], |row| Ok((row.get::<_, StoredEnvId>(0)?.0, row.get::<_, Wire<CloudPlatform>>(1)?.0)))?;
    for row in rows {
        let (env, platform) = row?;
        platforms.entry(env).or_default().push(platform);
    }
    Ok(platforms)
}

/// A page of the images `env` sees that match `filter`, oldest first, and how many match.
pub fn list_images(
    connection: &Connection,
    env: EnvId,
    filter: &ImageFilter,
    paging: Paging,
) -> rusqlite::Result<Page<Image>> {
    let conditions = Conditions::of(env, filter)?;
    let total: i64 = connection.query_row(
        &format!("SELECT count(*) FROM images WHERE {}", conditions.sql),
        params_from_iter(&conditions.params),
        |row| row.get(0),
    )?;
    let mut statement = connection.prepare(&format!(
        "SELECT {IMAGE_COLUMNS} FROM images WHERE {} ORDER BY added, rowid LIMIT {} OFFSET {}",
        conditions.sql,
        paging.max_results(),
        paging.offset()
    ))?;
    let images = statement.query_map(params_from_iter(&conditions.params), image)?.collect::<rusqlite::Result<_>>()?;
    Ok(Page::new(images, total.unsigned_abs(), paging))
}

/// Image `id`, if `env` sees it.
pub fn find_image(connection: &Connection, env: EnvId, id: ImageId) -> rusqlite::Result<Option<Image>> {
    connection
        .prepare_cached(&format!("SELECT {IMAGE_COLUMNS} FROM images WHERE id = ?2 AND {VISIBLE_TO_ENVIRONMENT}"))?
        .query_row(params![env_param(env)?, id], image)
        .optional()
}

/// Adds `image`, owned by `owner`, unless `owner` already holds the same cloud image in the same
/// location; `copy_pending` when the cloud is still making it.
pub fn insert_image(
    connection: &Connection,
    owner: Option<EnvId>,
    image: &Image,
    copy_pending: bool,
) -> rusqlite::Result<Insertion> {
    let owner = owner.map(env_param).transpose()?;
    let registered: bool = connection
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM images WHERE ifnull(env_id, 0) = ifnull(?1, 0) AND cloud_platform = ?2 \
             AND cloud_image_id = ?3 AND ifnull(cloud_location, '') = ifnull(?4, ''))",
        )?
        .query_row(params![owner, Wire(image.cloud_platform), image.cloud_image_id, image.cloud_location], |row| {
            row.get(0)
        })?;
    if registered {
        return Ok(Insertion::AlreadyRegistered);
    }
    connection
        .prepare_cached(&format!(
            "INSERT INTO images (env_id, {IMAGE_COLUMNS}, copy_pending) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
        ))?
        .execute(params![
            owner,
            image.id,
            image.name,
            image.cloud_image_id,
            image.cloud_location,
            Wire(image.cloud_platform),
            UnixTime(image.added),
            image.last_used.map(UnixTime),
            image.scalr_agent_installed,
            image.cloud_init_installed,
            Wire(image.architecture),
            image.size,
            image.deprecated,
            Wire(image.source),
            Wire(image.status),
            image.image_type,
            image.status_error,
            Wire(image.scope),
            image.os.id,
            copy_pending,
        ])?;
    Ok(Insertion::Added)
}

/// The images whose copy the cloud is still making, oldest first.
pub fn pending_copies(connection: &Connection) -> rusqlite::Result<Vec<Image>> {
    connection
        .prepare_cached(&format!("SELECT {IMAGE_COLUMNS} FROM images WHERE copy_pending = 1 ORDER BY added, rowid"))?
        .query_map([], image)?
        .collect()
}

/// Marks the copy of image `id` done: failed with `failure` (the image becomes `failed`, unless
/// it awaits deletion, and keeps the reason in `status_error`), or available. Whether the image
/// was still pending.
pub fn settle_copy(connection: &Connection, id: ImageId, failure: Option<&str>) -> rusqlite::Result<bool> {
    let changed = connection
        .prepare_cached(
            "UPDATE images SET copy_pending = 0, \
         status = CASE WHEN ?2 IS NOT NULL AND status = ?3 THEN ?4 ELSE status END, \
         status_error = coalesce(?2, status_error) WHERE id = ?1 AND copy_pending = 1",
        )?
        .execute(params![id, failure, Wire(ImageStatus::Active), Wire(ImageStatus::Failed)])?;
    Ok(changed == 1)
}

/// Adds `role`.
pub fn insert_role(connection: &Connection, role: &Role) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO roles (env_id, name, image_id) VALUES (?1, ?2, ?3)",
        params![env_param(role.env)?, role.name, role.image],
    )?;
    Ok(())
}

/// Renames image `id` of `env`, unless it awaits deletion; the renamed image.
pub fn rename_image(connection: &Connection, env: EnvId, id: ImageId, name: &str) -> rusqlite::Result<Option<Image>> {
    connection
        .prepare_cached(&format!(
            "UPDATE images SET name = ?3 WHERE id = ?2 AND env_id = ?1 AND status != ?4 RETURNING {IMAGE_COLUMNS}"
        ))?
        .query_row(params![env_param(env)?, id, name, Wire(ImageStatus::PendingDelete)], image)
        .optional()
}

/// The names of the roles that use image `id`, in name order.
pub fn roles_using(connection: &Connection, id: ImageId) -> rusqlite::Result<Vec<String>> {
    connection
        .prepare_cached("SELECT name FROM roles WHERE image_id = ?1 ORDER BY name")?
        .query_map([id], |row| row.get(0))?
        .collect()
}

/// Removes image `id` of `env` as `removal` says, unless a role uses it or it awaits deletion.
pub fn remove_image(connection: &Connection, env: EnvId, id: ImageId, removal: Removal) -> rusqlite::Result<Removed> {
    let (env, pending) = (env_param(env)?, Wire(ImageStatus::PendingDelete));
    let changed = match removal {
        Removal::Unmark(status) => connection.execute(
            "UPDATE images SET status = ?4 WHERE id = ?2 AND env_id = ?1 AND status = ?3",
            params![env, id, pending, Wire(status)],
        )?,
        Removal::ForgetMarked => connection
            .execute("DELETE FROM images WHERE id = ?2 AND env_id = ?1 AND status = ?3", params![env, id, pending])?,
        Removal::Forget | Removal::MarkPendingDelete => {
            let roles = roles_using(connection, id)?;
            if !roles.is_empty() {
                return Ok(Removed::InUse(roles));
            }
            let sql = if removal == Removal::Forget {
                "DELETE FROM images WHERE id = ?2 AND env_id = ?1 AND status != ?3"
            } else {
                "UPDATE images SET status = ?3 WHERE id = ?2 AND env_id = ?1 AND status != ?3"
            };
            connection.execute(sql, params![env, id, pending])?
        }
    };
    Ok(if changed == 1 { Removed::Done } else { Removed::NotFound })
}

/// The `WHERE` clause of a list: what `env` sees, narrowed by each filter set.
struct Conditions {
    sql: String,
    params: Vec<Box<dyn ToSql>>,
}

impl Conditions {
    fn of(env: EnvId, filter: &ImageFilter) -> rusqlite::Result<Self> {
        let mut conditions = Self { sql: VISIBLE_TO_ENVIRONMENT.to_owned(), params: vec![Box::new(env_param(env)?)] };
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
        conditions.add("id", *id);
        conditions.add("name", name.clone());
        conditions.add("scope", scope.map(Wire));
        conditions.add("os_id", os.clone());
        conditions.add("cloud_platform", cloud_platform.map(Wire));
        conditions.add("cloud_location", cloud_location.clone());
        conditions.add("cloud_image_id", cloud_image_id.clone());
        conditions.add("architecture", architecture.map(Wire));
        conditions.add("source", source.map(Wire));
        conditions.add("status", status.map(Wire));
        conditions.add("deprecated", *deprecated);
        conditions.add("scalr_agent_installed", *scalr_agent_installed);
        conditions.add("cloud_init_installed", *cloud_init_installed);
        Ok(conditions)
    }

    /// Narrows to rows whose `column` equals `value`, when a value is given.
    fn add(&mut self, column: &str, value: Option<impl ToSql + 'static>) {
        if let Some(value) = value {
            self.params.push(Box::new(value));
            self.sql.push_str(&format!(" AND {column} = ?{}", self.params.len()));
        }
    }
}

/// Reads a row of [`IMAGE_COLUMNS`].
fn image(row: &Row<'_>) -> rusqlite::Result<Image> {
    Ok(Image {
        id: row.get(0)?,
        name: row.get(1)?,
        cloud_image_id: row.get(2)?,
        cloud_location: row.get(3)?,
        cloud_platform: row.get::<_, Wire<_>>(4)?.0,
        added: row.get::<_, UnixTime>(5)?.0,
        last_used: row.get::<_, Option<UnixTime>>(6)?.map(|at| at.0),
        scalr_agent_installed: row.get(7)?,
        cloud_init_installed: row.get(8)?,
        architecture: row.get::<_, Wire<_>>(9)?.0,
        size: row.get(10)?,
        deprecated: row.get(11)?,
        source: row.get::<_, Wire<_>>(12)?.0,
        status: row.get::<_, Wire<_>>(13)?.0,
        image_type: row.get(14)?,
        status_error: row.get(15)?,
        scope: row.get::<_, Wire<_>>(16)?.0,
        os: OsRef { id: row.get(17)? },
    })
}

/// An environment id as SQLite's integer; ids past `i64::MAX` exist only in requests.
fn env_param(env: EnvId) -> rusqlite::Result<i64> {
    i64::try_from(env.get()).map_err(|error| rusqlite::Error::ToSqlConversionFailure(Box::new(error)))
}

/// An environment id read from a column.
struct StoredEnvId(EnvId);

impl FromSql for StoredEnvId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let id = u64::try_from(value.as_i64()?).ok().and_then(EnvId::new);
        id.map(StoredEnvId).ok_or(FromSqlError::OutOfRange(value.as_i64()?))
    }
}

/// One of the Image's enumerations, kept as its wire name.
struct Wire<T>(T);

impl<T: Serialize> ToSql for Wire<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(wire_name(&self.0)))
    }
}

impl<T: DeserializeOwned> FromSql for Wire<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text: &str = value.as_str()?;
        T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(text))
            .map(Wire)
            .map_err(|error| FromSqlError::Other(Box::new(error)))
    }
}

/// A time kept as whole seconds since the Unix epoch, what the API shows of it.
struct UnixTime(DateTime<Utc>);

impl ToSql for UnixTime {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.timestamp()))
    }
}

impl FromSql for UnixTime {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let seconds = value.as_i64()?;
        DateTime::from_timestamp(seconds, 0).map(UnixTime).ok_or(FromSqlError::OutOfRange(seconds))
    }
}

/// Image ids are kept as lower-case hyphenated text, as the API writes them.
impl ToSql for ImageId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.hyphenated().to_string()))
    }
}

impl FromSql for ImageId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Uuid::parse_str(value.as_str()?).map(ImageId).map_err(|error| FromSqlError::Other(Box::new(error)))
    }
}
