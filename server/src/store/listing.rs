//! A story's page for `GET /api/comments`, built by the engine in one
//! statement and cached in this process, validated against the database on
//! every read.
//!
//! Every write that changes a listing bumps a version in the same
//! transaction (triggers of migration 2, `listing_versions`): the story's
//! row for its comments, the `*` row for authors' public fields. A page is
//! cached with the two versions it was read at (in the same statement, so
//! in the same snapshot as its rows); a read first asks the database for
//! the current versions (one indexed lookup) and serves the cached page
//! only if both still match. So a write through any process sharing the
//! database — or a plain SQL `UPDATE` — is seen by the next read of every
//! process, and a process never serves what the database no longer holds.

use super::{Pool, Store, StoreError, StoryKey};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// Bytes of comment JSON one process keeps at most (least recently used
/// pages go first).
pub const LISTING_CACHE_BYTES: usize = 32 << 20;

/// The current versions of a story's listing: (the story's, the authors').
const VERSIONS: &str = "SELECT (SELECT version FROM listing_versions WHERE scope = $1),
        (SELECT version FROM listing_versions WHERE scope = '*')";

/// The page on SQLite: its count, `json_object` per comment (the fields and
/// order of [`super::Comment`]'s `Serialize`) aggregated in id order, and
/// the versions, all in one statement (one snapshot).
const PAGE_SQLITE: &str = "SELECT (SELECT count(*) FROM comments WHERE story_key = $1),
        json_group_array(json(item) ORDER BY id DESC),
        (SELECT version FROM listing_versions WHERE scope = $1),
        (SELECT version FROM listing_versions WHERE scope = '*')
    FROM (SELECT c.id, json_object('id', c.id, 'body', c.body, 'createdAt', c.created_at,
                'author', json_object('username', u.username, 'badges', json(u.badges),
                                      'role', u.role)) AS item
          FROM comments c JOIN users u ON u.id = c.user_id
          WHERE c.story_key = $1 ORDER BY c.id DESC LIMIT $2)";

/// The page on PostgreSQL (`json_build_object`, `json_agg`).
const PAGE_POSTGRES: &str = "SELECT (SELECT count(*) FROM comments WHERE story_key = $1),
        coalesce(json_agg(item ORDER BY id DESC)::text, '[]'),
        (SELECT version FROM listing_versions WHERE scope = $1),
        (SELECT version FROM listing_versions WHERE scope = '*')
    FROM (SELECT c.id, json_build_object('id', c.id, 'body', c.body, 'createdAt', c.created_at,
                'author', json_build_object('username', u.username, 'badges', u.badges::json,
                                            'role', u.role)) AS item
          FROM comments c JOIN users u ON u.id = c.user_id
          WHERE c.story_key = $1 ORDER BY c.id DESC LIMIT $2) page";

/// The listing versions a page was read at: (the story's, the authors');
/// `None` until the first write of that scope.
type Versions = (Option<i64>, Option<i64>);

/// A story's page: its comment count and the JSON text of its newest
/// comments (an array of [`super::Comment`]s, newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryPage {
    /// The story's comment count.
    pub count: i64,
    /// The page's comments, as JSON text.
    pub comments: Arc<str>,
}

struct Entry {
    versions: Versions,
    page: StoryPage,
    used: u64,
}

#[derive(Default)]
struct Pages {
    /// By story key and page size.
    entries: HashMap<(String, u32), Entry>,
    bytes: usize,
    tick: u64,
}

/// The pages one process has read, bounded by [`LISTING_CACHE_BYTES`].
#[derive(Default)]
pub(super) struct ListingCache {
    pages: Mutex<Pages>,
}

impl fmt::Debug for ListingCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("ListingCache")
            .field("pages", &p.entries.len())
            .field("bytes", &p.bytes)
            .finish()
    }
}

impl ListingCache {
    /// The cached page of `key`, if it was read at `versions`.
    fn get(&self, key: &(String, u32), versions: Versions) -> Option<StoryPage> {
        let mut p = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        p.tick += 1;
        let tick = p.tick;
        let e = p.entries.get_mut(key).filter(|e| e.versions == versions)?;
        e.used = tick;
        Some(e.page.clone())
    }

    /// Keeps `page`, read at `versions`, evicting the least recently used.
    fn put(&self, key: (String, u32), versions: Versions, page: StoryPage) {
        let size = page.comments.len() + key.0.len();
        if size > LISTING_CACHE_BYTES / 4 {
            return;
        }
        let mut p = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(old) = p.entries.remove(&key) {
            p.bytes -= old.page.comments.len() + key.0.len();
        }
        while p.bytes + size > LISTING_CACHE_BYTES {
            let Some(oldest) = p
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(e) = p.entries.remove(&oldest) {
                p.bytes -= e.page.comments.len() + oldest.0.len();
            }
        }
        p.tick += 1;
        let used = p.tick;
        p.bytes += size;
        p.entries.insert(
            key,
            Entry {
                versions,
                page,
                used,
            },
        );
    }
}

impl Store {
    /// A story's page for `GET /api/comments`: its comment count and its
    /// newest `limit` comments, newest first, as JSON text. One indexed
    /// read of the listing versions; the page itself is built by the engine
    /// in one statement (one snapshot, one row, no row decoded here) only
    /// when this process holds no page read at those versions.
    pub async fn story_page_json(
        &self,
        story: &StoryKey,
        limit: u32,
    ) -> Result<StoryPage, StoreError> {
        let key = (story.key.clone(), limit);
        let now: Versions = super::on_pool!(self, |pool, _begin| sqlx::query_as(VERSIONS)
            .bind(&story.key)
            .fetch_one(pool)
            .await?);
        if let Some(page) = self.listings.get(&key, now) {
            return Ok(page);
        }
        let (count, json, story_v, authors_v): (i64, String, Option<i64>, Option<i64>) =
            match &self.pool {
                Pool::Sqlite(pool) => {
                    sqlx::query_as(PAGE_SQLITE)
                        .bind(&story.key)
                        .bind(i64::from(limit))
                        .fetch_one(pool)
                        .await?
                }
                Pool::Postgres(pool) => {
                    sqlx::query_as(PAGE_POSTGRES)
                        .bind(&story.key)
                        .bind(i64::from(limit))
                        .fetch_one(pool)
                        .await?
                }
            };
        let page = StoryPage {
            count,
            comments: json.into(),
        };
        self.listings.put(key, (story_v, authors_v), page.clone());
        Ok(page)
    }

    /// How many pages this process holds (for tests and diagnostics).
    pub fn cached_pages(&self) -> usize {
        let p = self
            .listings
            .pages
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        p.entries.len()
    }
}
