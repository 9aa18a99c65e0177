-- Issue 18: task lists that stay fast at 1,000,000 tasks. The same change as PostgreSQL's 0007. Measured before and
-- after in docs/project/benchmarks.md ("Task lists at 1,000,000 tasks").
--
-- tasks_created: the default list (newest first) and a created-at range walk this index and stop
--   after a page, instead of sorting every task; a search or a name filter stops as soon as
--   the page is full. created_at never changes, so the claim and settle path never writes it.
-- tasks_priority, tasks_finished_sort: the lists sorted by priority, and by finishedAt (the
--   list's sort expression, unfinished tasks as -1), the same way. Written once per task on
--   settle (finished) and on a priority change.
-- No index for the `worker` filter or for each queue's oldest waiting task: the running and the
-- ready tasks are read through the claim's own indexes. Indexes of their own ((worker_id) on the
-- running tasks, (queue, run_at) on the ready ones) cost every claim and settle a write: 13 % of
-- processing on SQLite, and PostgreSQL's planner took the second for claims, 8x slower.
-- Sorting by updatedAt or runAt still reads every match: both change on every transition, and
-- an index on each would cost every claim and settle a write.

CREATE INDEX tasks_created ON tasks (created_at, id);
CREATE INDEX tasks_priority ON tasks (priority, id);
CREATE INDEX tasks_finished_sort ON tasks (coalesce(finished_at, -1), id);
