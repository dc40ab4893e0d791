//! `Query`: `user(id)`, `users(first, after, query)` and `viewer`.

use super::types::{Cursor, User, UsersConnection};
use super::{caller, store as db};
use crate::admin::error::AdminError;
use crate::admin::store;
use async_graphql::{Context, Object, Result, ID};

/// Largest page of `users` (Coral's `@constraint(max: 50)`).
pub const MAX_FIRST: i32 = 50;

/// The root query.
#[derive(Debug, Default)]
pub struct Query;

#[Object]
impl Query {
    /// user will return the user referenced by their ID (null if none).
    async fn user(&self, ctx: &Context<'_>, id: ID) -> Result<Option<User>> {
        caller(ctx)?.reader()?;
        match store::resolve(db(ctx)?, &id, "id").await {
            Ok(u) => Ok(Some(u.into())),
            Err(AdminError::UserNotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// users returns users, newest first, that can be paginated; `query`
    /// matches an exact id or part of a username or email.
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: Option<i32>,
        after: Option<Cursor>,
        query: Option<String>,
    ) -> Result<UsersConnection> {
        caller(ctx)?.reader()?;
        let first = first.unwrap_or(10);
        if !(0..=MAX_FIRST).contains(&first) {
            return Err(AdminError::Validation("first", "first must be between 0 and 50").into());
        }
        let after = match &after {
            None => None,
            Some(c) => Some(store::parse_cursor(&c.0).ok_or(AdminError::Validation(
                "after",
                "not a cursor from this API",
            ))?),
        };
        let (users, more) = db(ctx)?
            .admin_users_page(first as u32, after, query.as_deref())
            .await
            .map_err(store::internal)?;
        Ok(UsersConnection::page(users, more))
    }

    /// viewer is the calling user (null without a token).
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(caller(ctx)?.actor.as_ref().map(|a| a.user.clone().into()))
    }
}
