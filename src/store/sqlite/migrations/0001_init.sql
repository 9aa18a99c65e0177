-- The first schema. Times are INTEGER milliseconds since the epoch; JSON values are TEXT.
-- Status and transition rules live in src/core/status.ts, not in CHECK constraints, so both
-- adapters share one source of truth.

-- A rowid table: the integer rowid keeps rows compact and inserts append-only, while the UUIDv7
-- `id` is what every caller uses.
CREATE TABLE tasks (
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  queue TEXT NOT NULL,
  priority INTEGER NOT NULL,
  status TEXT NOT NULL,
  input TEXT NOT NULL,
  output TEXT,
  error TEXT,
  attempt INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  progress REAL,
  progress_message TEXT,
  idempotency_key TEXT,
  input_hash TEXT,
  run_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  worker_id TEXT,
  lease_token TEXT,
  lease_expires_at INTEGER,
  execution_id TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  crash_count INTEGER NOT NULL DEFAULT 0
);

-- Idempotent submission: most tasks carry no key, so the index holds only those that do.
CREATE UNIQUE INDEX tasks_idempotency_key ON tasks (idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- The claim walks this in claim order and stops after LIMIT matches; finished tasks, which are
-- most rows, never enter it.
CREATE INDEX tasks_ready ON tasks (priority, run_at, id)
  WHERE status IN ('queued', 'retrying');

-- Lease sweeping scans it by expiry; `queue` makes it covering for the per-queue running counts
-- the claim reads when a queue has a concurrency limit.
CREATE INDEX tasks_running ON tasks (lease_expires_at, queue)
  WHERE status = 'running';

-- Retention purges finished tasks by status and age. Partial, so that submitting and claiming,
-- which only touch unfinished rows, never pay for it.
CREATE INDEX tasks_finished ON tasks (status, finished_at)
  WHERE finished_at IS NOT NULL;

CREATE TABLE executions (
  id TEXT PRIMARY KEY,
  task_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  worker_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  outcome TEXT,
  error TEXT,
  metrics TEXT
);

CREATE INDEX executions_task ON executions (task_id);

-- Stats read the newest finished executions and counts since a time; without this both are a
-- full scan and sort of every execution ever kept.
CREATE INDEX executions_finished ON executions (finished_at)
  WHERE finished_at IS NOT NULL;

CREATE TABLE task_history (
  id INTEGER PRIMARY KEY,
  task_id TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  at INTEGER NOT NULL,
  reason TEXT,
  worker_id TEXT
);

CREATE INDEX task_history_task ON task_history (task_id);

CREATE TABLE task_logs (
  id INTEGER PRIMARY KEY,
  task_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  level TEXT NOT NULL,
  message TEXT NOT NULL,
  at INTEGER NOT NULL
);

-- Rows of one task come out in id order from this alone: the rowid is the last key column.
CREATE INDEX task_logs_task ON task_logs (task_id);

CREATE TABLE artifacts (
  id TEXT PRIMARY KEY,
  task_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE INDEX artifacts_task ON artifacts (task_id);

CREATE TABLE workers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  concurrency INTEGER NOT NULL,
  types TEXT NOT NULL,
  queues TEXT,
  version TEXT NOT NULL,
  state TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  last_heartbeat_at INTEGER NOT NULL,
  load REAL NOT NULL,
  rss_bytes INTEGER NOT NULL
);

CREATE TABLE queues (
  name TEXT PRIMARY KEY,
  paused INTEGER NOT NULL DEFAULT 0,
  concurrency INTEGER,
  updated_at INTEGER NOT NULL
);
