-- Pipelines (issue 16), as PostgreSQL's 0005: a run of a pipeline, and on each task the run, the
-- step and (for an item of a map step) the item it carries out. A run's steps are ordinary tasks
-- that wait on each other through task_dependencies; the run row holds what the definition fixed
-- when the run started and how it ended. PostgreSQL's partial indexes are full ones here.

CREATE TABLE pipeline_runs (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  pipeline VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  input JSON NOT NULL,
  -- 'parallel' or 'sequential'; 'failFast' or 'continue'.
  mode VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  on_failure VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  -- JSON object: map step name → how many of its items may run at once.
  limits JSON NOT NULL,
  -- 'running' until the last of its tasks ends; then 'completed', 'failed' or 'cancelled'.
  status VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
  -- The first step that failed: { step, taskId, code, message }.
  error JSON,
  -- Runs started together (runMany) share a batch id and keep their order in it.
  batch_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  batch_index INT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  ended_at BIGINT,
  KEY pipeline_runs_pipeline (pipeline, id),
  KEY pipeline_runs_batch (batch_id, batch_index)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

ALTER TABLE tasks
  ADD COLUMN run_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  ADD COLUMN step VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  -- The item's position in its map step's list; NULL for a step's own task.
  ADD COLUMN map_index INT,
  -- The step's place in the run's topological order: a sequential run starts steps by it.
  ADD COLUMN step_order INT,
  -- true: once its dependencies complete the task still waits (pending) for a free place in its
  -- run (sequential) or its map step (the step's concurrency).
  ADD COLUMN held BOOLEAN NOT NULL DEFAULT FALSE,
  -- A cached step's key (SHA-256 hex of pipeline, step and the key its function gave): a later run's step with
  -- the same key reuses this task's output while it is young enough.
  ADD COLUMN cache_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  -- A run's steps and a map step's items in order.
  ADD KEY tasks_run (run_id, step, map_index),
  -- A run's unfinished tasks by status: whether the run has ended, what runs now, what waits
  -- for a place.
  ADD KEY tasks_run_open (run_id, status, held),
  ADD KEY tasks_cache (cache_key, finished_at);
