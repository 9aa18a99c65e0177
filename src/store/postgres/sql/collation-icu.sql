-- collation-icu: whether the server has ICU's root collation, which search folds case under.
-- Only in the PostgreSQL adapter: SQLite folds with a function of its connection. A server built
-- without ICU folds under the database's default collation instead.
SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') AS icu
