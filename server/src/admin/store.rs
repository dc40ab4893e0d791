//! The admin API's view of the store ([`crate::store`], both engines):
//! resolving a GraphQL user id, opaque page cursors, and hiding database
//! failures behind `INTERNAL_ERROR`.

use super::error::AdminError;
use crate::store::{Store, StoreError};
use base64::Engine as _;

pub use crate::store::{AdminUser, LinkError, PatLookup, TokenRow, DOWNLOAD_TTL, OPERATOR};

/// Logs a database failure and hides it behind `INTERNAL_ERROR`.
pub fn internal(e: StoreError) -> AdminError {
    eprintln!("admin: {e}");
    AdminError::Internal
}

/// Resolves a GraphQL user id: the publisher's id under whichever profile
/// holds it, or `<profile>:<id>` to pick one when several do. `param`
/// names the argument in errors.
pub async fn resolve(
    store: &Store,
    id: &str,
    param: &'static str,
) -> Result<AdminUser, AdminError> {
    let mut found = store.admin_users_by_id(id, 2).await.map_err(internal)?;
    match found.len() {
        1 => return found.pop().ok_or(AdminError::Internal),
        0 => {}
        _ => return Err(AdminError::UserIdAmbiguous(param)),
    }
    if let Some((profile, rest)) = id.split_once(':') {
        if let Some(u) = store
            .admin_user_by_key(profile, rest)
            .await
            .map_err(internal)?
        {
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
