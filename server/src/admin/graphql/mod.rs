//! The admin GraphQL schema (`POST /api/graphql`): Coral's names and
//! shapes for the queries and mutations a publisher's account sync needs.
//!
//! Who may call what follows Coral's `@auth` directives: `user` and `users`
//! need role `ADMIN` or `MODERATOR`, every mutation `ADMIN`; `viewer` is
//! open. The check runs first in each resolver, so a refused call changes
//! nothing and answers `USER_NOT_ENTITLED`.

mod mutation;
mod query;
pub mod types;

use super::error::AdminError;
use super::store::AdminUser;
use async_graphql::{Context, EmptySubscription, Schema};

pub use mutation::Mutation;
pub use query::Query;

/// The executable schema.
pub type AdminSchema = Schema<Query, Mutation, EmptySubscription>;

/// Builds the schema (once per process): depth and complexity limits keep
/// a hostile query cheap.
pub fn schema() -> AdminSchema {
    Schema::build(Query, Mutation, EmptySubscription)
        .limit_depth(12)
        .limit_complexity(1000)
        .finish()
}

/// The process's schema, built on first use (schemas are cheap to share:
/// an `Arc` inside).
pub fn shared() -> &'static AdminSchema {
    static SCHEMA: std::sync::OnceLock<AdminSchema> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(schema)
}

/// Who is calling, as the HTTP layer established it.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The authenticated user, if a token was presented.
    pub actor: Option<Actor>,
    /// The request's time (unix seconds).
    pub now: i64,
    /// Origin that download links start with (the stream origin).
    pub origin: String,
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user (an SSO token's user, or a personal access token's owner).
    pub user: AdminUser,
    /// The personal access token's id, when the caller used one.
    pub token_id: Option<String>,
}

impl Actor {
    /// `profile:id (sso|token <id>)`, for the audit log.
    pub fn describe(&self) -> String {
        match &self.token_id {
            Some(t) => format!(
                "{}:{} (token {t})",
                self.user.profile, self.user.external_id
            ),
            None => format!("{}:{} (sso)", self.user.profile, self.user.external_id),
        }
    }
}

impl Caller {
    /// The caller, if their role is `ADMIN`.
    pub fn admin(&self) -> Result<&Actor, AdminError> {
        self.with_role(&["ADMIN"])
    }

    /// The caller, if their role is `ADMIN` or `MODERATOR` (Coral's reads).
    pub fn reader(&self) -> Result<&Actor, AdminError> {
        self.with_role(&["ADMIN", "MODERATOR"])
    }

    fn with_role(&self, roles: &[&str]) -> Result<&Actor, AdminError> {
        let Some(actor) = &self.actor else {
            return Err(AdminError::NotEntitled(
                "an admin token is required: Authorization: Bearer <token>",
            ));
        };
        let role = actor.user.role.as_deref().unwrap_or("COMMENTER");
        if actor.user.deleted_at.is_some() || !roles.contains(&role) {
            return Err(AdminError::NotEntitled("this user's role may not do this"));
        }
        Ok(actor)
    }
}

/// The request's [`Caller`].
pub fn caller<'a>(ctx: &Context<'a>) -> Result<&'a Caller, AdminError> {
    ctx.data::<Caller>().map_err(|_| AdminError::Internal)
}

/// The server's store.
pub fn store<'a>(ctx: &Context<'a>) -> Result<&'a crate::store::Store, AdminError> {
    ctx.data::<super::Shared>()
        .map(|st| &st.store)
        .map_err(|_| AdminError::Internal)
}
