//! Comments of a story.

use super::{on_pool, Author, Comment, Store, StoreError, StoryKey, User};

/// A comment row joined with its author's public fields.
#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    body: String,
    created_at: i64,
    username: String,
    badges: String,
    role: Option<String>,
}

impl From<Row> for Comment {
    fn from(r: Row) -> Comment {
        Comment {
            id: r.id,
            body: r.body,
            created_at: r.created_at,
            author: Author {
                username: r.username,
                badges: serde_json::from_str(&r.badges).unwrap_or_default(),
                role: r.role,
            },
        }
    }
}

impl Store {
    /// Adds a comment by `user`; returns it with its author. The comment is
    /// committed (and, per the engine's durability setting, on disk) when
    /// this returns.
    pub async fn add_comment(
        &self,
        user: &User,
        story: &StoryKey,
        body: &str,
        now: i64,
    ) -> Result<Comment, StoreError> {
        const SQL: &str =
            "INSERT INTO comments (story_key, story_id, story_url, user_id, body, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        let id: i64 = on_pool!(self, |pool, _begin| sqlx::query_scalar(SQL)
            .bind(&story.key)
            .bind(&story.story_id)
            .bind(&story.story_url)
            .bind(user.id)
            .bind(body)
            .bind(now)
            .fetch_one(pool)
            .await?);
        Ok(Comment {
            id,
            body: body.to_string(),
            created_at: now,
            author: Author {
                username: user.username.clone(),
                badges: user.badges.clone(),
                role: user.role.clone(),
            },
        })
    }

    /// The newest `limit` comments of a story, newest first.
    pub async fn comments(&self, story: &StoryKey, limit: u32) -> Result<Vec<Comment>, StoreError> {
        const SQL: &str = "SELECT c.id, c.body, c.created_at, u.username, u.badges, u.role
             FROM comments c JOIN users u ON u.id = c.user_id
             WHERE c.story_key = $1 ORDER BY c.id DESC LIMIT $2";
        let rows: Vec<Row> = on_pool!(self, |pool, _begin| sqlx::query_as(SQL)
            .bind(&story.key)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(Comment::from).collect())
    }

    /// Number of comments of a story.
    pub async fn comment_count(&self, story: &StoryKey) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT count(*) FROM comments WHERE story_key = $1";
        let n: i64 = on_pool!(self, |pool, _begin| sqlx::query_scalar(SQL)
            .bind(&story.key)
            .fetch_one(pool)
            .await?);
        Ok(n)
    }
}
