-- v2: listing versions. Every write that changes what `GET /api/comments`
-- answers bumps a version in its own transaction, by trigger (so no code
-- path, present or future, can forget it): the story's row (`story_key`)
-- when one of its comments is inserted, changed or deleted, and the `*` row
-- when an author's public fields (username, badges, role) or deletion
-- change. A server process may cache a listing together with the versions
-- it was read at, and serve it only while both still match (crate::store::listing).
CREATE TABLE listing_versions (
    scope   TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
CREATE TRIGGER comments_listing_insert AFTER INSERT ON comments BEGIN
    INSERT INTO listing_versions (scope, version) VALUES (NEW.story_key, 1)
        ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER comments_listing_delete AFTER DELETE ON comments BEGIN
    INSERT INTO listing_versions (scope, version) VALUES (OLD.story_key, 1)
        ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER comments_listing_update AFTER UPDATE ON comments BEGIN
    INSERT INTO listing_versions (scope, version) VALUES (OLD.story_key, 1)
        ON CONFLICT (scope) DO UPDATE SET version = version + 1;
    INSERT INTO listing_versions (scope, version) VALUES (NEW.story_key, 1)
        ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER users_listing_update AFTER UPDATE ON users
    WHEN OLD.username IS NOT NEW.username OR OLD.badges IS NOT NEW.badges
      OR OLD.role IS NOT NEW.role OR OLD.deleted_at IS NOT NEW.deleted_at
BEGIN
    INSERT INTO listing_versions (scope, version) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;
