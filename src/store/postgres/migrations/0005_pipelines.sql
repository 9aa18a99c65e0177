-- Pipelines (issue 16): a run of a pipeline, and on each task the run, the step and (for an
-- item of a map step) the item it carries out. A run's steps are ordinary tasks that wait on
-- each other through task_dependencies; the run row holds what the definition fixed when the
-- run started and how it ended. The same shape as SQLite's 0005.

CREATE TABLE pipeline_runs (
  id text COLLATE "C" PRIMARY KEY,
  pipeline text COLLATE "C" NOT NULL,
  input jsonb NOT NULL,
  -- 'parallel' or 'sequential'; 'failFast' or 'continue'.
  mode text COLLATE "C" NOT NULL,
  on_failure text COLLATE "C" NOT NULL,
  -- JSON object: map step name → how many of its items may run at once.
  limits jsonb NOT NULL,
  -- 'running' until the last of its tasks ends; then 'completed', 'failed' or 'cancelled'.
  status text COLLATE "C" NOT NULL,
  cancel_requested boolean NOT NULL DEFAULT false,
  -- The first step that failed: { step, taskId, code, message }.
  error jsonb,
  -- Runs started together (runMany) share a batch id and keep their order in it.
  batch_id text COLLATE "C",
  batch_index integer,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  ended_at bigint
);

CREATE INDEX pipeline_runs_pipeline ON pipeline_runs (pipeline, id);
CREATE INDEX pipeline_runs_batch ON pipeline_runs (batch_id, batch_index);

ALTER TABLE tasks ADD COLUMN run_id text COLLATE "C";
ALTER TABLE tasks ADD COLUMN step text COLLATE "C";
-- The item's position in its map step's list; NULL for a step's own task.
ALTER TABLE tasks ADD COLUMN map_index integer;
-- The step's place in the run's topological order: a sequential run starts steps by it.
ALTER TABLE tasks ADD COLUMN step_order integer;
-- true: once its dependencies complete the task still waits (pending) for a free place in its
-- run (sequential) or its map step (the step's concurrency).
ALTER TABLE tasks ADD COLUMN held boolean NOT NULL DEFAULT false;
-- A cached step's key (pipeline, step and the key its function gave): a later run's step with
-- the same key reuses this task's output while it is young enough.
ALTER TABLE tasks ADD COLUMN cache_key text COLLATE "C";

-- A run's steps and a map step's items in order. Partial: tasks submitted alone never enter.
CREATE INDEX tasks_run ON tasks (run_id, step, map_index) WHERE run_id IS NOT NULL;
-- A run's unfinished tasks by status: whether the run has ended, what runs now, what waits for
-- a place.
CREATE INDEX tasks_run_open ON tasks (run_id, status, held)
  WHERE run_id IS NOT NULL AND status IN ('pending', 'queued', 'paused', 'running', 'retrying');
CREATE INDEX tasks_cache ON tasks (cache_key, finished_at) WHERE cache_key IS NOT NULL;
