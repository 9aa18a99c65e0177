-- Fewer rows per task on the hot path (issue 11); the same change as PostgreSQL's 0002:
-- - the attempt that ends a task stays on the task row (execution_id, started_at, worker_id,
--   claimed_from, outcome, metrics, end_reason, attempt_error, settled_by); an attempt that does
--   not end it (a retry, a release, a recovery) is written to executions once, when it ends;
-- - the history entries of a submit, a claim and a settlement are read from those records (the
--   task row and executions) instead of being written as rows of their own; task_history keeps
--   the transitions that have no such record (cancel, retry, a dependency's release);
-- - `seq` numbers a task's history entries, wherever each is kept, so they read back in order.
-- Tasks may wait on others (task_dependencies): `waiting_on` counts a task's dependencies that
-- have not completed yet, `dependents` how many tasks were ever made to wait on it.

ALTER TABLE tasks ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tasks ADD COLUMN submitted_as TEXT;
ALTER TABLE tasks ADD COLUMN claimed_from TEXT;
ALTER TABLE tasks ADD COLUMN outcome TEXT;
ALTER TABLE tasks ADD COLUMN metrics TEXT;
ALTER TABLE tasks ADD COLUMN end_reason TEXT;
ALTER TABLE tasks ADD COLUMN attempt_error INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN settled_by TEXT;
ALTER TABLE tasks ADD COLUMN waiting_on INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN dependents INTEGER NOT NULL DEFAULT 0;

ALTER TABLE executions ADD COLUMN from_status TEXT;
ALTER TABLE executions ADD COLUMN to_status TEXT;
ALTER TABLE executions ADD COLUMN reason TEXT;
ALTER TABLE executions ADD COLUMN settled_by TEXT;
ALTER TABLE executions ADD COLUMN claim_seq INTEGER;

-- SQLite cannot add a NOT NULL column without a default; 0 is overwritten here for every row.
ALTER TABLE task_history ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;

UPDATE task_history SET seq = n.seq
FROM (
  SELECT id, row_number() OVER (PARTITION BY task_id ORDER BY id) AS seq FROM task_history
) AS n
WHERE task_history.id = n.id;

-- A running task's claim entry and open execution become the attempt on its row.
CREATE TEMPORARY TABLE migrating_claims AS
SELECT h.task_id, max(h.id) AS id FROM task_history h
JOIN tasks t ON t.id = h.task_id AND t.status = 'running'
GROUP BY h.task_id;

UPDATE tasks SET claimed_from = h.from_status
FROM migrating_claims c JOIN task_history h ON h.id = c.id
WHERE tasks.id = c.task_id;

DELETE FROM task_history WHERE id IN (SELECT id FROM migrating_claims);
DELETE FROM executions WHERE id IN (
  SELECT t.execution_id FROM tasks t WHERE t.status = 'running' AND t.execution_id IS NOT NULL
);
UPDATE tasks SET execution_id = NULL, worker_id = NULL WHERE status <> 'running';
UPDATE tasks SET seq = coalesce(
  (SELECT max(h.seq) FROM task_history h WHERE h.task_id = tasks.id), 0
) + CASE WHEN status = 'running' THEN 1 ELSE 0 END;

DROP TABLE migrating_claims;

CREATE TABLE task_dependencies (
  task_id TEXT NOT NULL,
  depends_on TEXT NOT NULL,
  PRIMARY KEY (depends_on, task_id)
) WITHOUT ROWID;

-- A task's own dependencies, for reading them and for deleting a task.
CREATE INDEX task_dependencies_task ON task_dependencies (task_id);
