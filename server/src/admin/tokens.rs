//! Stored credentials of the admin API: personal access tokens (by digest,
//! owned by a user) and single-use download links.

use super::pat;
use super::store::{user_by_row, AdminUser, Sql, OPERATOR};
use rusqlite::{params, Connection, OptionalExtension};

/// How long a download link stays valid: two weeks, as Coral's.
pub const DOWNLOAD_TTL: i64 = 14 * 24 * 3600;

/// A personal access token's public part (Coral's `Token`).
#[derive(Debug, Clone, PartialEq, Eq)]
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

fn row_token(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenRow> {
    Ok(TokenRow {
        id: r.get(0)?,
        name: r.get(1)?,
        created_at: r.get(2)?,
        user_id: r.get(3)?,
    })
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

/// Looks a presented token up by its digest.
pub fn find_pat(conn: &Connection, secret: &str) -> Sql<PatLookup> {
    let found: Option<(TokenRow, Option<i64>)> = conn
        .query_row(
            "SELECT id, name, created_at, user_id, deactivated_at FROM access_tokens
             WHERE digest = ?1",
            params![pat::digest(secret)],
            |r| Ok((row_token(r)?, r.get(4)?)),
        )
        .optional()?;
    let Some((token, deactivated)) = found else {
        return Ok(PatLookup::Unknown);
    };
    if deactivated.is_some() {
        return Ok(PatLookup::Deactivated);
    }
    match user_by_row(conn, token.user_id)? {
        Some(owner) if owner.deleted_at.is_none() => Ok(PatLookup::Active(token, Box::new(owner))),
        _ => Ok(PatLookup::Deactivated),
    }
}

/// The active tokens of a user, oldest first.
pub fn tokens_of(conn: &Connection, user_id: i64) -> Sql<Vec<TokenRow>> {
    let mut st = conn.prepare_cached(
        "SELECT id, name, created_at, user_id FROM access_tokens
         WHERE user_id = ?1 AND deactivated_at IS NULL ORDER BY created_at, id",
    )?;
    let rows = st.query_map(params![user_id], row_token)?;
    rows.collect()
}

/// Stores a new token for `user_id` (only the digest of `secret`).
pub fn create_token(
    conn: &Connection,
    user_id: i64,
    name: &str,
    new: &pat::NewToken,
    now: i64,
) -> Sql<TokenRow> {
    let id = crate::random::random_uuid();
    conn.execute(
        "INSERT INTO access_tokens (id, user_id, name, digest, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, user_id, name, new.digest, now],
    )?;
    Ok(TokenRow {
        id,
        name: name.to_string(),
        created_at: now,
        user_id,
    })
}

/// Deactivates the active token `id` of `user_id` (`None`: it has none).
pub fn deactivate_token(
    conn: &Connection,
    user_id: i64,
    id: &str,
    now: i64,
) -> Sql<Option<TokenRow>> {
    conn.query_row(
        "UPDATE access_tokens SET deactivated_at = ?3
         WHERE id = ?1 AND user_id = ?2 AND deactivated_at IS NULL
         RETURNING id, name, created_at, user_id",
        params![id, user_id, now],
        row_token,
    )
    .optional()
}

/// Deactivates token `id` whoever owns it (the operator's CLI).
pub fn revoke_any(conn: &Connection, id: &str, now: i64) -> Sql<bool> {
    Ok(conn.execute(
        "UPDATE access_tokens SET deactivated_at = ?2 WHERE id = ?1 AND deactivated_at IS NULL",
        params![id, now],
    )? == 1)
}

/// Every active token with its owner's public id, oldest first (the CLI).
pub fn all_active(conn: &Connection) -> Sql<Vec<(TokenRow, String)>> {
    let mut st = conn.prepare(
        "SELECT t.id, t.name, t.created_at, t.user_id, u.profile || ':' || u.external_id
         FROM access_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.deactivated_at IS NULL ORDER BY t.created_at, t.id",
    )?;
    let rows = st.query_map([], |r| Ok((row_token(r)?, r.get(4)?)))?;
    rows.collect()
}

/// The operator account (created on first use): profile `local`, id
/// `stream-admin`, role `ADMIN`, no email. No token profile can name it.
pub fn ensure_operator(conn: &Connection, now: i64) -> Sql<AdminUser> {
    let (profile, id) = OPERATOR;
    conn.execute(
        "INSERT INTO users (profile, external_id, username, role, created_at, updated_at)
         VALUES (?1, ?2, ?2, 'ADMIN', ?3, ?3) ON CONFLICT (profile, external_id) DO NOTHING",
        params![profile, id, now],
    )?;
    let row: i64 = conn.query_row(
        "SELECT id FROM users WHERE profile = ?1 AND external_id = ?2",
        params![profile, id],
        |r| r.get(0),
    )?;
    user_by_row(conn, row)?.ok_or(rusqlite::Error::QueryReturnedNoRows)
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

/// Stores a download link for `user_id` (only the digest of its secret),
/// pruning links that expired.
pub fn create_download(conn: &Connection, user_id: i64, digest: &str, now: i64) -> Sql<i64> {
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "DELETE FROM download_links WHERE expires_at < ?1",
        params![now],
    )?;
    tx.execute(
        "INSERT INTO download_links (digest, user_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![digest, user_id, now, now + DOWNLOAD_TTL],
    )?;
    tx.commit()?;
    Ok(now + DOWNLOAD_TTL)
}

/// Marks a link used and returns its user and creation time; a link opens once.
pub fn redeem_download(
    conn: &Connection,
    secret: &str,
    now: i64,
) -> Sql<Result<(AdminUser, i64), LinkError>> {
    let tx = conn.unchecked_transaction()?;
    let found: Option<(i64, i64, i64, Option<i64>)> = tx
        .query_row(
            "SELECT user_id, created_at, expires_at, used_at FROM download_links WHERE digest = ?1",
            params![pat::digest(secret)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((user_id, created_at, expires_at, used_at)) = found else {
        return Ok(Err(LinkError::Unknown));
    };
    if used_at.is_some() {
        return Ok(Err(LinkError::Used));
    }
    if now >= expires_at {
        return Ok(Err(LinkError::Expired));
    }
    let Some(user) = user_by_row(&tx, user_id)?.filter(|u| u.deleted_at.is_none()) else {
        return Ok(Err(LinkError::Unknown));
    };
    tx.execute(
        "UPDATE download_links SET used_at = ?2 WHERE digest = ?1",
        params![pat::digest(secret), now],
    )?;
    tx.commit()?;
    Ok(Ok((user, created_at)))
}
