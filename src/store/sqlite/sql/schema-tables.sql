-- schema-tables: no parameters. The tables a database holds, to tell a new file from ours and
-- from someone else's before anything is written.
SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
