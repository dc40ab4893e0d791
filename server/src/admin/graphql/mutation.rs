//! `Mutation`: the account-sync mutations of Coral's "External
//! Integrations" (`updateUserUsername`, `updateUserEmail`,
//! `deleteUserAccount` and the seed's `deleteUser`,
//! `requestUserCommentsDownload`) and personal access tokens
//! (`createToken`, `deactivateToken`), with Coral's input and payload types.

use super::types::{Token, User};
use super::{caller, store as db, Actor};
use crate::admin::error::{check_email, check_username, AdminError};
use crate::admin::pat;
use crate::admin::store::{self, AdminUser};
use crate::auth::AuthError;
use crate::store::{Store, StoreError};
use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};

/// Longest token name, in characters.
pub const MAX_TOKEN_NAME: usize = 100;

/// `UpdateUserUsernameInput`.
#[derive(InputObject, Debug)]
pub struct UpdateUserUsernameInput {
    /// The user to rename.
    #[graphql(name = "userID")]
    pub user_id: ID,
    /// The new username.
    pub username: String,
    /// Echoed back (Relay).
    pub client_mutation_id: String,
}

/// `UpdateUserUsernamePayload`.
#[derive(SimpleObject, Debug)]
pub struct UpdateUserUsernamePayload {
    /// The user, renamed.
    pub user: User,
    /// As given.
    pub client_mutation_id: String,
}

/// `UpdateUserEmailInput`.
#[derive(InputObject, Debug)]
pub struct UpdateUserEmailInput {
    /// The user to change.
    #[graphql(name = "userID")]
    pub user_id: ID,
    /// The new address.
    pub email: String,
    /// Echoed back (Relay).
    pub client_mutation_id: String,
}

/// `UpdateUserEmailPayload`.
#[derive(SimpleObject, Debug)]
pub struct UpdateUserEmailPayload {
    /// The user, changed.
    pub user: User,
    /// As given.
    pub client_mutation_id: String,
}

/// `DeleteUserAccountInput`.
#[derive(InputObject, Debug)]
pub struct DeleteUserAccountInput {
    /// The user to delete.
    #[graphql(name = "userID")]
    pub user_id: ID,
    /// Echoed back (Relay).
    pub client_mutation_id: String,
}

/// `DeleteUserAccountPayload`.
#[derive(SimpleObject, Debug)]
pub struct DeleteUserAccountPayload {
    /// The deleted user (its tombstone).
    pub user: Option<User>,
    /// As given.
    pub client_mutation_id: String,
}

/// `RequestUserCommentsDownloadInput`.
#[derive(InputObject, Debug)]
pub struct RequestUserCommentsDownloadInput {
    /// Whose comments.
    #[graphql(name = "userID")]
    pub user_id: ID,
    /// Echoed back (Relay).
    pub client_mutation_id: String,
}

/// `RequestUserCommentsDownloadPayload`.
#[derive(SimpleObject, Debug)]
pub struct RequestUserCommentsDownloadPayload {
    /// As given.
    pub client_mutation_id: String,
    /// The single-use link to the ZIP (valid two weeks).
    #[graphql(name = "archiveURL")]
    pub archive_url: String,
}

/// `CreateTokenInput`.
#[derive(InputObject, Debug)]
pub struct CreateTokenInput {
    /// A name to recognise the token by.
    pub name: String,
    /// Echoed back (Relay).
    pub client_mutation_id: String,
}

/// `CreateTokenPayload`.
#[derive(SimpleObject, Debug)]
pub struct CreateTokenPayload {
    /// The calling user, who owns the token.
    pub user: User,
    /// The token's public part.
    pub token: Token,
    /// The bearer value: shown this once, never again.
    pub signed_token: String,
    /// As given.
    pub client_mutation_id: String,
}

/// `DeactivateTokenInput`.
#[derive(InputObject, Debug)]
pub struct DeactivateTokenInput {
    /// The token's id.
    pub id: ID,
    /// Echoed back (Relay).
    pub client_mutation_id: String,
}

/// `DeactivateTokenPayload`.
#[derive(SimpleObject, Debug)]
pub struct DeactivateTokenPayload {
    /// The calling user.
    pub user: User,
    /// The token deactivated.
    pub token: Option<Token>,
    /// As given.
    pub client_mutation_id: String,
}

/// The root mutation.
#[derive(Debug, Default)]
pub struct Mutation;

fn audit(what: &str, actor: &Actor, target: &AdminUser) {
    eprintln!(
        "admin: {what} {}:{} by {}",
        target.profile,
        target.external_id,
        actor.describe()
    );
}

/// The live user `id` names, for a change.
async fn live_target(db: &Store, id: &str) -> Result<AdminUser, AdminError> {
    let u = store::resolve(db, id, "input.userID").await?;
    if u.deleted_at.is_some() {
        return Err(AdminError::UserDeleted);
    }
    Ok(u)
}

/// Reads a user back after a change (`changed`: the change found the
/// account live; `false` means it was deleted in between).
async fn reload(db: &Store, row_id: i64, changed: bool) -> Result<AdminUser, AdminError> {
    if !changed {
        return Err(AdminError::UserDeleted);
    }
    db.admin_user(row_id)
        .await
        .map_err(store::internal)?
        .ok_or(AdminError::Internal)
}

async fn delete_account(
    ctx: &Context<'_>,
    input: DeleteUserAccountInput,
) -> Result<DeleteUserAccountPayload> {
    let call = caller(ctx)?;
    let actor = call.admin()?;
    let db = db(ctx)?;
    let u = live_target(db, &input.user_id).await?;
    if u.row_id == actor.user.row_id {
        return Err(AdminError::CannotDeleteSelf.into());
    }
    let deleted = db
        .delete_user(u.row_id, call.now)
        .await
        .map_err(store::internal)?;
    let user = reload(db, u.row_id, deleted).await?;
    audit("deleted", actor, &user);
    Ok(DeleteUserAccountPayload {
        user: Some(user.into()),
        client_mutation_id: input.client_mutation_id,
    })
}

#[Object]
impl Mutation {
    /// updateUserUsername allows administrators to update a given User's
    /// username to the one provided.
    async fn update_user_username(
        &self,
        ctx: &Context<'_>,
        input: UpdateUserUsernameInput,
    ) -> Result<UpdateUserUsernamePayload> {
        let call = caller(ctx)?;
        let actor = call.admin()?;
        let username = check_username(&input.username)?;
        let db = db(ctx)?;
        let u = live_target(db, &input.user_id).await?;
        let changed = db
            .set_username(u.row_id, &username, call.now)
            .await
            .map_err(store::internal)?;
        let user = reload(db, u.row_id, changed).await?;
        audit("renamed", actor, &user);
        Ok(UpdateUserUsernamePayload {
            user: user.into(),
            client_mutation_id: input.client_mutation_id,
        })
    }

    /// updateUserEmail allows administrators to update a given User's email
    /// address to the one provided.
    async fn update_user_email(
        &self,
        ctx: &Context<'_>,
        input: UpdateUserEmailInput,
    ) -> Result<UpdateUserEmailPayload> {
        let call = caller(ctx)?;
        let actor = call.admin()?;
        let email = check_email(&input.email)?;
        let db = db(ctx)?;
        let u = live_target(db, &input.user_id).await?;
        let changed = match db.set_email(u.row_id, &email, call.now).await {
            Err(StoreError::Auth(AuthError::DuplicateUser)) => Err(AdminError::DuplicateEmail),
            r => r.map_err(store::internal),
        }?;
        let user = reload(db, u.row_id, changed).await?;
        audit("changed the email of", actor, &user);
        Ok(UpdateUserEmailPayload {
            user: user.into(),
            client_mutation_id: input.client_mutation_id,
        })
    }

    /// deleteUserAccount will delete the target user now.
    async fn delete_user_account(
        &self,
        ctx: &Context<'_>,
        input: DeleteUserAccountInput,
    ) -> Result<DeleteUserAccountPayload> {
        delete_account(ctx, input).await
    }

    /// deleteUser: the name Coral's SSO guide uses for deleteUserAccount.
    async fn delete_user(
        &self,
        ctx: &Context<'_>,
        input: DeleteUserAccountInput,
    ) -> Result<DeleteUserAccountPayload> {
        delete_account(ctx, input).await
    }

    /// requestUserCommentsDownload returns a single-use link to a ZIP of the
    /// user's comments, valid for two weeks.
    async fn request_user_comments_download(
        &self,
        ctx: &Context<'_>,
        input: RequestUserCommentsDownloadInput,
    ) -> Result<RequestUserCommentsDownloadPayload> {
        let call = caller(ctx)?;
        let actor = call.admin()?;
        let link = pat::generate_with(pat::DOWNLOAD_PREFIX).map_err(|e| {
            eprintln!("admin: no randomness for a download link: {e}");
            AdminError::Internal
        })?;
        let db = db(ctx)?;
        let user = live_target(db, &input.user_id).await?;
        db.create_download(user.row_id, &link.digest, call.now)
            .await
            .map_err(store::internal)?;
        audit("requested the comments download of", actor, &user);
        Ok(RequestUserCommentsDownloadPayload {
            client_mutation_id: input.client_mutation_id,
            archive_url: format!("{}/api/user/download?token={}", call.origin, link.secret),
        })
    }

    /// createToken allows an administrator to create a Token based on the
    /// current logged in User.
    async fn create_token(
        &self,
        ctx: &Context<'_>,
        input: CreateTokenInput,
    ) -> Result<CreateTokenPayload> {
        let call = caller(ctx)?;
        let actor = call.admin()?;
        let name = input.name.trim();
        if name.is_empty()
            || name.chars().count() > MAX_TOKEN_NAME
            || name.chars().any(char::is_control)
        {
            return Err(AdminError::Validation(
                "input.name",
                "the name must be 1 to 100 characters, without control characters",
            )
            .into());
        }
        let new = pat::generate().map_err(|e| {
            eprintln!("admin: no randomness for a token: {e}");
            AdminError::Internal
        })?;
        let token = db(ctx)?
            .create_token(actor.user.row_id, name, &new.digest, call.now)
            .await
            .map_err(store::internal)?;
        eprintln!("admin: token {} created by {}", token.id, actor.describe());
        Ok(CreateTokenPayload {
            user: actor.user.clone().into(),
            token: token.into(),
            signed_token: new.secret,
            client_mutation_id: input.client_mutation_id,
        })
    }

    /// deactivateToken will deactivate the current logged in User's Token
    /// based on the input; it is refused from the next request on.
    async fn deactivate_token(
        &self,
        ctx: &Context<'_>,
        input: DeactivateTokenInput,
    ) -> Result<DeactivateTokenPayload> {
        let call = caller(ctx)?;
        let actor = call.admin()?;
        let token = db(ctx)?
            .deactivate_token(actor.user.row_id, &input.id, call.now)
            .await
            .map_err(store::internal)?
            .ok_or(AdminError::TokenNotFound)?;
        eprintln!(
            "admin: token {} deactivated by {}",
            token.id,
            actor.describe()
        );
        Ok(DeactivateTokenPayload {
            user: actor.user.clone().into(),
            token: Some(token.into()),
            client_mutation_id: input.client_mutation_id,
        })
    }
}
