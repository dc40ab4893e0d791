//! Comment counts: Coral's two per-story endpoints, unchanged, and the
//! batch endpoint `count.js` uses (one request for a page's badges).
//!
//! * `GET /api/story/count?id=|url=` → `{count}` (Coral's plain JSON).
//! * `GET /api/story/count.js?id=|url=&ref=&callback=` → Coral's JSONP
//!   `{ref, countHtml, textHtml, count, id}` (plus `text`).
//! * `GET /api/story/counts.js?id=…&url=…&callback=` → `{counts: [{id|url,
//!   count, text} | {id|url, error}]}`, one entry per story asked for, in
//!   order; at most [`MAX_STORIES`] stories.
//!
//! A story is named by `id` or, without one, by `url` (as in Coral). An
//! unknown story counts 0. A malformed id or URL is refused by code
//! (`INVALID_STORY_ID`, `INVALID_STORY_URL`): the whole request for the
//! per-story endpoints, only its entry in a batch.

use super::jsonp::{self, Callback};
use super::{ApiError, Shared};
use crate::store::{StoreError, StoryCount, StoryRef};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

/// Most stories one batch request may ask for (count.js sends at most this
/// many per request, and fewer when the query would pass [`MAX_QUERY`]).
pub const MAX_STORIES: usize = 100;
/// Longest query string count.js builds (bytes); well under the 8 KiB
/// request line that common servers and CDNs accept.
pub const MAX_QUERY: usize = 6144;
/// Longest story id or URL (bytes), as for comments.
pub const MAX_STORY_LEN: usize = 2048;

/// Coral's markup: the number goes where `COMMENT_COUNT` is.
pub const COUNT_HTML: &str = "<span class=\"coral-count-number\">COMMENT_COUNT</span>";

/// Why a count request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountError {
    /// Neither `id` nor `url`.
    StoryMissing,
    /// An `id` that is blank, too long or has control characters.
    InvalidStoryId,
    /// A `url` that is not an absolute `http(s)` URL of at most 2 KiB.
    InvalidStoryUrl,
    /// Coral's per-story JSONP endpoint requires `ref`.
    RefMissing,
    /// More than [`MAX_STORIES`] stories in one batch.
    TooManyStories,
    /// A callback that is not a dotted identifier.
    InvalidCallback,
    /// A query string that is not `application/x-www-form-urlencoded`.
    InvalidQuery,
}

impl CountError {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            CountError::StoryMissing => "STORY_MISSING",
            CountError::InvalidStoryId => "INVALID_STORY_ID",
            CountError::InvalidStoryUrl => "INVALID_STORY_URL",
            CountError::RefMissing => "REF_MISSING",
            CountError::TooManyStories => "TOO_MANY_STORIES",
            CountError::InvalidCallback => "INVALID_CALLBACK",
            CountError::InvalidQuery => "INVALID_QUERY",
        }
    }

    fn message(self) -> &'static str {
        match self {
            CountError::StoryMissing => "id or url is required",
            CountError::InvalidStoryId => "id must be 1 to 2048 bytes without control characters",
            CountError::InvalidStoryUrl => {
                "url must be an absolute http(s) URL of at most 2048 bytes"
            }
            CountError::RefMissing => "ref is required",
            CountError::TooManyStories => "at most 100 stories per request",
            CountError::InvalidCallback => "callback must be a dotted JavaScript identifier",
            CountError::InvalidQuery => "the query string is not URL-encoded",
        }
    }
}

impl From<CountError> for ApiError {
    fn from(e: CountError) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, e.code(), e.message())
    }
}

/// "Comment" or "Comments" (Coral's `comment-count` text, en-US).
pub fn count_text(count: i64) -> &'static str {
    if count == 1 {
        "Comment"
    } else {
        "Comments"
    }
}

fn clean(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty() && s.len() <= MAX_STORY_LEN && !s.chars().any(char::is_control)).then_some(s)
}

/// A story id as comments store it (trimmed).
pub fn story_id(raw: &str) -> Result<StoryRef, CountError> {
    clean(raw)
        .map(|s| StoryRef::Id(s.to_string()))
        .ok_or(CountError::InvalidStoryId)
}

/// A story URL: absolute `http:` or `https:`, with a host, no whitespace.
pub fn story_url(raw: &str) -> Result<StoryRef, CountError> {
    let s = clean(raw).ok_or(CountError::InvalidStoryUrl)?;
    let lower = s.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or(CountError::InvalidStoryUrl)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || s.chars().any(char::is_whitespace) {
        return Err(CountError::InvalidStoryUrl);
    }
    Ok(StoryRef::Url(s.to_string()))
}

/// Coral's rule: `id` when given, else `url`.
pub fn story_ref(id: Option<&str>, url: Option<&str>) -> Result<StoryRef, CountError> {
    match (
        id.filter(|i| !i.trim().is_empty()),
        url.filter(|u| !u.trim().is_empty()),
    ) {
        (Some(id), _) => story_id(id),
        (None, Some(url)) => story_url(url),
        (None, None) => Err(CountError::StoryMissing),
    }
}

/// The query's `(key, value)` pairs, in order.
pub fn pairs(query: Option<&str>) -> Result<Vec<(String, String)>, CountError> {
    serde_urlencoded::from_str(query.unwrap_or("")).map_err(|_| CountError::InvalidQuery)
}

fn first<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A count request: its query pairs in order, its checked JSONP callback,
/// and the request headers (for `If-None-Match`).
pub struct CountQuery {
    pairs: Vec<(String, String)>,
    callback: Option<Callback>,
    headers: HeaderMap,
}

impl<S: Send + Sync> FromRequestParts<S> for CountQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let pairs = pairs(parts.uri.query())?;
        let callback =
            Callback::parse(first(&pairs, "callback")).map_err(|_| CountError::InvalidCallback)?;
        Ok(CountQuery {
            pairs,
            callback,
            headers: parts.headers.clone(),
        })
    }
}

impl CountQuery {
    fn get(&self, key: &str) -> Option<&str> {
        first(&self.pairs, key)
    }

    /// The one story of Coral's per-story endpoints, counted.
    async fn count_one(&self, st: &Shared) -> Result<StoryCount, ApiError> {
        let story = story_ref(self.get("id"), self.get("url"))?;
        lookup(st, &[story])
            .await?
            .pop()
            .ok_or_else(|| ApiError::internal("no count for the story asked"))
    }

    fn respond(&self, data: &Value, jsonp: bool) -> Response {
        jsonp::respond(
            &self.headers,
            data,
            self.callback.as_ref().filter(|_| jsonp),
        )
    }
}

async fn lookup(st: &Shared, stories: &[StoryRef]) -> Result<Vec<StoryCount>, StoreError> {
    st.store.story_counts(stories).await
}

/// `GET /api/story/count`: `{count}`.
async fn count_json(State(st): State<Shared>, q: CountQuery) -> Result<Response, ApiError> {
    let c = q.count_one(&st).await?;
    Ok(q.respond(&json!({ "count": c.count }), false))
}

/// `GET /api/story/count.js`: Coral's JSONP answer for one badge.
async fn count_jsonp(State(st): State<Shared>, q: CountQuery) -> Result<Response, ApiError> {
    let reference = q.get("ref").ok_or(CountError::RefMissing)?;
    let c = q.count_one(&st).await?;
    let text = count_text(c.count);
    let data = json!({
        "ref": reference,
        "countHtml": COUNT_HTML,
        "textHtml": format!("<span class=\"coral-count-text\">{text}</span>"),
        "count": c.count,
        "id": c.story_id,
        "text": text,
    });
    Ok(q.respond(&data, true))
}

/// One story a batch asks for: the parameter (`id` or `url`), its value as
/// sent, and the checked reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked<'a> {
    /// `"id"` or `"url"`.
    pub key: &'static str,
    /// The value as the page sent it (echoed, so count.js finds its elements).
    pub raw: &'a str,
    /// The story, or why the value was refused.
    pub story: Result<StoryRef, CountError>,
}

/// The batch's stories: every `id` and `url` pair in order, each checked.
pub fn batch(p: &[(String, String)]) -> Result<Vec<Asked<'_>>, CountError> {
    let asked: Vec<_> = p
        .iter()
        .filter_map(|(k, v)| {
            let (key, story) = match k.as_str() {
                "id" => ("id", story_id(v)),
                "url" => ("url", story_url(v)),
                _ => return None,
            };
            Some(Asked { key, raw: v, story })
        })
        .collect();
    if asked.len() > MAX_STORIES {
        return Err(CountError::TooManyStories);
    }
    Ok(asked)
}

/// `GET /api/story/counts.js`: every badge of a page in one answer.
async fn counts_jsonp(State(st): State<Shared>, q: CountQuery) -> Result<Response, ApiError> {
    let asked = batch(&q.pairs)?;
    let valid: Vec<StoryRef> = asked.iter().filter_map(|a| a.story.clone().ok()).collect();
    let mut found = lookup(&st, &valid).await?.into_iter();
    let counts: Vec<Value> = asked
        .iter()
        .map(|a| match &a.story {
            Ok(_) => {
                let n = found.next().map(|c| c.count).unwrap_or(0);
                json!({ a.key: a.raw, "count": n, "text": count_text(n) })
            }
            Err(e) => json!({ a.key: a.raw, "error": e.code() }),
        })
        .collect();
    Ok(q.respond(&json!({ "counts": counts }), true))
}

/// The count routes, merged into the stream origin's router.
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/api/story/count", get(count_json))
        .route("/api/story/count.js", get(count_jsonp))
        .route("/api/story/counts.js", get(counts_jsonp))
}

impl IntoResponse for CountError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_urls() {
        assert_eq!(story_id(" s-1 "), Ok(StoryRef::Id("s-1".into())));
        for bad in ["", "   ", "a\u{0}b", "a\nb", &"x".repeat(MAX_STORY_LEN + 1)] {
            assert_eq!(story_id(bad), Err(CountError::InvalidStoryId), "{bad:?}");
        }
        for ok in [
            "https://news.example/a?b=1#c",
            "HTTP://x",
            "http://localhost:3000/",
        ] {
            assert_eq!(story_url(ok), Ok(StoryRef::Url(ok.into())), "{ok}");
        }
        for bad in [
            "/relative",
            "news.example/a",
            "javascript:alert(1)",
            "ftp://x/",
            "https://",
            "https:///path",
            "https://a b/",
            "https://x/\u{7f}",
            &format!("https://x/{}", "a".repeat(MAX_STORY_LEN)),
        ] {
            assert_eq!(story_url(bad), Err(CountError::InvalidStoryUrl), "{bad:?}");
        }
    }

    #[test]
    fn id_wins_over_url_as_in_coral() {
        assert_eq!(
            story_ref(Some("a"), Some("https://x/")),
            Ok(StoryRef::Id("a".into()))
        );
        assert_eq!(
            story_ref(Some(" "), Some("https://x/")),
            Ok(StoryRef::Url("https://x/".into()))
        );
        assert_eq!(story_ref(None, None), Err(CountError::StoryMissing));
        assert_eq!(story_ref(Some(""), Some("")), Err(CountError::StoryMissing));
    }

    #[test]
    fn batches_keep_order_and_refuse_too_many() {
        let p = pairs(Some(
            "callback=c&id=a&url=https%3A%2F%2Fx%2F&d=1&url=bad&id=",
        ))
        .unwrap();
        let b = batch(&p).unwrap();
        let summary: Vec<_> = b
            .iter()
            .map(|a| (a.key, a.raw, a.story.clone().err()))
            .collect();
        assert_eq!(
            summary,
            [
                ("id", "a", None),
                ("url", "https://x/", None),
                ("url", "bad", Some(CountError::InvalidStoryUrl)),
                ("id", "", Some(CountError::InvalidStoryId)),
            ]
        );
        let many = (0..=MAX_STORIES)
            .map(|i| format!("id={i}"))
            .collect::<Vec<_>>()
            .join("&");
        assert_eq!(
            batch(&pairs(Some(&many)).unwrap()).err(),
            Some(CountError::TooManyStories)
        );
        assert_eq!(
            pairs(Some("a=%zz")).err(),
            None,
            "lenient percent-decoding, as browsers"
        );
    }

    #[test]
    fn texts() {
        assert_eq!(count_text(0), "Comments");
        assert_eq!(count_text(1), "Comment");
        assert_eq!(count_text(2), "Comments");
    }
}
