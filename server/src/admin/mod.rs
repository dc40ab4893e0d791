//! Account sync for SSO publishers (issue 16): Coral's admin GraphQL API,
//! personal access tokens, the comments archive and Talk v4's user lookup.
//!
//! * [`graphql`]: the schema (`user`, `users`, `viewer`; `updateUserUsername`,
//!   `updateUserEmail`, `deleteUserAccount`/`deleteUser`,
//!   `requestUserCommentsDownload`, `createToken`, `deactivateToken`);
//! * [`error`]: field errors with Coral's codes;
//! * [`pat`]: personal access token values and digests;
//! * [`store`]: user ids, cursors and database failures (the queries are
//!   [`crate::store`]'s, on either engine);
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

/// The server's shared state, as the HTTP layer holds it.
pub use crate::http::Shared;
