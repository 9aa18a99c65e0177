-- run-lock: $1 text[] run ids. Locks those runs, in id order, until the transaction ends.
-- Only in the PostgreSQL adapter: every transaction that changes a run's tasks locks the run
-- first and its tasks after, so two of them never wait on each other's tasks in a cycle, and a
-- run's follow-ups read the commits of the transactions that held the run before (SQLite's
-- write transaction already runs one at a time).
SELECT id FROM pipeline_runs WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE
