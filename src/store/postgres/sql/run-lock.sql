-- run-lock: $1 text[] run ids. Locks those runs, in id order, until the transaction ends, and
-- returns them: the follow-ups read the run from here (what they read does not change until the
-- transaction commits, but `ended_at`, which they set themselves).
-- Only in the PostgreSQL adapter: every transaction that changes a run's tasks locks the run
-- first and its tasks after, so two of them never wait on each other's tasks in a cycle, and a
-- run's follow-ups read the commits of the transactions that held the run before (SQLite's
-- write transaction already runs one at a time).
SELECT * FROM pipeline_runs WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE
