-- step-parents: ?1 run id, ?2 JSON array of step names. Those steps' own tasks.
-- Only in the SQLite adapter: PostgreSQL reads them with the run in one round trip
-- (step-context).
SELECT step, status, output
FROM tasks
WHERE run_id = ?1 AND step IN (SELECT value FROM json_each(?2)) AND map_index IS NULL
