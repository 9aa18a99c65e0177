-- schema-tables: $1 schema name. The tables (and views) a schema holds, to tell a new schema
-- from ours and from someone else's before anything is written.
SELECT table_name AS name FROM information_schema.tables
WHERE table_schema = $1
ORDER BY table_name
