//! Storage: one interface, [`Store`], over two engines.
//!
//! * **SQLite** (the default, nothing to install): one file, WAL journal,
//!   `synchronous = FULL` (a commit is on disk before the API answers),
//!   foreign keys on, a 5 s busy timeout; writes take the lock up front
//!   (`BEGIN IMMEDIATE`), so concurrent writers queue instead of failing.
//!   `SQLITE_SYNCHRONOUS=normal` ([`SqliteSync::Normal`]) trades the last
//!   commits before a power loss for write throughput.
//! * **PostgreSQL** (`DATABASE_URL=postgres://…`): the server's default
//!   durability (`synchronous_commit = on`; `?options=-c
//!   synchronous_commit=off` in the URL relaxes it); any number of server
//!   processes may share one database.
//!
//! [`Store::durability`] reads the setting in force back from the engine.
//!
//! Both run on `sqlx` pools: no database call blocks the async runtime
//! (SQLite connections live on their own worker threads). The schema is
//! versioned ([`migrate`]) and migrated on open. Every piece of state —
//! users, comments, signed-out token ids, the admin API's access tokens
//! and download links — lives in the database, none in process memory; the
//! one cache, of `GET /api/comments` pages ([`listing`]), is checked against
//! the database's listing versions on every read. The SQL is written once with `$n` parameters, which both
//! engines accept; [`on_pool!`] compiles each method once per engine.

mod admin;
mod comments;
mod counts;
mod credentials;
mod listing;
pub mod migrate;
mod model;
mod revoked;
mod users;

pub use admin::{AdminUser, ExportRow, OPERATOR};
pub use counts::{StoryCount, StoryRef};
pub use credentials::{LinkError, PatLookup, TokenRow, DOWNLOAD_TTL};
pub use listing::{StoryPage, LISTING_CACHE_BYTES};
pub use model::{default_username, Author, Comment, StoryKey, User};

use crate::auth::AuthError;
use crate::config::Database;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Connections per SQLite pool (readers run in parallel under WAL).
pub const SQLITE_POOL_SIZE: u32 = 8;
/// Connections per PostgreSQL pool (per server process).
pub const POSTGRES_POOL_SIZE: u32 = 16;
/// How long a request waits for a connection or a lock.
pub const WAIT: Duration = Duration::from_secs(5);

/// The database engine behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// SQLite (embedded).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Engine {
    /// The engine's name, as in `/api/health`.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// How SQLite makes a commit durable (`SQLITE_SYNCHRONOUS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SqliteSync {
    /// `synchronous = FULL` (default): the WAL is flushed to disk at every
    /// commit, so an answered write survives a power loss.
    #[default]
    Full,
    /// `synchronous = NORMAL`: the WAL is flushed at checkpoints only; a
    /// crash of the process loses nothing, a power loss or an OS crash may
    /// lose the last commits (the file stays consistent).
    Normal,
}

impl SqliteSync {
    /// Parses `full` or `normal` (any case).
    pub fn parse(s: &str) -> Option<SqliteSync> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" => Some(SqliteSync::Full),
            "normal" => Some(SqliteSync::Normal),
            _ => None,
        }
    }

    fn pragma(self) -> SqliteSynchronous {
        match self {
            SqliteSync::Full => SqliteSynchronous::Full,
            SqliteSync::Normal => SqliteSynchronous::Normal,
        }
    }
}

/// A pool of one engine.
#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The store: cheap to clone (a pool handle and this process's cache of
/// listings, [`listing`]).
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    listings: Arc<listing::ListingCache>,
}

/// What went wrong in the store.
#[derive(Debug)]
pub enum StoreError {
    /// A token rule (e.g. `DUPLICATE_USER`).
    Auth(AuthError),
    /// The database failed.
    Sql(sqlx::Error),
    /// A migration failed.
    Migrate(sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Sql(e)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Migrate(e)
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Auth(e) => write!(f, "{e}"),
            StoreError::Sql(e) => write!(f, "database error: {e}"),
            StoreError::Migrate(e) => write!(f, "migration failed: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Runs `$body` with `$pool` bound to the concrete pool of either engine
/// and `$begin` to the statement that opens a write transaction there.
macro_rules! on_pool {
    ($store:expr, |$pool:ident, $begin:ident| $body:expr) => {
        match &$store.pool {
            $crate::store::Pool::Sqlite($pool) => {
                let $begin = "BEGIN IMMEDIATE";
                $body
            }
            $crate::store::Pool::Postgres($pool) => {
                let $begin = "BEGIN";
                $body
            }
        }
    };
}
pub(crate) use on_pool;

impl Store {
    /// Opens (creating and migrating) the configured database, with the
    /// default durability.
    pub async fn open(db: &Database) -> Result<Store, StoreError> {
        Store::open_with(db, SqliteSync::default()).await
    }

    /// Opens the configured database; `sync` applies to SQLite.
    pub async fn open_with(db: &Database, sync: SqliteSync) -> Result<Store, StoreError> {
        match db {
            Database::Sqlite(path) => Store::open_sqlite_with(path, sync).await,
            Database::Postgres(url) => Store::open_postgres(url).await,
        }
    }

    /// Opens the SQLite file at `path` (directories and file are created).
    pub async fn open_sqlite(path: &Path) -> Result<Store, StoreError> {
        Store::open_sqlite_with(path, SqliteSync::default()).await
    }

    /// [`Store::open_sqlite`] with the given durability.
    pub async fn open_sqlite_with(path: &Path, sync: SqliteSync) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| StoreError::Sql(sqlx::Error::Io(e)))?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(sync.pragma())
            .foreign_keys(true)
            .busy_timeout(WAIT);
        let pool = SqlitePoolOptions::new()
            .max_connections(SQLITE_POOL_SIZE)
            .acquire_timeout(WAIT)
            .connect_with(options)
            .await?;
        migrate::adopt_legacy_sqlite(&pool).await?;
        migrate::sqlite().run(&pool).await?;
        Ok(Store {
            pool: Pool::Sqlite(pool),
            listings: Arc::default(),
        })
    }

    /// Connects to PostgreSQL at `url` (`postgres://user:pass@host:port/db`).
    pub async fn open_postgres(url: &str) -> Result<Store, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(POSTGRES_POOL_SIZE)
            .acquire_timeout(WAIT)
            .connect(url)
            .await?;
        migrate::postgres().run(&pool).await?;
        Ok(Store {
            pool: Pool::Postgres(pool),
            listings: Arc::default(),
        })
    }

    /// Which engine this store uses.
    pub fn engine(&self) -> Engine {
        match self.pool {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// The newest applied migration's version.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success";
        let v: i64 = on_pool!(self, |pool, _begin| sqlx::query_scalar(SQL)
            .fetch_one(pool)
            .await?);
        Ok(v)
    }

    /// The durability setting in force, read from the engine:
    /// `synchronous=FULL` or `synchronous=NORMAL` (SQLite),
    /// `synchronous_commit=on`, `off`, … (PostgreSQL).
    pub async fn durability(&self) -> Result<String, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => {
                let n: i64 = sqlx::query_scalar("PRAGMA synchronous")
                    .fetch_one(pool)
                    .await?;
                let name = ["OFF", "NORMAL", "FULL", "EXTRA"]
                    .get(usize::try_from(n).unwrap_or(usize::MAX))
                    .copied()
                    .unwrap_or("unknown");
                format!("synchronous={name}")
            }
            Pool::Postgres(pool) => {
                let v: String = sqlx::query_scalar("SHOW synchronous_commit")
                    .fetch_one(pool)
                    .await?;
                format!("synchronous_commit={v}")
            }
        })
    }

    /// Closes every connection (waits for those in use).
    pub async fn close(&self) {
        on_pool!(self, |pool, _begin| pool.close().await)
    }
}
