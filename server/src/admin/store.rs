//! The admin API's queries: users by public id, pages of users, the admin
//! changes, account deletion, personal access tokens, download links and
//! export pages. Every write is one transaction.

use super::error::AdminError;
use super::export::ExportRow;
use crate::db::USER_COLS;
use base64::Engine as _;
use rusqlite::{params, Connection, OptionalExtension};

/// A `rusqlite` result.
pub type Sql<T> = Result<T, rusqlite::Error>;

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

/// [`USER_COLS`] (what [`crate::db::row_user`] reads), then the admin's two.
fn cols() -> String {
    format!("{USER_COLS}, created_at, deleted_at")
}

fn row_user(r: &rusqlite::Row<'_>) -> rusqlite::Result<AdminUser> {
    let u = crate::db::row_user(r)?;
    Ok(AdminUser {
        row_id: u.id,
        profile: u.profile,
        external_id: u.external_id,
        email: u.email,
        username: u.username,
        badges: u.badges,
        role: u.role,
        url: u.url,
        created_at: r.get(10)?,
        deleted_at: r.get(11)?,
    })
}

/// Logs a database failure and hides it behind `INTERNAL_ERROR`.
pub fn internal(e: rusqlite::Error) -> AdminError {
    eprintln!("admin: database error: {e}");
    AdminError::Internal
}

/// The user with internal id `row_id`.
pub fn user_by_row(conn: &Connection, row_id: i64) -> Sql<Option<AdminUser>> {
    conn.query_row(
        &format!("SELECT {} FROM users WHERE id = ?1", cols()),
        params![row_id],
        row_user,
    )
    .optional()
}

/// Resolves a GraphQL user id: the publisher's id under whichever profile
/// holds it, or `<profile>:<id>` to pick one when several do. `param`
/// names the argument in errors.
pub fn resolve(conn: &Connection, id: &str, param: &'static str) -> Result<AdminUser, AdminError> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {} FROM users WHERE external_id = ?1 ORDER BY id LIMIT 2",
            cols()
        ))
        .map_err(internal)?;
    let found = st
        .query_map(params![id], row_user)
        .and_then(|rows| rows.collect::<Sql<Vec<_>>>())
        .map_err(internal)?;
    match found.len() {
        1 => return found.into_iter().next().ok_or(AdminError::Internal),
        0 => {}
        _ => return Err(AdminError::UserIdAmbiguous(param)),
    }
    if let Some((profile, rest)) = id.split_once(':') {
        let user = conn
            .query_row(
                &format!(
                    "SELECT {} FROM users WHERE profile = ?1 AND external_id = ?2",
                    cols()
                ),
                params![profile, rest],
                row_user,
            )
            .optional()
            .map_err(internal)?;
        if let Some(u) = user {
            return Ok(u);
        }
    }
    Err(AdminError::UserNotFound(param))
}

/// An opaque cursor for a user's position in the newest-first listing.
pub fn cursor_of(row_id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("user:{row_id}"))
}

/// The row id a cursor stands for.
pub fn parse_cursor(cursor: &str) -> Option<i64> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("user:")?.parse().ok()
}

/// Up to `first` users older than the cursor, newest first, whose id
/// equals `query` or whose username or email contains it (case-insensitive);
/// and whether more follow.
pub fn list(
    conn: &Connection,
    first: u32,
    after: Option<i64>,
    query: Option<&str>,
) -> Sql<(Vec<AdminUser>, bool)> {
    let q = query.map(str::trim).filter(|q| !q.is_empty());
    let pattern = q.map(|q| {
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    let mut st = conn.prepare_cached(&format!(
        "SELECT {} FROM users
         WHERE (?1 IS NULL OR id < ?1)
           AND (?2 IS NULL OR external_id = ?2
                OR lower(username) LIKE ?3 ESCAPE '\\'
                OR lower(coalesce(email, '')) LIKE ?3 ESCAPE '\\')
         ORDER BY id DESC LIMIT ?4",
        cols()
    ))?;
    let mut users = st
        .query_map(params![after, q, pattern, i64::from(first) + 1], row_user)?
        .collect::<Sql<Vec<_>>>()?;
    let more = users.len() > first as usize;
    users.truncate(first as usize);
    Ok((users, more))
}

/// Sets a username. Like every admin change it counts as an update issued
/// at `now`: `last_iat` (the issue time of the last update, which an SSO
/// token's `iat` must exceed to update the user) becomes at least `now`, so
/// a token issued before the change never undoes it.
pub fn set_username(conn: &Connection, row_id: i64, username: &str, now: i64) -> Sql<()> {
    conn.execute(
        "UPDATE users SET username = ?2, last_iat = max(coalesce(last_iat, 0), ?3),
                updated_at = ?3 WHERE id = ?1",
        params![row_id, username, now],
    )?;
    Ok(())
}

/// Sets an email (an admin change at `now`, as [`set_username`]); `DUPLICATE_EMAIL` if another
/// user, in any profile, has it (case-insensitive), as on the SSO path.
pub fn set_email(conn: &Connection, row_id: i64, email: &str, now: i64) -> Result<(), AdminError> {
    let tx = conn.unchecked_transaction().map_err(internal)?;
    let owner: Option<i64> = tx
        .query_row(
            "SELECT id FROM users WHERE lower(email) = lower(?1)",
            params![email],
            |r| r.get(0),
        )
        .optional()
        .map_err(internal)?;
    if owner.is_some_and(|o| o != row_id) {
        return Err(AdminError::DuplicateEmail);
    }
    tx.execute(
        "UPDATE users SET email = ?2, last_iat = max(coalesce(last_iat, 0), ?3),
                updated_at = ?3 WHERE id = ?1",
        params![row_id, email, now],
    )
    .map_err(internal)?;
    tx.commit().map_err(internal)
}

/// Deletes an account now, as Coral's `deleteUser`:
///
/// * comments: Coral wipes each comment's text, unlinks its author and
///   rejects every one that has no replies, so it leaves the stream and the
///   counts. No comment here has replies, and there is no moderation queue
///   where an emptied, rejected comment would still be listed, so the
///   comments are deleted outright;
/// * the user keeps a tombstone (id, username, `deletedAt`) with the email
///   removed, as in Coral, so every token naming the id is refused
///   (`TOKEN_USER_DELETED`) from the next request on;
/// * its personal access tokens are deactivated, its download links dropped.
pub fn delete_user(conn: &Connection, row_id: i64, now: i64) -> Sql<()> {
    let tx = conn.unchecked_transaction()?;
    tx.execute("DELETE FROM comments WHERE user_id = ?1", params![row_id])?;
    tx.execute(
        "UPDATE users SET deleted_at = ?2, email = NULL, updated_at = ?2 WHERE id = ?1",
        params![row_id, now],
    )?;
    tx.execute(
        "UPDATE access_tokens SET deactivated_at = ?2 WHERE user_id = ?1 AND deactivated_at IS NULL",
        params![row_id, now],
    )?;
    tx.execute(
        "DELETE FROM download_links WHERE user_id = ?1",
        params![row_id],
    )?;
    tx.commit()
}

/// Up to `limit` comments of a user with an id above `after_id` and
/// written at or before `before`, oldest first.
pub fn export_page(
    conn: &Connection,
    row_id: i64,
    before: i64,
    after_id: i64,
    limit: u32,
) -> Sql<Vec<ExportRow>> {
    let mut st = conn.prepare_cached(
        "SELECT id, created_at, story_url, body FROM comments
         WHERE user_id = ?1 AND created_at <= ?2 AND id > ?3
         ORDER BY id LIMIT ?4",
    )?;
    let rows = st.query_map(params![row_id, before, after_id, limit], |r| {
        Ok(ExportRow {
            id: r.get(0)?,
            created_at: r.get(1)?,
            story_url: r.get(2)?,
            body: r.get(3)?,
        })
    })?;
    rows.collect()
}
