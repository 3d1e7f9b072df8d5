-- The PostgreSQL schema of the copy server: the SQLite schema's tables and constraints
-- (src/store/schema.rs), in PostgreSQL's types, and the per-key-per-minute request counts that
-- several instances share. refinery applies it once and records it in refinery_schema_history.

CREATE TABLE environments (
    id BIGINT PRIMARY KEY CHECK (id > 0),
    name TEXT NOT NULL
);

CREATE TABLE environment_platforms (
    env_id BIGINT NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    PRIMARY KEY (env_id, platform)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    active BOOLEAN NOT NULL
);

CREATE TABLE user_environments (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    env_id BIGINT NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, env_id)
);

CREATE TABLE user_permissions (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY (user_id, permission)
);

-- The secret is kept as sent: verifying a signature needs it. Grant this table to the server's
-- role only.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY CHECK (id <> ''),
    secret TEXT NOT NULL CHECK (secret <> ''),
    active BOOLEAN NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE
);

-- Enumerations are kept in their wire form, the text the API shows and filters on. `seq` is the
-- order of insertion (SQLite's rowid), which orders images added in the same second.
CREATE TABLE images (
    id UUID PRIMARY KEY,
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    env_id BIGINT REFERENCES environments (id),
    name TEXT NOT NULL,
    cloud_image_id TEXT NOT NULL,
    cloud_location TEXT,
    cloud_platform TEXT NOT NULL,
    added BIGINT NOT NULL,
    last_used BIGINT,
    scalr_agent_installed BOOLEAN NOT NULL,
    cloud_init_installed BOOLEAN NOT NULL,
    architecture TEXT NOT NULL CHECK (architecture IN ('i386', 'x86_64')),
    size BIGINT CHECK (size >= 0),
    deprecated BOOLEAN NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('Manual', 'BundleTask')),
    status TEXT NOT NULL CHECK (status IN ('active', 'pending_delete', 'failed')),
    type TEXT,
    status_error TEXT,
    scope TEXT NOT NULL CHECK (scope IN ('scalr', 'account', 'environment')),
    os_id TEXT NOT NULL,
    CHECK ((scope = 'environment') = (env_id IS NOT NULL))
);

CREATE INDEX images_by_age ON images (added, seq);

-- One registration per cloud image and location in an environment.
CREATE UNIQUE INDEX images_by_cloud_id
    ON images (coalesce(env_id, 0), cloud_platform, cloud_image_id, coalesce(cloud_location, ''));

-- A role launches servers from an image: while one does, the image is in use.
CREATE TABLE roles (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    env_id BIGINT NOT NULL REFERENCES environments (id),
    name TEXT NOT NULL,
    image_id UUID NOT NULL REFERENCES images (id)
);

CREATE INDEX roles_by_image ON roles (image_id);

-- The rate limit's counts: requests of each key in each UTC minute (minutes since the epoch),
-- one upserted row per key and minute, whichever instance serves the request.
CREATE TABLE request_counts (
    key_id TEXT NOT NULL,
    minute BIGINT NOT NULL,
    count BIGINT NOT NULL CHECK (count > 0),
    PRIMARY KEY (key_id, minute)
);
