-- task-ids-in-range: ?1 first rowid, ?2 last rowid. The ids a bulk insert created.
-- Only in the SQLite adapter: PostgreSQL's insert reports its rows with RETURNING.
SELECT id FROM tasks WHERE rowid BETWEEN ?1 AND ?2
