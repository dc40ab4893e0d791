-- v1: users, comments, signed-out token ids, the admin API's tokens and download links.
-- IF NOT EXISTS: a file of an older server (already migrated by src/db.rs) is adopted.
CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY,
    profile       TEXT NOT NULL,
    external_id   TEXT NOT NULL,
    email         TEXT,
    username      TEXT NOT NULL,
    badges        TEXT NOT NULL DEFAULT '[]',
    role          TEXT,
    url           TEXT,
    organizations TEXT,
    last_iat      INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER,
    UNIQUE (profile, external_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (lower(email)) WHERE email IS NOT NULL;
CREATE TABLE IF NOT EXISTS comments (
    id         INTEGER PRIMARY KEY,
    story_key  TEXT NOT NULL,
    story_id   TEXT,
    story_url  TEXT,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_story ON comments (story_key, id);
CREATE TABLE IF NOT EXISTS revoked_tokens (
    profile    TEXT NOT NULL,
    jti        TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (profile, jti)
);
CREATE INDEX IF NOT EXISTS revoked_tokens_expiry ON revoked_tokens (expires_at);
CREATE INDEX IF NOT EXISTS comments_story_url ON comments (story_url, id);
CREATE INDEX IF NOT EXISTS comments_user ON comments (user_id, id);
-- The admin API (crate::admin): personal access tokens (digests only) and
-- single-use download links.
CREATE TABLE IF NOT EXISTS access_tokens (
    id             TEXT PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users (id),
    name           TEXT NOT NULL,
    digest         TEXT NOT NULL UNIQUE,
    created_at     INTEGER NOT NULL,
    deactivated_at INTEGER
);
CREATE INDEX IF NOT EXISTS access_tokens_user ON access_tokens (user_id);
CREATE TABLE IF NOT EXISTS download_links (
    digest     TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
