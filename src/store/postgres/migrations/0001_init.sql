-- The first schema. Times are bigint milliseconds since the epoch, as the Store contract speaks
-- them, so no conversion happens on the hot path. JSON values are jsonb. Every object lives in
-- the schema the connection's search_path names; nothing here is schema-qualified.
-- Ids, tokens, types and queue names compare byte-wise (COLLATE "C"), as SQLite does: claim
-- order and keyset pagination must not depend on the server's locale.
-- Status and transition rules live in src/core/status.ts, not in CHECK constraints, so both
-- adapters share one source of truth.

CREATE TABLE tasks (
  id text COLLATE "C" PRIMARY KEY,
  type text COLLATE "C" NOT NULL,
  queue text COLLATE "C" NOT NULL,
  priority smallint NOT NULL,
  status text COLLATE "C" NOT NULL,
  input jsonb NOT NULL,
  output jsonb,
  error jsonb,
  attempt integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  progress double precision,
  progress_message text,
  idempotency_key text COLLATE "C",
  input_hash text,
  run_at bigint NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  started_at bigint,
  finished_at bigint,
  worker_id text,
  lease_token text COLLATE "C",
  lease_expires_at bigint,
  execution_id text COLLATE "C",
  cancel_requested boolean NOT NULL DEFAULT false,
  crash_count integer NOT NULL DEFAULT 0
);

-- Idempotent submission: most tasks carry no key, so the index holds only those that do.
CREATE UNIQUE INDEX tasks_idempotency_key ON tasks (idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- The claim walks this in claim order and stops after LIMIT matches; finished tasks, which are
-- most rows, never enter it.
CREATE INDEX tasks_ready ON tasks (priority, run_at, id)
  WHERE status IN ('queued', 'retrying');

-- Lease sweeping scans it by expiry; `queue` lets the claim count a limited queue's running tasks
-- from the index alone.
CREATE INDEX tasks_running ON tasks (lease_expires_at, queue)
  WHERE status = 'running';

-- Retention purges finished tasks by status and age. Partial, so that submitting and claiming,
-- which only touch unfinished rows, never pay for it.
CREATE INDEX tasks_finished ON tasks (status, finished_at)
  WHERE finished_at IS NOT NULL;

CREATE TABLE executions (
  id text COLLATE "C" PRIMARY KEY,
  task_id text COLLATE "C" NOT NULL,
  attempt integer NOT NULL,
  worker_id text NOT NULL,
  started_at bigint NOT NULL,
  finished_at bigint,
  outcome text,
  error jsonb,
  metrics jsonb
);

CREATE INDEX executions_task ON executions (task_id);

-- Stats read the newest finished executions and counts since a time; without this both are a
-- full scan and sort of every execution ever kept.
CREATE INDEX executions_finished ON executions (finished_at)
  WHERE finished_at IS NOT NULL;

CREATE TABLE task_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id text COLLATE "C" NOT NULL,
  from_status text,
  to_status text NOT NULL,
  at bigint NOT NULL,
  reason text,
  worker_id text
);

CREATE INDEX task_history_task ON task_history (task_id, id);

CREATE TABLE task_logs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id text COLLATE "C" NOT NULL,
  attempt integer NOT NULL,
  level text NOT NULL,
  message text NOT NULL,
  at bigint NOT NULL
);

-- A task's lines come out in id order from this alone, also when tailing after an id.
CREATE INDEX task_logs_task ON task_logs (task_id, id);

CREATE TABLE artifacts (
  id text COLLATE "C" PRIMARY KEY,
  task_id text COLLATE "C" NOT NULL,
  attempt integer NOT NULL,
  name text NOT NULL,
  path text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  created_at bigint NOT NULL
);

CREATE INDEX artifacts_task ON artifacts (task_id);

CREATE TABLE workers (
  id text COLLATE "C" PRIMARY KEY,
  name text COLLATE "C" NOT NULL,
  host text NOT NULL,
  pid integer NOT NULL,
  concurrency integer NOT NULL,
  types text[] NOT NULL,
  queues text[],
  version text NOT NULL,
  state text NOT NULL,
  started_at bigint NOT NULL,
  last_heartbeat_at bigint NOT NULL,
  load double precision NOT NULL,
  rss_bytes bigint NOT NULL
);

CREATE TABLE queues (
  name text COLLATE "C" PRIMARY KEY,
  paused boolean NOT NULL DEFAULT false,
  concurrency integer,
  updated_at bigint NOT NULL
);
