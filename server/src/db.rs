//! The SQLite handle of the admin API (`crate::admin`) and its CLI,
//! transitional: the server itself stores through [`crate::store::Store`]
//! (SQLite or PostgreSQL); `crate::admin` moves there next. On SQLite this
//! opens the same file, and its migrations bring a database written by an
//! older server to the schema `store`'s first migration describes.
//!
//! The schema is versioned with `PRAGMA user_version` and migrated on open.
//! Every write runs in one transaction, so a failure never leaves a
//! half-written user or comment behind.

use crate::auth::{AuthError, Verified};
pub use crate::store::{default_username, Author, Comment, StoryKey, User};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;

/// Schema migrations; index + 1 is the resulting `user_version`.
const MIGRATIONS: &[&str] = &[
    // v1
    "CREATE TABLE users (
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
        UNIQUE (profile, external_id)
    );
    CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email IS NOT NULL;
    CREATE TABLE comments (
        id         INTEGER PRIMARY KEY,
        story_key  TEXT NOT NULL,
        story_id   TEXT,
        story_url  TEXT,
        user_id    INTEGER NOT NULL REFERENCES users (id),
        body       TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX comments_story ON comments (story_key, id);
    CREATE TABLE revoked_tokens (
        profile    TEXT NOT NULL,
        jti        TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (profile, jti)
    );",
    // v2: count badges look a story up by URL (db/counts.rs).
    "CREATE INDEX comments_story_url ON comments (story_url, id);",
    // v3: the admin API (`crate::admin`): deleted accounts,
    // personal access tokens (digests only), single-use download links.
    "ALTER TABLE users ADD COLUMN deleted_at INTEGER;
    CREATE INDEX comments_user ON comments (user_id, id);
    CREATE TABLE access_tokens (
        id             TEXT PRIMARY KEY,
        user_id        INTEGER NOT NULL REFERENCES users (id),
        name           TEXT NOT NULL,
        digest         TEXT NOT NULL UNIQUE,
        created_at     INTEGER NOT NULL,
        deactivated_at INTEGER
    );
    CREATE INDEX access_tokens_user ON access_tokens (user_id);
    CREATE TABLE download_links (
        digest     TEXT PRIMARY KEY,
        user_id    INTEGER NOT NULL REFERENCES users (id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER
    );",
];

/// What went wrong in the store.
#[derive(Debug)]
pub enum DbError {
    /// A token rule (e.g. `DUPLICATE_USER`).
    Auth(AuthError),
    /// SQLite failed.
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        DbError::Sql(e)
    }
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Auth(e) => write!(f, "{e}"),
            DbError::Sql(e) => write!(f, "database error: {e}"),
        }
    }
}

/// The database handle.
#[derive(Debug)]
pub struct Db {
    conn: Connection,
}

/// Reads a row selected with [`USER_COLS`] first.
pub(crate) fn row_user(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let badges: String = r.get(5)?;
    let orgs: Option<String> = r.get(8)?;
    Ok(User {
        id: r.get(0)?,
        profile: r.get(1)?,
        external_id: r.get(2)?,
        email: r.get(3)?,
        username: r.get(4)?,
        badges: serde_json::from_str(&badges).unwrap_or_default(),
        role: r.get(6)?,
        url: r.get(7)?,
        organizations: orgs.and_then(|o| serde_json::from_str(&o).ok()),
        last_iat: r.get(9)?,
    })
}

/// The columns [`row_user`] reads, in order.
pub(crate) const USER_COLS: &str =
    "id, profile, external_id, email, username, badges, role, url, organizations, last_iat";

impl Db {
    /// Opens (creating directories and file) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Db, rusqlite::Error> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                let _ = std::fs::create_dir_all(dir);
            }
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Self::init(conn)
    }

    /// An in-memory database (tests).
    pub fn open_in_memory() -> Result<Db, rusqlite::Error> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Db, rusqlite::Error> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(Db { conn })
    }

    /// The connection (the admin API's queries live in `crate::admin`).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The schema version.
    pub fn schema_version(&self) -> i64 {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap_or(0)
    }

    /// Whether `jti` of `profile` was signed out.
    pub fn is_revoked(&self, profile: &str, jti: &str) -> Result<bool, DbError> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM revoked_tokens WHERE profile = ?1 AND jti = ?2",
                params![profile, jti],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Records a sign-out of `jti` until `expires_at`; prunes expired entries.
    pub fn revoke(
        &self,
        profile: &str,
        jti: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), DbError> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "DELETE FROM revoked_tokens WHERE expires_at < ?1",
            params![now],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO revoked_tokens (profile, jti, expires_at) VALUES (?1, ?2, ?3)",
            params![profile, jti, expires_at],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Looks a user up by profile and external id.
    pub fn find_user(&self, profile: &str, external_id: &str) -> Result<Option<User>, DbError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {USER_COLS} FROM users WHERE profile = ?1 AND external_id = ?2"),
                params![profile, external_id],
                row_user,
            )
            .optional()?)
    }

    /// Creates or updates the user a verified token names, in one transaction.
    ///
    /// * unknown (profile, id): created from the token's claims;
    /// * known: updated only if the token's `iat` is newer than the stored
    ///   one (a token without `iat` never updates), and only with claims the
    ///   token carries;
    /// * `TOKEN_USER_DELETED` if the account was deleted (admin API);
    /// * `DUPLICATE_USER` if the email belongs to another user, in any profile.
    pub fn upsert_user(&self, v: &Verified, now: i64) -> Result<User, DbError> {
        let profile = v.profile.name();
        let id = &v.identity;
        let tx = self.conn.unchecked_transaction().map_err(DbError::Sql)?;
        let existing: Option<User> = tx
            .query_row(
                &format!("SELECT {USER_COLS} FROM users WHERE profile = ?1 AND external_id = ?2"),
                params![profile, id.external_id],
                row_user,
            )
            .optional()?;
        if let Some(u) = &existing {
            // A deleted account keeps its id: every token naming it is refused.
            let deleted: Option<i64> = tx.query_row(
                "SELECT deleted_at FROM users WHERE id = ?1",
                params![u.id],
                |r| r.get(0),
            )?;
            if deleted.is_some() {
                return Err(DbError::Auth(AuthError::UserDeleted));
            }
        }
        if let Some(email) = &id.email {
            let owner: Option<i64> = tx
                .query_row(
                    "SELECT id FROM users WHERE lower(email) = lower(?1)",
                    params![email],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(owner) = owner {
                if existing.as_ref().map(|u| u.id) != Some(owner) {
                    return Err(DbError::Auth(AuthError::DuplicateUser));
                }
            }
        }
        let user = match existing {
            None => {
                let username = id.username.clone().unwrap_or_else(|| default_username(id));
                let badges = serde_json::to_string(id.badges.as_deref().unwrap_or(&[]))
                    .unwrap_or_else(|_| "[]".into());
                let orgs = id
                    .organizations
                    .as_ref()
                    .and_then(|o| serde_json::to_string(o).ok());
                tx.execute(
                    "INSERT INTO users (profile, external_id, email, username, badges, role, url,
                                        organizations, last_iat, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                    params![
                        profile,
                        id.external_id,
                        id.email,
                        username,
                        badges,
                        id.role,
                        id.url,
                        orgs,
                        v.iat,
                        now
                    ],
                )?;
                tx.query_row(
                    &format!("SELECT {USER_COLS} FROM users WHERE id = ?1"),
                    params![tx.last_insert_rowid()],
                    row_user,
                )?
            }
            Some(mut u) => {
                let newer = match (v.iat, u.last_iat) {
                    (Some(new), Some(old)) => new > old,
                    (Some(_), None) => true,
                    (None, _) => false,
                };
                if newer {
                    if let Some(e) = &id.email {
                        u.email = Some(e.clone());
                    }
                    if let Some(n) = &id.username {
                        u.username = n.clone();
                    }
                    if let Some(b) = &id.badges {
                        u.badges = b.clone();
                    }
                    if let Some(r) = &id.role {
                        u.role = Some(r.clone());
                    }
                    if let Some(url) = &id.url {
                        u.url = Some(url.clone());
                    }
                    if let Some(o) = &id.organizations {
                        u.organizations = Some(o.clone());
                    }
                    u.last_iat = v.iat;
                    tx.execute(
                        "UPDATE users SET email = ?2, username = ?3, badges = ?4, role = ?5,
                                url = ?6, organizations = ?7, last_iat = ?8, updated_at = ?9
                         WHERE id = ?1",
                        params![
                            u.id,
                            u.email,
                            u.username,
                            serde_json::to_string(&u.badges).unwrap_or_else(|_| "[]".into()),
                            u.role,
                            u.url,
                            u.organizations
                                .as_ref()
                                .and_then(|o| serde_json::to_string(o).ok()),
                            u.last_iat,
                            now
                        ],
                    )?;
                }
                u
            }
        };
        tx.commit()?;
        Ok(user)
    }

    /// Adds a comment by `user_id`; returns it with its author.
    pub fn add_comment(
        &self,
        user_id: i64,
        story: &StoryKey,
        body: &str,
        now: i64,
    ) -> Result<Comment, DbError> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO comments (story_key, story_id, story_url, user_id, body, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                story.key,
                story.story_id,
                story.story_url,
                user_id,
                body,
                now
            ],
        )?;
        let id = tx.last_insert_rowid();
        let c = tx.query_row(COMMENT_SELECT_BY_ID, params![id], row_comment)?;
        tx.commit()?;
        Ok(c)
    }

    /// The newest `limit` comments of a story, newest first.
    pub fn comments(&self, story: &StoryKey, limit: u32) -> Result<Vec<Comment>, DbError> {
        let mut st = self.conn.prepare_cached(
            "SELECT c.id, c.body, c.created_at, u.username, u.badges, u.role
             FROM comments c JOIN users u ON u.id = c.user_id
             WHERE c.story_key = ?1 ORDER BY c.id DESC LIMIT ?2",
        )?;
        let rows = st.query_map(params![story.key, limit], row_comment)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Number of comments of a story.
    pub fn comment_count(&self, story: &StoryKey) -> Result<i64, DbError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM comments WHERE story_key = ?1",
            params![story.key],
            |r| r.get(0),
        )?)
    }
}

const COMMENT_SELECT_BY_ID: &str = "SELECT c.id, c.body, c.created_at, u.username, u.badges, u.role
     FROM comments c JOIN users u ON u.id = c.user_id WHERE c.id = ?1";

fn row_comment(r: &rusqlite::Row<'_>) -> rusqlite::Result<Comment> {
    let badges: String = r.get(4)?;
    Ok(Comment {
        id: r.get(0)?,
        body: r.get(1)?,
        created_at: r.get(2)?,
        author: Author {
            username: r.get(3)?,
            badges: serde_json::from_str(&badges).unwrap_or_default(),
            role: r.get(5)?,
        },
    })
}
