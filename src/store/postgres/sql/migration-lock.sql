-- migration-lock: $1 schema name. Only in the PostgreSQL adapter: SQLite's BEGIN IMMEDIATE
-- already lets one process migrate at a time. Held until the migrating transaction ends, so
-- processes starting together migrate one after another, each re-reading the ledger.
SELECT pg_advisory_xact_lock(hashtextextended('taskmill.migrate:' || $1::text, 0))
