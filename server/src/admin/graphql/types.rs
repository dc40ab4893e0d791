//! Coral's output types, as far as the admin API needs them: `User`,
//! `Token`, `UsersConnection`/`UserEdge`/`PageInfo`, `USER_ROLE` and the
//! `Time` and `Cursor` scalars. Names and types follow Coral's
//! `schema.graphql`; `server/tests/coral_schema.rs` holds them to it.

use super::{caller, store as db};
use crate::admin::store::{self, AdminUser, TokenRow};
use async_graphql::{ComplexObject, Context, Enum, InputValueError, Scalar, ScalarType, Value, ID};
use async_graphql::{Result, SimpleObject};

/// `Time`: an ISO 8601 (RFC 3339) string, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Time(pub i64);

#[Scalar(name = "Time")]
impl ScalarType for Time {
    fn parse(value: Value) -> async_graphql::InputValueResult<Self> {
        let Value::String(s) = &value else {
            return Err(InputValueError::expected_type(value));
        };
        time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
            .map(|t| Time(t.unix_timestamp()))
            .map_err(|_| InputValueError::custom("not an ISO 8601 time"))
    }

    fn to_value(&self) -> Value {
        let t = time::OffsetDateTime::from_unix_timestamp(self.0)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        Value::String(
            t.format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        )
    }
}

/// `Cursor`: an opaque position in a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(pub String);

#[Scalar(name = "Cursor")]
impl ScalarType for Cursor {
    fn parse(value: Value) -> async_graphql::InputValueResult<Self> {
        match value {
            Value::String(s) => Ok(Cursor(s)),
            other => Err(InputValueError::expected_type(other)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// Coral's `USER_ROLE`.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "USER_ROLE")]
pub enum UserRole {
    /// A reader (also a user whose token names no role).
    Commenter,
    /// A member.
    Member,
    /// Staff.
    Staff,
    /// A moderator.
    Moderator,
    /// An administrator.
    Admin,
}

impl UserRole {
    fn of(role: Option<&str>) -> UserRole {
        match role {
            Some("MEMBER") => UserRole::Member,
            Some("STAFF") => UserRole::Staff,
            Some("MODERATOR") => UserRole::Moderator,
            Some("ADMIN") => UserRole::Admin,
            _ => UserRole::Commenter,
        }
    }
}

/// Coral's `User`, the fields a sync job needs.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex, name = "User")]
pub struct User {
    /// The publisher's id (`user.id` / `sub`).
    pub id: ID,
    /// Name shown to readers.
    pub username: Option<String>,
    /// Badges.
    pub badges: Option<Vec<String>>,
    /// Email (removed when the account is deleted).
    pub email: Option<String>,
    /// Current role.
    pub role: UserRole,
    /// The account management URL from `user.url`.
    #[graphql(name = "ssoURL")]
    pub sso_url: Option<String>,
    /// When the user was created.
    pub created_at: Time,
    /// When the account was deleted.
    pub deleted_at: Option<Time>,
    #[graphql(skip)]
    pub row_id: i64,
}

impl From<AdminUser> for User {
    fn from(u: AdminUser) -> Self {
        User {
            id: ID(u.external_id),
            username: Some(u.username),
            badges: Some(u.badges),
            email: u.email,
            role: UserRole::of(u.role.as_deref()),
            sso_url: u.url,
            created_at: Time(u.created_at),
            deleted_at: u.deleted_at.map(Time),
            row_id: u.row_id,
        }
    }
}

#[ComplexObject]
impl User {
    /// The user's active personal access tokens.
    async fn tokens(&self, ctx: &Context<'_>) -> Result<Vec<Token>> {
        caller(ctx)?.admin()?;
        let rows = db(ctx)?
            .tokens_of(self.row_id)
            .await
            .map_err(store::internal)?;
        Ok(rows.into_iter().map(Token::from).collect())
    }
}

/// Coral's `Token`: a personal access token's public part.
#[derive(SimpleObject, Debug, Clone)]
pub struct Token {
    /// Its id, what `deactivateToken` takes.
    pub id: ID,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub created_at: Time,
}

impl From<TokenRow> for Token {
    fn from(t: TokenRow) -> Self {
        Token {
            id: ID(t.id),
            name: t.name,
            created_at: Time(t.created_at),
        }
    }
}

/// Coral's `PageInfo` (forward pagination only).
#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    /// More users follow `endCursor`.
    pub has_next_page: bool,
    /// Always false (Relay legacy).
    pub has_previous_page: bool,
    /// Always null (Relay legacy).
    pub start_cursor: Option<Cursor>,
    /// The last user's cursor: pass it as `after`.
    pub end_cursor: Option<Cursor>,
}

/// Coral's `UserEdge`.
#[derive(SimpleObject, Debug, Clone)]
pub struct UserEdge {
    /// The user.
    pub node: User,
    /// Its cursor.
    pub cursor: Cursor,
}

/// Coral's `UsersConnection`.
#[derive(SimpleObject, Debug, Clone)]
pub struct UsersConnection {
    /// Users with their cursors.
    pub edges: Vec<UserEdge>,
    /// The same users.
    pub nodes: Vec<User>,
    /// Where the page ends.
    pub page_info: PageInfo,
}

impl UsersConnection {
    /// A page of users, newest first.
    pub fn page(users: Vec<AdminUser>, more: bool) -> UsersConnection {
        let nodes: Vec<User> = users.into_iter().map(User::from).collect();
        let edges: Vec<UserEdge> = nodes
            .iter()
            .map(|u| UserEdge {
                cursor: Cursor(store::cursor_of(u.row_id)),
                node: u.clone(),
            })
            .collect();
        let end_cursor = edges.last().map(|e| e.cursor.clone());
        UsersConnection {
            edges,
            nodes,
            page_info: PageInfo {
                has_next_page: more,
                has_previous_page: false,
                start_cursor: None,
                end_cursor,
            },
        }
    }
}
