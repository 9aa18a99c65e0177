-- Fewer rows per task on the hot path (issue 11). Until now every task wrote a history row at
-- submit, claim and settle, and an execution row at claim that its settle updated: six row
-- writes for one run. Now:
-- - the attempt that ends a task stays on the task row (execution_id, started_at, worker_id,
--   claimed_from, outcome, metrics, end_reason, attempt_error, settled_by); an attempt that does
--   not end it (a retry, a release, a recovery) is written to executions once, when it ends;
-- - the history entries of a submit, a claim and a settlement are read from those records (the
--   task row and executions) instead of being written as rows of their own; task_history keeps
--   the transitions that have no such record (cancel, retry, a dependency's release);
-- - `seq` numbers a task's history entries, wherever each is kept, so they read back in order.
-- Tasks may wait on others (task_dependencies): `waiting_on` counts a task's dependencies that
-- have not completed yet, `dependents` how many tasks were ever made to wait on it (a settlement
-- of a task with dependents carries follow-ups, see settle-claim.sql).

ALTER TABLE tasks
  ADD COLUMN seq integer NOT NULL DEFAULT 1,
  ADD COLUMN submitted_as text COLLATE "C",
  ADD COLUMN claimed_from text COLLATE "C",
  ADD COLUMN outcome text COLLATE "C",
  ADD COLUMN metrics jsonb,
  ADD COLUMN end_reason text,
  ADD COLUMN attempt_error boolean NOT NULL DEFAULT false,
  ADD COLUMN settled_by text,
  ADD COLUMN waiting_on integer NOT NULL DEFAULT 0,
  ADD COLUMN dependents integer NOT NULL DEFAULT 0;

ALTER TABLE executions
  ADD COLUMN from_status text COLLATE "C",
  ADD COLUMN to_status text COLLATE "C",
  ADD COLUMN reason text,
  ADD COLUMN settled_by text,
  ADD COLUMN claim_seq integer;

ALTER TABLE task_history ADD COLUMN seq integer;

UPDATE task_history h SET seq = n.seq
FROM (
  SELECT id, row_number() OVER (PARTITION BY task_id ORDER BY id) AS seq FROM task_history
) n
WHERE h.id = n.id;

-- A running task's claim entry and open execution become the attempt on its row.
CREATE TEMPORARY TABLE migrating_claims ON COMMIT DROP AS
SELECT DISTINCT ON (h.task_id) h.id, h.task_id, h.from_status
FROM task_history h
JOIN tasks t ON t.id = h.task_id AND t.status = 'running'
ORDER BY h.task_id, h.id DESC;

UPDATE tasks t SET claimed_from = c.from_status FROM migrating_claims c WHERE t.id = c.task_id;
DELETE FROM task_history h USING migrating_claims c WHERE h.id = c.id;
DELETE FROM executions e USING tasks t
WHERE t.status = 'running' AND e.task_id = t.id AND e.id = t.execution_id;
UPDATE tasks SET execution_id = NULL, worker_id = NULL WHERE status <> 'running';
UPDATE tasks t SET seq = coalesce(
  (SELECT max(h.seq) FROM task_history h WHERE h.task_id = t.id), 0
) + CASE WHEN t.status = 'running' THEN 1 ELSE 0 END;

ALTER TABLE task_history ALTER COLUMN seq SET NOT NULL;

CREATE TABLE task_dependencies (
  task_id text COLLATE "C" NOT NULL,
  depends_on text COLLATE "C" NOT NULL,
  PRIMARY KEY (depends_on, task_id)
);

-- A task's own dependencies, for reading them and for deleting a task.
CREATE INDEX task_dependencies_task ON task_dependencies (task_id);
