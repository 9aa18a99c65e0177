-- schema-tables: no parameters. The tables (and views) of the connection's database, to tell a
-- new database from ours and from someone else's before anything is written.
SELECT table_name AS name FROM information_schema.tables
WHERE table_schema = DATABASE()
ORDER BY table_name
