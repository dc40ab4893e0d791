//! Users: created by their first valid token, updated by newer ones.

use super::model::default_username;
use super::{on_pool, Store, StoreError, User};
use crate::auth::{AuthError, Identity, Verified};

/// The columns a [`Row`] reads, as a literal for `concat!`.
macro_rules! user_cols {
    () => {
        "id, profile, external_id, email, username, badges, role, url, organizations, last_iat"
    };
}
pub(super) use user_cols;

const BY_KEY: &str = concat!(
    "SELECT ",
    user_cols!(),
    ", deleted_at FROM users WHERE profile = $1 AND external_id = $2"
);
/// The user who owns an email address, in any profile (case-insensitive).
/// `email IS NOT NULL` lets the engine use the partial index `users_email`
/// (SQLite cannot infer it from `lower(email) = …`, and scanned every user).
pub(super) const EMAIL_OWNER: &str =
    "SELECT id FROM users WHERE lower(email) = lower($1) AND email IS NOT NULL";
/// A user by key, with the owner of the token's email (`$3`), in one
/// statement: what [`Store::upsert_user`] reads before deciding to write.
const BY_KEY_WITH_OWNER: &str = concat!(
    "SELECT ",
    user_cols!(),
    ", deleted_at, (SELECT o.id FROM users o WHERE lower(o.email) = lower($3)
                     AND o.email IS NOT NULL) AS email_owner
     FROM users WHERE profile = $1 AND external_id = $2"
);
const INSERT: &str = concat!(
    "INSERT INTO users (profile, external_id, email, username, badges, role, url,
                        organizations, last_iat, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING ",
    user_cols!()
);

/// A `users` row as stored (lists as JSON text).
#[derive(sqlx::FromRow)]
pub(super) struct Row {
    pub(super) id: i64,
    profile: String,
    external_id: String,
    email: Option<String>,
    username: String,
    badges: String,
    role: Option<String>,
    url: Option<String>,
    organizations: Option<String>,
    last_iat: Option<i64>,
    /// Unix seconds (selected only where needed).
    #[sqlx(default)]
    pub(super) created_at: i64,
    /// Set when an admin deleted the account (selected only where needed).
    #[sqlx(default)]
    pub(super) deleted_at: Option<i64>,
    /// Who owns the token's email (selected only by the upsert's read).
    #[sqlx(default)]
    email_owner: Option<i64>,
}

impl From<Row> for User {
    fn from(r: Row) -> User {
        User {
            id: r.id,
            profile: r.profile,
            external_id: r.external_id,
            email: r.email,
            username: r.username,
            badges: serde_json::from_str(&r.badges).unwrap_or_default(),
            role: r.role,
            url: r.url,
            organizations: r.organizations.and_then(|o| serde_json::from_str(&o).ok()),
            last_iat: r.last_iat,
        }
    }
}

fn badges_json(b: &[String]) -> String {
    serde_json::to_string(b).unwrap_or_else(|_| "[]".into())
}

/// A unique violation: on `users_email` it is `DUPLICATE_USER`; on the
/// (profile, id) key another instance created the user first (retry).
pub(super) fn unique_violation(e: &sqlx::Error) -> Option<bool> {
    let db = e.as_database_error()?;
    db.is_unique_violation()
        .then(|| db.constraint() == Some("users_email"))
}

/// The stored details after a token with `iat` (`None`: nothing changes).
fn merged(mut u: User, v: &Verified) -> Option<User> {
    let newer = match (v.iat, u.last_iat) {
        (Some(new), Some(old)) => new > old,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if !newer {
        return None;
    }
    let id: &Identity = &v.identity;
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
    Some(u)
}

impl Store {
    /// Looks a user up by profile and external id.
    pub async fn find_user(
        &self,
        profile: &str,
        external_id: &str,
    ) -> Result<Option<User>, StoreError> {
        let row: Option<Row> = on_pool!(self, |pool, _begin| sqlx::query_as(BY_KEY)
            .bind(profile)
            .bind(external_id)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(User::from))
    }

    /// Creates or updates the user a verified token names, in one transaction.
    ///
    /// * unknown (profile, id): created from the token's claims;
    /// * known: updated only if the token's `iat` is newer than the stored
    ///   one (a token without `iat` never updates), and only with claims the
    ///   token carries;
    /// * `TOKEN_USER_DELETED` if the account was deleted (admin API);
    /// * `DUPLICATE_USER` if the email belongs to another user, in any profile.
    ///
    /// The steady state (a known user whose token changes nothing) is one
    /// read, without a transaction or a lock: only a token that creates or
    /// changes the user opens a write transaction (and re-reads inside it).
    pub async fn upsert_user(&self, v: &Verified, now: i64) -> Result<User, StoreError> {
        if let Some(user) = self.unchanged_user(v).await? {
            return Ok(user);
        }
        match self.try_upsert_user(v, now).await {
            // Another instance created the same user between our read and
            // our insert: read it again (once).
            Err(StoreError::Sql(e)) if unique_violation(&e) == Some(false) => {
                self.try_upsert_user(v, now).await
            }
            r => r,
        }
    }

    /// The stored user if `v` changes nothing (known, live, its email not
    /// another user's, not newer): one statement, no write lock. `None`:
    /// the write path decides (create, update, or refuse).
    async fn unchanged_user(&self, v: &Verified) -> Result<Option<User>, StoreError> {
        let row: Option<Row> = on_pool!(self, |pool, _begin| sqlx::query_as(BY_KEY_WITH_OWNER)
            .bind(v.profile.name())
            .bind(&v.identity.external_id)
            .bind(&v.identity.email)
            .fetch_optional(pool)
            .await?);
        let Some(row) = row else { return Ok(None) };
        if row.deleted_at.is_some() {
            return Err(StoreError::Auth(AuthError::UserDeleted));
        }
        if v.identity.email.is_some() && row.email_owner.is_some_and(|o| o != row.id) {
            return Ok(None);
        }
        let stored = User::from(row);
        Ok(merged(stored.clone(), v).is_none().then_some(stored))
    }

    async fn try_upsert_user(&self, v: &Verified, now: i64) -> Result<User, StoreError> {
        let profile = v.profile.name();
        let id = &v.identity;
        // An async block, so `?` lands in `result` (mapped below).
        let result: Result<User, StoreError> = on_pool!(self, |pool, begin| {
            async {
            let mut tx = pool.begin_with(begin).await?;
            let existing: Option<Row> = sqlx::query_as(BY_KEY)
                .bind(profile)
                .bind(&id.external_id)
                .fetch_optional(&mut *tx)
                .await?;
            // A deleted account keeps its id: every token naming it is refused.
            if existing.as_ref().is_some_and(|u| u.deleted_at.is_some()) {
                return Err(StoreError::Auth(AuthError::UserDeleted));
            }
            if let Some(email) = &id.email {
                let owner: Option<i64> =
                    sqlx::query_scalar(EMAIL_OWNER)
                        .bind(email)
                        .fetch_optional(&mut *tx)
                        .await?;
                if owner.is_some() && owner != existing.as_ref().map(|u| u.id) {
                    return Err(StoreError::Auth(AuthError::DuplicateUser));
                }
            }
            let user = match existing {
                None => {
                    let row: Row = sqlx::query_as(INSERT)
                        .bind(profile)
                        .bind(&id.external_id)
                        .bind(&id.email)
                        .bind(id.username.clone().unwrap_or_else(|| default_username(id)))
                        .bind(badges_json(id.badges.as_deref().unwrap_or(&[])))
                        .bind(&id.role)
                        .bind(&id.url)
                        .bind(id.organizations.as_ref().and_then(|o| serde_json::to_string(o).ok()))
                        .bind(v.iat)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                    User::from(row)
                }
                Some(row) => {
                    let stored = User::from(row);
                    match merged(stored.clone(), v) {
                        None => stored,
                        Some(u) => {
                            sqlx::query(
                                "UPDATE users SET email = $2, username = $3, badges = $4, role = $5,
                                        url = $6, organizations = $7, last_iat = $8, updated_at = $9
                                 WHERE id = $1",
                            )
                            .bind(u.id)
                            .bind(&u.email)
                            .bind(&u.username)
                            .bind(badges_json(&u.badges))
                            .bind(&u.role)
                            .bind(&u.url)
                            .bind(u.organizations.as_ref().and_then(|o| serde_json::to_string(o).ok()))
                            .bind(u.last_iat)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                            u
                        }
                    }
                }
            };
            tx.commit().await?;
            Ok(user)
        }
        .await
        });
        result.map_err(|e| match e {
            StoreError::Sql(s) if unique_violation(&s) == Some(true) => {
                StoreError::Auth(AuthError::DuplicateUser)
            }
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{BY_KEY_WITH_OWNER, EMAIL_OWNER};
    use crate::store::{Pool, Store};

    /// The email owner lookups use the partial index `users_email` on
    /// SQLite instead of scanning every user (PostgreSQL infers
    /// `email IS NOT NULL` itself).
    #[tokio::test]
    async fn email_owner_lookups_use_the_index() {
        let dir = std::env::temp_dir().join(format!("stream-users-plan-{}", std::process::id()));
        let store = Store::open_sqlite(&dir.join("plan.sqlite3")).await.unwrap();
        let Pool::Sqlite(pool) = &store.pool else {
            unreachable!("a SQLite store")
        };
        for sql in [EMAIL_OWNER, BY_KEY_WITH_OWNER] {
            let plan: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                    .bind("coral")
                    .bind("id")
                    .bind("a@b.example")
                    .fetch_all(pool)
                    .await
                    .unwrap();
            let steps: Vec<&str> = plan.iter().map(|r| r.3.as_str()).collect();
            assert!(
                steps.iter().any(|s| s.contains("USING INDEX users_email")),
                "{sql}: {steps:?}"
            );
            assert!(
                !steps.iter().any(|s| s.starts_with("SCAN")),
                "{sql}: {steps:?}"
            );
        }
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
