-- settled-dependents: ?1 JSON array of task ids just settled.
-- Those that have dependents (their settlement carries follow-ups), with the status each now
-- has. Only in the SQLite adapter: PostgreSQL's settle-claim returns this with each row.
SELECT id, status FROM tasks
WHERE id IN (SELECT value FROM json_each(?1)) AND dependents > 0
