-- search-path-set: $1 the search_path to use; returns the one it replaces.
-- Only in the PostgreSQL adapter: a caller's own client (transactional submit) has its own
-- search_path; this points it at our schema for the insert, then puts the caller's back. Local to
-- the caller's transaction either way.
SELECT current_setting('search_path') AS previous, set_config('search_path', $1, true)
