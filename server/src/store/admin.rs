//! Users as the admin API (`crate::admin`) sees them: lookups by row or
//! public id, pages of users, the admin changes, account deletion and the
//! pages of a user's comments archive. Every write is one transaction.

use super::users::{unique_violation, Row};
use super::{on_pool, Store, StoreError, User};
use crate::auth::AuthError;

/// The account that `stream-server token create` gives its tokens to.
pub const OPERATOR: (&str, &str) = ("local", "stream-admin");

/// A user as the admin API sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminUser {
    /// Internal row id.
    pub row_id: i64,
    /// Token profile (`coral`, `talk-v4`, `token`) or `local` for the operator.
    pub profile: String,
    /// The publisher's id (`user.id` / `sub`): the GraphQL `User.id`.
    pub external_id: String,
    /// Email.
    pub email: Option<String>,
    /// Display name.
    pub username: String,
    /// Badges.
    pub badges: Vec<String>,
    /// Coral role, if any.
    pub role: Option<String>,
    /// Account management URL.
    pub url: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds, once deleted.
    pub deleted_at: Option<i64>,
}

impl AdminUser {
    /// Whether this user may use the admin API (role `ADMIN`, not deleted).
    pub fn is_admin(&self) -> bool {
        self.role.as_deref() == Some("ADMIN") && self.deleted_at.is_none()
    }
}

impl From<Row> for AdminUser {
    fn from(r: Row) -> AdminUser {
        let (created_at, deleted_at) = (r.created_at, r.deleted_at);
        let u = User::from(r);
        AdminUser {
            row_id: u.id,
            profile: u.profile,
            external_id: u.external_id,
            email: u.email,
            username: u.username,
            badges: u.badges,
            role: u.role,
            url: u.url,
            created_at,
            deleted_at,
        }
    }
}

/// One comment of an archive.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExportRow {
    /// Comment id (the page cursor: rows come in ascending id order).
    pub id: i64,
    /// Unix seconds.
    pub created_at: i64,
    /// The story's URL, when the comment was posted with one.
    pub story_url: Option<String>,
    /// The comment text.
    pub body: String,
}

/// `SELECT` of every column [`AdminUser`] needs, up to `FROM users`.
macro_rules! select_admin {
    () => {
        concat!(
            "SELECT ",
            $crate::store::users::user_cols!(),
            ", created_at, deleted_at FROM users "
        )
    };
}
pub(super) use select_admin;

/// An admin change counts as an update issued at `$3`: `last_iat` (the
/// issue time an SSO token's `iat` must exceed to update the user) becomes
/// at least `$3`. Only a live account changes.
macro_rules! admin_change {
    ($set:literal) => {
        concat!(
            "UPDATE users SET ",
            $set,
            " = $2, updated_at = $3,
                 last_iat = CASE WHEN last_iat IS NULL OR last_iat < $3 THEN $3 ELSE last_iat END
             WHERE id = $1 AND deleted_at IS NULL"
        )
    };
}

/// Escapes `LIKE`'s wildcards (escape character `\`).
fn like_pattern(q: &str) -> String {
    let escaped = q
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

impl Store {
    /// The user with internal id `row_id`.
    pub async fn admin_user(&self, row_id: i64) -> Result<Option<AdminUser>, StoreError> {
        const SQL: &str = concat!(select_admin!(), "WHERE id = $1");
        let row: Option<Row> = on_pool!(self, |pool, _begin| sqlx::query_as(SQL)
            .bind(row_id)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(AdminUser::from))
    }

    /// Up to `limit` users whose publisher id is `external_id`, under any
    /// profile, oldest first.
    pub async fn admin_users_by_id(
        &self,
        external_id: &str,
        limit: u32,
    ) -> Result<Vec<AdminUser>, StoreError> {
        const SQL: &str = concat!(
            select_admin!(),
            "WHERE external_id = $1 ORDER BY id LIMIT $2"
        );
        let rows: Vec<Row> = on_pool!(self, |pool, _begin| sqlx::query_as(SQL)
            .bind(external_id)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(AdminUser::from).collect())
    }

    /// The user `external_id` of `profile`.
    pub async fn admin_user_by_key(
        &self,
        profile: &str,
        external_id: &str,
    ) -> Result<Option<AdminUser>, StoreError> {
        const SQL: &str = concat!(select_admin!(), "WHERE profile = $1 AND external_id = $2");
        let row: Option<Row> = on_pool!(self, |pool, _begin| sqlx::query_as(SQL)
            .bind(profile)
            .bind(external_id)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(AdminUser::from))
    }

    /// Up to `first` users with a row id below `after`, newest first, whose
    /// id equals `query` or whose username or email contains it
    /// (case-insensitive); and whether more follow.
    pub async fn admin_users_page(
        &self,
        first: u32,
        after: Option<i64>,
        query: Option<&str>,
    ) -> Result<(Vec<AdminUser>, bool), StoreError> {
        const SQL: &str = concat!(
            select_admin!(),
            "WHERE ($1 IS NULL OR id < $1)
               AND ($2 IS NULL OR external_id = $2
                    OR lower(username) LIKE $3 ESCAPE '\\'
                    OR lower(coalesce(email, '')) LIKE $3 ESCAPE '\\')
             ORDER BY id DESC LIMIT $4"
        );
        let q = query.map(str::trim).filter(|q| !q.is_empty());
        let rows: Vec<Row> = on_pool!(self, |pool, _begin| sqlx::query_as(SQL)
            .bind(after)
            .bind(q)
            .bind(q.map(like_pattern))
            .bind(i64::from(first) + 1)
            .fetch_all(pool)
            .await?);
        let more = rows.len() > first as usize;
        Ok((
            rows.into_iter()
                .take(first as usize)
                .map(AdminUser::from)
                .collect(),
            more,
        ))
    }

    /// Sets a live user's username, as an admin change at `now` (a token
    /// issued before it never undoes it); `false` if the user is deleted.
    pub async fn set_username(
        &self,
        row_id: i64,
        username: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = admin_change!("username");
        let n = on_pool!(self, |pool, _begin| sqlx::query(SQL)
            .bind(row_id)
            .bind(username)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n == 1)
    }

    /// Sets a live user's email, as [`Store::set_username`];
    /// `DUPLICATE_USER` if another user, in any profile, has it
    /// (case-insensitive), as on the SSO path.
    pub async fn set_email(&self, row_id: i64, email: &str, now: i64) -> Result<bool, StoreError> {
        const SQL: &str = admin_change!("email");
        let r: Result<bool, StoreError> = on_pool!(self, |pool, begin| {
            async {
                let mut tx = pool.begin_with(begin).await?;
                let owner: Option<i64> = sqlx::query_scalar(super::users::EMAIL_OWNER)
                    .bind(email)
                    .fetch_optional(&mut *tx)
                    .await?;
                if owner.is_some_and(|o| o != row_id) {
                    return Err(StoreError::Auth(AuthError::DuplicateUser));
                }
                let n = sqlx::query(SQL)
                    .bind(row_id)
                    .bind(email)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                Ok(n == 1)
            }
            .await
        });
        // Another instance gave the address away between our read and write.
        r.map_err(|e| match e {
            StoreError::Sql(s) if unique_violation(&s) == Some(true) => {
                StoreError::Auth(AuthError::DuplicateUser)
            }
            other => other,
        })
    }

    /// Deletes an account now, as Coral's `deleteUser` (see
    /// `crate::admin::graphql`): its comments go, the user keeps a
    /// tombstone without email (so every token naming it is refused), its
    /// personal access tokens are deactivated and its download links
    /// dropped. `false` if it was already deleted.
    pub async fn delete_user(&self, row_id: i64, now: i64) -> Result<bool, StoreError> {
        let n = on_pool!(self, |pool, begin| {
            let mut tx = pool.begin_with(begin).await?;
            let n = sqlx::query(
                "UPDATE users SET deleted_at = $2, email = NULL, updated_at = $2
                 WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(row_id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query("DELETE FROM comments WHERE user_id = $1")
                .bind(row_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE access_tokens SET deactivated_at = $2
                 WHERE user_id = $1 AND deactivated_at IS NULL",
            )
            .bind(row_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM download_links WHERE user_id = $1")
                .bind(row_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            n
        });
        Ok(n == 1)
    }

    /// Up to `limit` comments of a user with an id above `after_id` and
    /// written at or before `before`, oldest first.
    pub async fn export_page(
        &self,
        row_id: i64,
        before: i64,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<ExportRow>, StoreError> {
        const SQL: &str = "SELECT id, created_at, story_url, body FROM comments
             WHERE user_id = $1 AND created_at <= $2 AND id > $3
             ORDER BY id LIMIT $4";
        let rows = on_pool!(self, |pool, _begin| sqlx::query_as(SQL)
            .bind(row_id)
            .bind(before)
            .bind(after_id)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }
}
