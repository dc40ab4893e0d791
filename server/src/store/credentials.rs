//! Stored credentials of the admin API: personal access tokens (by digest,
//! owned by a user) and single-use download links (by digest). The store
//! never sees a secret, only its digest (`crate::admin::pat::digest`).

use super::admin::{select_admin, AdminUser, OPERATOR};
use super::users::Row;
use super::{on_pool, Store, StoreError};

/// How long a download link stays valid: two weeks, as Coral's.
pub const DOWNLOAD_TTL: i64 = 14 * 24 * 3600;

/// A personal access token's public part (Coral's `Token`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRow {
    /// Token id (a UUID), what `deactivateToken` takes.
    pub id: String,
    /// Name given at creation.
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Owner's row id.
    pub user_id: i64,
}

/// What a presented personal access token turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatLookup {
    /// No token has this digest.
    Unknown,
    /// It was deactivated (or its owner deleted).
    Deactivated,
    /// Valid: the token and its owner (whose role is checked per field).
    Active(TokenRow, Box<AdminUser>),
}

/// Why a download link does not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// No such link (or its user was deleted since).
    Unknown,
    /// Already downloaded once.
    Used,
    /// Older than [`DOWNLOAD_TTL`].
    Expired,
}

impl Store {
    /// Looks a presented token up by its digest.
    pub async fn find_pat(&self, digest: &str) -> Result<PatLookup, StoreError> {
        const SQL: &str = "SELECT id, name, created_at, user_id, deactivated_at
             FROM access_tokens WHERE digest = $1";
        #[derive(sqlx::FromRow)]
        struct Found {
            #[sqlx(flatten)]
            token: TokenRow,
            deactivated_at: Option<i64>,
        }
        let found: Option<Found> = on_pool!(self, |pool, _begin| sqlx::query_as(SQL)
            .bind(digest)
            .fetch_optional(pool)
            .await?);
        let Some(found) = found else {
            return Ok(PatLookup::Unknown);
        };
        if found.deactivated_at.is_some() {
            return Ok(PatLookup::Deactivated);
        }
        match self.admin_user(found.token.user_id).await? {
            Some(owner) if owner.deleted_at.is_none() => {
                Ok(PatLookup::Active(found.token, Box::new(owner)))
            }
            _ => Ok(PatLookup::Deactivated),
        }
    }

    /// The active tokens of a user, oldest first.
    pub async fn tokens_of(&self, user_id: i64) -> Result<Vec<TokenRow>, StoreError> {
        const SQL: &str = "SELECT id, name, created_at, user_id FROM access_tokens
             WHERE user_id = $1 AND deactivated_at IS NULL ORDER BY created_at, id";
        let rows = on_pool!(self, |pool, _begin| sqlx::query_as(SQL)
            .bind(user_id)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// Stores a new token named `name` for `user_id` by its digest.
    pub async fn create_token(
        &self,
        user_id: i64,
        name: &str,
        digest: &str,
        now: i64,
    ) -> Result<TokenRow, StoreError> {
        const SQL: &str = "INSERT INTO access_tokens (id, user_id, name, digest, created_at)
             VALUES ($1, $2, $3, $4, $5)";
        let id = crate::random::random_uuid();
        on_pool!(self, |pool, _begin| {
            sqlx::query(SQL)
                .bind(&id)
                .bind(user_id)
                .bind(name)
                .bind(digest)
                .bind(now)
                .execute(pool)
                .await?;
        });
        Ok(TokenRow {
            id,
            name: name.to_string(),
            created_at: now,
            user_id,
        })
    }

    /// Deactivates the active token `id` of `user_id` (`None`: it has none).
    pub async fn deactivate_token(
        &self,
        user_id: i64,
        id: &str,
        now: i64,
    ) -> Result<Option<TokenRow>, StoreError> {
        const SQL: &str = "UPDATE access_tokens SET deactivated_at = $3
             WHERE id = $1 AND user_id = $2 AND deactivated_at IS NULL
             RETURNING id, name, created_at, user_id";
        let row = on_pool!(self, |pool, _begin| sqlx::query_as(SQL)
            .bind(id)
            .bind(user_id)
            .bind(now)
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// Deactivates token `id` whoever owns it (the operator's CLI); `false`
    /// if no active token has that id.
    pub async fn revoke_token(&self, id: &str, now: i64) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE access_tokens SET deactivated_at = $2
             WHERE id = $1 AND deactivated_at IS NULL";
        let n = on_pool!(self, |pool, _begin| sqlx::query(SQL)
            .bind(id)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n == 1)
    }

    /// Every active token with its owner's `profile:id`, oldest first.
    pub async fn active_tokens(&self) -> Result<Vec<(TokenRow, String)>, StoreError> {
        const SQL: &str = "SELECT t.id, t.name, t.created_at, t.user_id,
                    u.profile || ':' || u.external_id AS owner
             FROM access_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.deactivated_at IS NULL ORDER BY t.created_at, t.id";
        #[derive(sqlx::FromRow)]
        struct Listed {
            #[sqlx(flatten)]
            token: TokenRow,
            owner: String,
        }
        let rows: Vec<Listed> = on_pool!(self, |pool, _begin| sqlx::query_as(SQL)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(|r| (r.token, r.owner)).collect())
    }

    /// The operator account (created on first use): profile `local`, id
    /// `stream-admin`, role `ADMIN`, no email. No token profile can name it.
    pub async fn ensure_operator(&self, now: i64) -> Result<AdminUser, StoreError> {
        const INSERT: &str =
            "INSERT INTO users (profile, external_id, username, role, created_at, updated_at)
             VALUES ($1, $2, $2, 'ADMIN', $3, $3) ON CONFLICT (profile, external_id) DO NOTHING";
        const SELECT: &str = concat!(select_admin!(), "WHERE profile = $1 AND external_id = $2");
        let (profile, id) = OPERATOR;
        let row: Row = on_pool!(self, |pool, _begin| {
            sqlx::query(INSERT)
                .bind(profile)
                .bind(id)
                .bind(now)
                .execute(pool)
                .await?;
            sqlx::query_as(SELECT)
                .bind(profile)
                .bind(id)
                .fetch_one(pool)
                .await?
        });
        Ok(AdminUser::from(row))
    }

    /// Stores a download link for `user_id` by its digest, pruning links
    /// that expired; returns when it expires.
    pub async fn create_download(
        &self,
        user_id: i64,
        digest: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        let expires_at = now + DOWNLOAD_TTL;
        on_pool!(self, |pool, begin| {
            let mut tx = pool.begin_with(begin).await?;
            sqlx::query("DELETE FROM download_links WHERE expires_at < $1")
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO download_links (digest, user_id, created_at, expires_at)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(digest)
            .bind(user_id)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(expires_at)
    }

    /// Marks the link with `digest` used and returns its live user and
    /// creation time; a link opens once (also across instances: the row
    /// is claimed by one conditional update).
    pub async fn redeem_download(
        &self,
        digest: &str,
        now: i64,
    ) -> Result<Result<(AdminUser, i64), LinkError>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Link {
            user_id: i64,
            created_at: i64,
            expires_at: i64,
            used_at: Option<i64>,
        }
        const FIND: &str = "SELECT user_id, created_at, expires_at, used_at
             FROM download_links WHERE digest = $1";
        const CLAIM: &str = "UPDATE download_links SET used_at = $2
             WHERE digest = $1 AND used_at IS NULL";
        let link: Option<Link> = on_pool!(self, |pool, _begin| sqlx::query_as(FIND)
            .bind(digest)
            .fetch_optional(pool)
            .await?);
        let Some(link) = link else {
            return Ok(Err(LinkError::Unknown));
        };
        if link.used_at.is_some() {
            return Ok(Err(LinkError::Used));
        }
        if now >= link.expires_at {
            return Ok(Err(LinkError::Expired));
        }
        let Some(user) = self
            .admin_user(link.user_id)
            .await?
            .filter(|u| u.deleted_at.is_none())
        else {
            return Ok(Err(LinkError::Unknown));
        };
        let claimed = on_pool!(self, |pool, _begin| sqlx::query(CLAIM)
            .bind(digest)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        if claimed != 1 {
            return Ok(Err(LinkError::Used));
        }
        Ok(Ok((user, link.created_at)))
    }
}
