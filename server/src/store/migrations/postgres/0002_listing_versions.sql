-- v2: listing versions. Every write that changes what `GET /api/comments`
-- answers bumps a version in its own transaction, by trigger (so no code
-- path, present or future, can forget it): the story's row (`story_key`)
-- when one of its comments is inserted, changed or deleted, and the `*` row
-- when an author's public fields (username, badges, role) or deletion
-- change. A server process may cache a listing together with the versions
-- it was read at, and serve it only while both still match (crate::store::listing).
CREATE TABLE listing_versions (
    scope   TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
CREATE FUNCTION bump_listing_version(s TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO listing_versions (scope, version) VALUES (s, 1)
        ON CONFLICT (scope) DO UPDATE SET version = listing_versions.version + 1
$$;
CREATE FUNCTION comments_listing_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_listing_version(OLD.story_key);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_listing_version(NEW.story_key);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER comments_listing AFTER INSERT OR UPDATE OR DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_listing_changed();
CREATE FUNCTION users_listing_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_listing_version('*');
    RETURN NULL;
END
$$;
CREATE TRIGGER users_listing AFTER UPDATE ON users FOR EACH ROW
    WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.badges IS DISTINCT FROM NEW.badges
          OR OLD.role IS DISTINCT FROM NEW.role OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
    EXECUTE FUNCTION users_listing_changed();
