//! `/api/comments`: a story's comments, and posting one.

use super::extract::{ApiJson, AuthUser};
use super::{ApiError, Shared};
use crate::auth::now;
use crate::store::StoryKey;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
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

/// The head of `GET /api/comments`'s answer; `comments` follows, as the
/// JSON the store built.
#[derive(Serialize)]
struct ListingHead {
    #[serde(rename = "storyID")]
    story_id: Option<String>,
    #[serde(rename = "storyURL")]
    story_url: Option<String>,
    count: i64,
}

/// `{"storyID", "storyURL", "count", "comments": [newest first]}`: the
/// comments array is the store's JSON text, spliced in as it is.
async fn list(
    State(st): State<Shared>,
    Query(q): Query<StoryRef>,
) -> Result<impl IntoResponse, ApiError> {
    let story = q.key()?;
    let page = st.store.story_page_json(&story, PAGE_SIZE).await?;
    let comments = page.comments;
    let head = ListingHead {
        story_id: story.story_id,
        story_url: story.story_url,
        count: page.count,
    };
    let mut body = serde_json::to_string(&head).map_err(ApiError::internal)?;
    body.pop(); // the closing brace
    body.reserve(comments.len() + 14);
    body.push_str(",\"comments\":");
    body.push_str(&comments);
    body.push('}');
    Ok(([(header::CONTENT_TYPE, "application/json")], body))
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
