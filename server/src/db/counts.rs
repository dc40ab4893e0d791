//! Comment counts for Coral's count script (`/api/story/count*`).
//!
//! A story is named by its `storyID` or, without one, by its URL, as in
//! Coral (`id` wins over `url`). A URL names the story whose newest comment
//! was posted from that URL, so a count badge that only knows an article's
//! URL finds a story the article embeds by `storyID`. Both lookups are
//! index searches (`comments_story` and `comments_story_url`).

use super::{Db, DbError};
use rusqlite::{params, OptionalExtension};

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

impl Db {
    /// The count of one story.
    pub fn story_count(&self, story: &StoryRef) -> Result<StoryCount, DbError> {
        let key = match story {
            StoryRef::Id(id) => Some(format!("id:{id}")),
            StoryRef::Url(url) => self
                .conn
                .prepare_cached(
                    "SELECT story_key FROM comments WHERE story_url = ?1 ORDER BY id DESC LIMIT 1",
                )?
                .query_row(params![url], |r| r.get::<_, String>(0))
                .optional()?,
        };
        let Some(key) = key else {
            return Ok(StoryCount {
                count: 0,
                story_id: None,
            });
        };
        let count: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM comments WHERE story_key = ?1")?
            .query_row(params![key], |r| r.get(0))?;
        let story_id = key
            .strip_prefix("id:")
            .filter(|_| count > 0)
            .map(str::to_string);
        Ok(StoryCount { count, story_id })
    }

    /// The counts of several stories, in order, read in one transaction so
    /// a batch is consistent.
    pub fn story_counts(&self, stories: &[StoryRef]) -> Result<Vec<StoryCount>, DbError> {
        let tx = self.conn.unchecked_transaction()?;
        let out = stories
            .iter()
            .map(|s| self.story_count(s))
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit()?;
        Ok(out)
    }

    /// SQLite's plan for the count lookups (tests: both use an index).
    pub fn story_count_plans(&self) -> Result<Vec<String>, DbError> {
        let mut plans = Vec::new();
        for sql in [
            "EXPLAIN QUERY PLAN SELECT story_key FROM comments WHERE story_url = ?1 ORDER BY id DESC LIMIT 1",
            "EXPLAIN QUERY PLAN SELECT count(*) FROM comments WHERE story_key = ?1",
        ] {
            let mut st = self.conn.prepare(sql)?;
            let rows = st.query_map(params![""], |r| r.get::<_, String>(3))?;
            plans.push(rows.collect::<Result<Vec<_>, _>>()?.join("; "));
        }
        Ok(plans)
    }
}
