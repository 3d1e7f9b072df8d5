//! The database's schema, created or migrated at start, and the settings of each connection.

use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// The migrations, in order: the database's `user_version` counts those applied. A release only
/// ever appends to this list.
const MIGRATIONS: &[&str] = &[
    // 1: environments, users, API keys, images and roles.
    "
    CREATE TABLE environments (
        id INTEGER PRIMARY KEY CHECK (id > 0),
        name TEXT NOT NULL
    ) STRICT;

    CREATE TABLE environment_platforms (
        env_id INTEGER NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        platform TEXT NOT NULL,
        PRIMARY KEY (env_id, platform)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        active INTEGER NOT NULL CHECK (active IN (0, 1))
    ) STRICT;

    CREATE TABLE user_environments (
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        env_id INTEGER NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, env_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE user_permissions (
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        permission TEXT NOT NULL,
        PRIMARY KEY (user_id, permission)
    ) STRICT, WITHOUT ROWID;

    -- The secret is kept as sent: verifying a signature needs it. Protect the file.
    CREATE TABLE api_keys (
        id TEXT PRIMARY KEY CHECK (id != ''),
        secret TEXT NOT NULL CHECK (secret != ''),
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE
    ) STRICT;

    -- Enumerations are kept in their wire form, the text the API shows and filters on.
    CREATE TABLE images (
        id TEXT PRIMARY KEY,
        env_id INTEGER REFERENCES environments (id),
        name TEXT NOT NULL,
        cloud_image_id TEXT NOT NULL,
        cloud_location TEXT,
        cloud_platform TEXT NOT NULL,
        added INTEGER NOT NULL,
        last_used INTEGER,
        scalr_agent_installed INTEGER NOT NULL CHECK (scalr_agent_installed IN (0, 1)),
        cloud_init_installed INTEGER NOT NULL CHECK (cloud_init_installed IN (0, 1)),
        architecture TEXT NOT NULL CHECK (architecture IN ('i386', 'x86_64')),
        size INTEGER CHECK (size >= 0),
        deprecated INTEGER NOT NULL CHECK (deprecated IN (0, 1)),
        source TEXT NOT NULL CHECK (source IN ('Manual', 'BundleTask')),
        status TEXT NOT NULL CHECK (status IN ('active', 'pending_delete', 'failed')),
        type TEXT,
        status_error TEXT,
        scope TEXT NOT NULL CHECK (scope IN ('scalr', 'account', 'environment')),
        os_id TEXT NOT NULL,
        CHECK ((scope = 'environment') = (env_id IS NOT NULL))
    ) STRICT;

    CREATE INDEX images_by_age ON images (added);

    -- One registration per cloud image and location in an environment.
    CREATE UNIQUE INDEX images_by_cloud_id
        ON images (ifnull(env_id, 0), cloud_platform, cloud_image_id, ifnull(cloud_location, ''));

    -- A role launches servers from an image: while one does, the image is in use.
    CREATE TABLE roles (
        id INTEGER PRIMARY KEY,
        env_id INTEGER NOT NULL REFERENCES environments (id),
        name TEXT NOT NULL,
        image_id TEXT NOT NULL REFERENCES images (id)
    ) STRICT;

    CREATE INDEX roles_by_image ON roles (image_id);
    ",
    // 2: copies whose image the cloud is still making, which the copy follower polls (and
    // resumes polling after a restart).
    "
    ALTER TABLE images ADD COLUMN copy_pending INTEGER NOT NULL DEFAULT 0 CHECK (copy_pending IN (0, 1));

    CREATE INDEX images_copy_pending ON images (id) WHERE copy_pending = 1;
    ",
];

/// Settings every connection needs: referential integrity; commits that are durable once the WAL
/// is written (a killed process loses no committed transaction, a power cut may lose the last
/// ones, never half of one); and how long to wait for another process's lock before answering
/// busy.
pub fn configure(connection: &Connection, busy_timeout: Duration) -> rusqlite::Result<()> {
    connection.busy_timeout(busy_timeout)?;
    connection.pragma_update(None, "foreign_keys", true)?;
    connection.pragma_update(None, "synchronous", "normal")
}

/// Puts the database in WAL mode, where readers never wait for the writer, and brings its schema
/// up to date in one transaction.
pub fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let mode: String = connection.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Failed(format!("the database cannot use WAL mode, it stays in {mode} mode").into()));
    }
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: usize = transaction.pragma_query_value(None, "user_version", |row| row.get::<_, u32>(0))? as usize;
    if version > MIGRATIONS.len() {
        return Err(StoreError::Failed(
            format!("the database has schema version {version}, newer than this server's {}", MIGRATIONS.len()).into(),
        ));
    }
    for migration in &MIGRATIONS[version..] {
        transaction.execute_batch(migration)?;
    }
    transaction.pragma_update(None, "user_version", MIGRATIONS.len() as u32)?;
    transaction.commit()?;
    Ok(())
}
