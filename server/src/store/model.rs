//! What the store holds: users, comments and story keys.

use crate::auth::{Identity, Organization};
use serde::Serialize;

/// A stored user, as shown in the stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Profile that created it.
    pub profile: String,
    /// External id (`user.id` / `sub`).
    #[serde(rename = "id")]
    pub external_id: String,
    /// Email (never sent to the stream page).
    #[serde(skip)]
    pub email: Option<String>,
    /// Display name.
    pub username: String,
    /// Badges (may be empty).
    pub badges: Vec<String>,
    /// Coral role, if any.
    pub role: Option<String>,
    /// Account management URL.
    pub url: Option<String>,
    /// Spoke organizations.
    pub organizations: Option<Vec<Organization>>,
    /// `iat` of the token that last updated the user.
    #[serde(skip)]
    pub last_iat: Option<i64>,
}

/// A stored comment with its author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    /// Comment id.
    pub id: i64,
    /// Text.
    pub body: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Author's public fields.
    pub author: Author,
}

/// The public part of a comment author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Author {
    /// Display name.
    pub username: String,
    /// Badges.
    pub badges: Vec<String>,
    /// Coral role.
    pub role: Option<String>,
}

/// Which story comments belong to: `storyID`, falling back to `storyURL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryKey {
    /// `id:<storyID>` or `url:<storyURL>`.
    pub key: String,
    /// The storyID given.
    pub story_id: Option<String>,
    /// The storyURL given.
    pub story_url: Option<String>,
}

impl StoryKey {
    /// Builds the key; `None` when neither is given (or either is over 2 KiB).
    pub fn new(story_id: Option<&str>, story_url: Option<&str>) -> Option<StoryKey> {
        let clean = |s: Option<&str>| {
            s.map(str::trim)
                .filter(|s| !s.is_empty() && s.len() <= 2048)
                .map(str::to_string)
        };
        let story_id = clean(story_id);
        let story_url = clean(story_url);
        let key = match (&story_id, &story_url) {
            (Some(id), _) => format!("id:{id}"),
            (None, Some(url)) => format!("url:{url}"),
            (None, None) => return None,
        };
        Some(StoryKey {
            key,
            story_id,
            story_url,
        })
    }
}

/// The name a new user gets when the token carries none: never a full
/// email address, its local part instead.
pub fn default_username(id: &Identity) -> String {
    match id.external_id.split_once('@') {
        Some((local, _)) if !local.is_empty() => local.to_string(),
        _ => id.external_id.clone(),
    }
}
