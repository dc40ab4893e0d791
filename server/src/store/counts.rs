//! Comment counts for Coral's count script (`/api/story/count*`).
//!
//! A story is named by its `storyID` or, without one, by its URL, as in
//! Coral (`id` wins over `url`). A URL names the story whose newest comment
//! was posted from that URL, so a count badge that only knows an article's
//! URL finds a story the article embeds by `storyID`. Both lookups are
//! index searches (`comments_story` and `comments_story_url`).

use super::{on_pool, Store, StoreError};

/// What a count is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StoryRef {
    /// Coral's `id` (the embed's `storyID`).
    Id(String),
    /// Coral's `url` (the embed's `storyURL`).
    Url(String),
}

/// A story's published comment count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryCount {
    /// Number of comments (0 for a story nobody commented on yet).
    pub count: i64,
    /// The story's `storyID`, when it has one and the story has comments.
    pub story_id: Option<String>,
}

/// Finds the key of the story a URL names.
const BY_URL: &str = "SELECT story_key FROM comments WHERE story_url = $1 ORDER BY id DESC LIMIT 1";
/// Counts a story's comments.
const COUNT: &str = "SELECT count(*) FROM comments WHERE story_key = $1";

impl Store {
    /// The counts of several stories, in order, read in one transaction so
    /// a batch is consistent.
    pub async fn story_counts(&self, stories: &[StoryRef]) -> Result<Vec<StoryCount>, StoreError> {
        on_pool!(self, |pool, _begin| {
            let mut tx = pool.begin().await?;
            let mut out = Vec::with_capacity(stories.len());
            for story in stories {
                let key: Option<String> = match story {
                    StoryRef::Id(id) => Some(format!("id:{id}")),
                    StoryRef::Url(url) => {
                        sqlx::query_scalar(BY_URL)
                            .bind(url)
                            .fetch_optional(&mut *tx)
                            .await?
                    }
                };
                let count: i64 = match &key {
                    Some(k) => {
                        sqlx::query_scalar(COUNT)
                            .bind(k)
                            .fetch_one(&mut *tx)
                            .await?
                    }
                    None => 0,
                };
                let story_id = key
                    .as_deref()
                    .and_then(|k| k.strip_prefix("id:"))
                    .filter(|_| count > 0)
                    .map(str::to_string);
                out.push(StoryCount { count, story_id });
            }
            tx.commit().await?;
            Ok(out)
        })
    }

    /// The engine's plan for the two count lookups (tests: both use an
    /// index; SQLite's `EXPLAIN QUERY PLAN`, PostgreSQL's `EXPLAIN`).
    pub async fn story_count_plans(&self) -> Result<Vec<String>, StoreError> {
        let mut plans = Vec::new();
        for sql in [BY_URL, COUNT] {
            let plan: Vec<String> = on_pool!(self, |pool, begin| {
                let explain = if begin == "BEGIN" {
                    format!("EXPLAIN {sql}")
                } else {
                    format!("EXPLAIN QUERY PLAN {sql}")
                };
                let rows = sqlx::query(sqlx::AssertSqlSafe(explain))
                    .bind("")
                    .fetch_all(pool)
                    .await?;
                use sqlx::Row as _;
                let col = if begin == "BEGIN" { 0 } else { 3 };
                rows.iter()
                    .map(|r| r.try_get::<String, _>(col))
                    .collect::<Result<Vec<_>, _>>()?
            });
            plans.push(plan.join("; "));
        }
        Ok(plans)
    }
}
