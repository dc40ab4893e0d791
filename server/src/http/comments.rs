//! `/api/comments`: a story's comments, and posting one.

use super::extract::{ApiJson, AuthUser};
use super::{ApiError, Shared};
use crate::auth::now;
use crate::store::StoryKey;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 5000;
/// How many comments a listing returns (newest first).
pub const PAGE_SIZE: u32 = 200;

/// `GET /api/comments`, `POST /api/comments`.
pub fn router() -> Router<Shared> {
    Router::new().route("/api/comments", get(list).post(create))
}

/// A story named by `storyID`, falling back to `storyURL`.
#[derive(Debug, Deserialize)]
pub struct StoryRef {
    /// `storyID`.
    #[serde(rename = "storyID")]
    pub story_id: Option<String>,
    /// `storyURL`.
    #[serde(rename = "storyURL")]
    pub story_url: Option<String>,
}

impl StoryRef {
    /// The story's key, or `400 STORY_MISSING`.
    pub fn key(&self) -> Result<StoryKey, ApiError> {
        StoryKey::new(self.story_id.as_deref(), self.story_url.as_deref()).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "STORY_MISSING",
                "storyID or storyURL is required",
            )
        })
    }
}

async fn list(
    State(st): State<Shared>,
    Query(q): Query<StoryRef>,
) -> Result<impl IntoResponse, ApiError> {
    let story = q.key()?;
    let comments = st.store.comments(&story, PAGE_SIZE).await?;
    let count = st.store.comment_count(&story).await?;
    Ok(Json(json!({
        "storyID": story.story_id,
        "storyURL": story.story_url,
        "count": count,
        "comments": comments,
    })))
}

#[derive(Deserialize)]
struct NewComment {
    #[serde(flatten)]
    story: StoryRef,
    body: Option<String>,
}

async fn create(
    State(st): State<Shared>,
    AuthUser { user, .. }: AuthUser,
    ApiJson(input): ApiJson<NewComment>,
) -> Result<impl IntoResponse, ApiError> {
    let story = input.story.key()?;
    let text = input.body.as_deref().unwrap_or("").trim();
    if text.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "COMMENT_EMPTY",
            "the comment is empty",
        ));
    }
    if text.chars().count() > MAX_COMMENT_CHARS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "COMMENT_TOO_LONG",
            format!("comments are limited to {MAX_COMMENT_CHARS} characters"),
        ));
    }
    let comment = st.store.add_comment(&user, &story, text, now()).await?;
    Ok((StatusCode::CREATED, Json(json!({ "comment": comment }))))
}
