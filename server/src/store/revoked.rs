//! Signed-out token ids (`DELETE /api/session`), shared by every instance.

use super::{on_pool, Store, StoreError};

impl Store {
    /// Whether `jti` of `profile` was signed out.
    pub async fn is_revoked(&self, profile: &str, jti: &str) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT 1 FROM revoked_tokens WHERE profile = $1 AND jti = $2";
        let found = on_pool!(self, |pool, _begin| sqlx::query(SQL)
            .bind(profile)
            .bind(jti)
            .fetch_optional(pool)
            .await?
            .is_some());
        Ok(found)
    }

    /// Records a sign-out of `jti` until `expires_at`; prunes expired entries.
    pub async fn revoke(
        &self,
        profile: &str,
        jti: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool, begin| {
            let mut tx = pool.begin_with(begin).await?;
            sqlx::query("DELETE FROM revoked_tokens WHERE expires_at < $1")
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO revoked_tokens (profile, jti, expires_at) VALUES ($1, $2, $3)
                 ON CONFLICT (profile, jti) DO NOTHING",
            )
            .bind(profile)
            .bind(jti)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
