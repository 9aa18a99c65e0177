-- Pipelines (issue 16): a run of a pipeline, and on each task the run, the step and (for an
-- item of a map step) the item it carries out. A run's steps are ordinary tasks that wait on
-- each other through task_dependencies; the run row holds what the definition fixed when the
-- run started and how it ended. The same shape as PostgreSQL's 0005.

CREATE TABLE pipeline_runs (
  id TEXT PRIMARY KEY,
  pipeline TEXT NOT NULL,
  input TEXT NOT NULL,
  -- 'parallel' or 'sequential'; 'failFast' or 'continue'.
  mode TEXT NOT NULL,
  on_failure TEXT NOT NULL,
  -- JSON object: map step name → how many of its items may run at once.
  limits TEXT NOT NULL,
  -- 'running' until the last of its tasks ends; then 'completed', 'failed' or 'cancelled'.
  status TEXT NOT NULL,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  -- The first step that failed: { step, taskId, code, message }.
  error TEXT,
  -- Runs started together (runMany) share a batch id and keep their order in it.
  batch_id TEXT,
  batch_index INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  ended_at INTEGER
);

CREATE INDEX pipeline_runs_pipeline ON pipeline_runs (pipeline, id);
CREATE INDEX pipeline_runs_batch ON pipeline_runs (batch_id, batch_index);

ALTER TABLE tasks ADD COLUMN run_id TEXT;
ALTER TABLE tasks ADD COLUMN step TEXT;
-- The item's position in its map step's list; NULL for a step's own task.
ALTER TABLE tasks ADD COLUMN map_index INTEGER;
-- The step's place in the run's topological order: a sequential run starts steps by it.
ALTER TABLE tasks ADD COLUMN step_order INTEGER;
-- 1: once its dependencies complete the task still waits (pending) for a free place in its
-- run (sequential) or its map step (the step's concurrency).
ALTER TABLE tasks ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
-- A cached step's key (pipeline, step and the key its function gave): a later run's step with
-- the same key reuses this task's output while it is young enough.
ALTER TABLE tasks ADD COLUMN cache_key TEXT;

-- A run's steps and a map step's items in order. Partial: tasks submitted alone never enter.
CREATE INDEX tasks_run ON tasks (run_id, step, map_index) WHERE run_id IS NOT NULL;
-- A run's unfinished tasks by status: whether the run has ended, what runs now, what waits for
-- a place.
CREATE INDEX tasks_run_open ON tasks (run_id, status, held)
  WHERE run_id IS NOT NULL AND status IN ('pending', 'queued', 'paused', 'running', 'retrying');
CREATE INDEX tasks_cache ON tasks (cache_key, finished_at) WHERE cache_key IS NOT NULL;
