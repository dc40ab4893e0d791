//! Account sync for SSO publishers (issue 16): Coral's admin GraphQL API,
//! personal access tokens, the comments archive and Talk v4's user lookup.
//!
//! * [`graphql`]: the schema (`user`, `users`, `viewer`; `updateUserUsername`,
//!   `updateUserEmail`, `deleteUserAccount`/`deleteUser`,
//!   `requestUserCommentsDownload`, `createToken`, `deactivateToken`);
//! * [`error`]: field errors with Coral's codes;
//! * [`pat`]: personal access token values and digests;
//! * [`store`], [`tokens`]: the queries;
//! * [`export`]: the ZIP in Coral's export format, written as it streams;
//! * [`lookup`]: `TALK_TOKEN_USER_URL`, Talk v4's `tokenUserNotFound`;
//! * [`cli`]: `stream-server token create|list|revoke`.

pub mod cli;
pub mod download;
pub mod error;
pub mod export;
pub mod graphql;
pub mod lookup;
pub mod pat;
pub mod store;
pub mod tokens;

/// The server's shared state, as the HTTP layer holds it.
pub use crate::http::Shared;

/// Runs `f` on the admin API's SQLite connection of `st` (transitional:
/// see `crate::db`; with `DATABASE_URL=postgres://…` there is none yet and
/// the admin API answers `INTERNAL_ERROR` until its queries move to
/// `crate::store`).
pub fn with_db<T>(
    st: &Shared,
    f: impl FnOnce(&rusqlite::Connection) -> T,
) -> Result<T, error::AdminError> {
    let Some(db) = st.admin_db() else {
        eprintln!("admin: the admin API runs on SQLite only for now");
        return Err(error::AdminError::Internal);
    };
    Ok(f(db.conn()))
}
