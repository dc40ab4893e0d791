//! Versioned migrations, one list per engine, compiled into the binary and
//! applied on open by `sqlx`'s migrator (its `_sqlx_migrations` table
//! records each version and checksum; on PostgreSQL it holds an advisory
//! lock, so several instances starting at once migrate once).
//!
//! To change the schema: add `NNNN_name.sql` to both
//! `migrations/sqlite/` and `migrations/postgres/` and one line to each
//! list below. Never edit an applied migration (its checksum is checked).

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::SqlSafeStr;
use std::borrow::Cow;

type Source = &'static [(i64, &'static str, &'static str)];

/// SQLite migrations: (version, description, SQL).
pub const SQLITE: Source = &[(1, "init", include_str!("migrations/sqlite/0001_init.sql"))];

/// PostgreSQL migrations: (version, description, SQL).
pub const POSTGRES: Source = &[(1, "init", include_str!("migrations/postgres/0001_init.sql"))];

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
