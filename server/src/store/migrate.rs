//! Versioned migrations, one list per engine, compiled into the binary and
//! applied on open by `sqlx`'s migrator (its `_sqlx_migrations` table
//! records each version and checksum; on PostgreSQL it holds an advisory
//! lock, so several instances starting at once migrate once).
//!
//! To change the schema: add `NNNN_name.sql` to both
//! `migrations/sqlite/` and `migrations/postgres/` and one line to each
//! list below. Never edit an applied migration (its checksum is checked).

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::SqlitePool;
use sqlx::SqlSafeStr;
use std::borrow::Cow;

type Source = &'static [(i64, &'static str, &'static str)];

/// SQLite migrations: (version, description, SQL).
pub const SQLITE: Source = &[
    (1, "init", include_str!("migrations/sqlite/0001_init.sql")),
    (
        2,
        "listing versions",
        include_str!("migrations/sqlite/0002_listing_versions.sql"),
    ),
];

/// PostgreSQL migrations: (version, description, SQL).
pub const POSTGRES: Source = &[
    (1, "init", include_str!("migrations/postgres/0001_init.sql")),
    (
        2,
        "listing versions",
        include_str!("migrations/postgres/0002_listing_versions.sql"),
    ),
];

fn migrator(source: Source) -> Migrator {
    Migrator::with_migrations(
        source
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}

/// The SQLite migrator.
pub fn sqlite() -> Migrator {
    migrator(SQLITE)
}

/// The PostgreSQL migrator.
pub fn postgres() -> Migrator {
    migrator(POSTGRES)
}

/// Brings a SQLite file of the server before versioned migrations (schema
/// counted in `PRAGMA user_version`, 1 to 3) to what the first migration
/// adopts: versions 1 and 2 lack `users.deleted_at`, which `CREATE TABLE IF
/// NOT EXISTS` cannot add; the missing tables and indexes the first
/// migration creates itself. A new file (version 0) is left alone.
pub async fn adopt_legacy_sqlite(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let version: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(&mut *tx)
        .await?;
    if (1..3).contains(&version) {
        sqlx::query("ALTER TABLE users ADD COLUMN deleted_at INTEGER")
            .execute(&mut *tx)
            .await?;
        sqlx::query("PRAGMA user_version = 3")
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}
