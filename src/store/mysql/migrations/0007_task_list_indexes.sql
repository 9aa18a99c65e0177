-- Issue 18: task lists that stay fast at 1,000,000 tasks.
-- As PostgreSQL's 0007, less the index for the finishedAt sort (an expression index needs MySQL
-- 8.0.13 and is missing from MariaDB). Each statement may run again after an interrupted
-- run (an index that exists already is taken as made: see migrate.ts).
--
-- tasks_created: the default list (newest first) and a created-at range walk this index and stop
--   after a page, instead of sorting every task.
-- tasks_priority: the list sorted by priority, the same way.
-- No index for the `worker` filter or for each queue's oldest waiting task: the running and the
-- ready tasks are read through the claim's own indexes. Indexes of their own ((worker_id) on the
-- running tasks, (queue, run_at) on the ready ones) cost every claim and settle a write: 13 % of
-- processing on SQLite, and PostgreSQL's planner took the second for claims, 8x slower.

CREATE INDEX tasks_created ON tasks (created_at, id);
CREATE INDEX tasks_priority ON tasks (priority, id);
