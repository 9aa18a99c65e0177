-- The first schema, the MySQL/MariaDB form of PostgreSQL's 0001 (same tables, columns and
-- meaning). Times are BIGINT milliseconds since the epoch, as the Store contract speaks them, so
-- no conversion happens on the hot path. JSON values are JSON columns (on MariaDB an alias of
-- LONGTEXT with a JSON_VALID check), read back as text and parsed by the row mapping.
-- Ids, tokens, types and queue names are VARCHAR in utf8mb4_bin: they compare byte-wise, as
-- PostgreSQL's COLLATE "C" and SQLite do, so claim order and keyset pagination do not depend on a
-- collation's case or accent folding. 255 characters bound every such key (names are at most 128,
-- idempotency keys 255) and keep each index within InnoDB's 3072-byte key limit.
-- Status and transition rules live in src/core/status.ts, not in CHECK constraints.
-- MySQL has no partial indexes: where PostgreSQL indexes only some rows, a full index stands in,
-- or (the ready index) a stored generated column that is NULL for the rows left out.

CREATE TABLE tasks (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  type VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  queue VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  priority SMALLINT NOT NULL,
  status VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  input JSON NOT NULL,
  output JSON,
  error JSON,
  attempt INT NOT NULL DEFAULT 0,
  max_attempts INT NOT NULL,
  progress DOUBLE,
  progress_message TEXT,
  idempotency_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  input_hash VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  run_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  worker_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  lease_token VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  lease_expires_at BIGINT,
  execution_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
  crash_count INT NOT NULL DEFAULT 0,
  -- 1 while the task waits to be claimed (queued or retrying), NULL otherwise: the ready index
  -- below then holds the claimable rows first, in claim order, as PostgreSQL's partial index.
  ready TINYINT GENERATED ALWAYS AS (IF(status IN ('queued', 'retrying'), 1, NULL)) STORED,
  -- Idempotent submission: a unique index admits any number of NULLs, so keyless tasks pass.
  UNIQUE KEY tasks_idempotency_key (idempotency_key),
  -- The claim walks this in claim order and stops after LIMIT matches.
  KEY tasks_ready (ready, priority, run_at, id),
  -- Lease sweeping scans running tasks by expiry; `queue` lets the claim count a limited queue's
  -- running tasks from the index alone.
  KEY tasks_running (status, lease_expires_at, queue),
  -- Retention purges finished tasks by status and age.
  KEY tasks_finished (status, finished_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE executions (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  task_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  attempt INT NOT NULL,
  worker_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  outcome VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  error JSON,
  metrics JSON,
  KEY executions_task (task_id),
  -- Stats read the newest finished executions and counts since a time.
  KEY executions_finished (finished_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE task_history (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  task_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  from_status VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  to_status VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  at BIGINT NOT NULL,
  reason TEXT,
  worker_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  KEY task_history_task (task_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE task_logs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  task_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  attempt INT NOT NULL,
  level VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  message MEDIUMTEXT NOT NULL,
  at BIGINT NOT NULL,
  -- A task's lines come out in id order from this alone, also when tailing after an id.
  KEY task_logs_task (task_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE artifacts (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  task_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  attempt INT NOT NULL,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  created_at BIGINT NOT NULL,
  KEY artifacts_task (task_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- types and queues: JSON arrays of strings (PostgreSQL text[]); queues NULL for every queue.
CREATE TABLE workers (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  host TEXT NOT NULL,
  pid INT NOT NULL,
  concurrency INT NOT NULL,
  types JSON NOT NULL,
  queues JSON,
  version TEXT NOT NULL,
  state VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  started_at BIGINT NOT NULL,
  last_heartbeat_at BIGINT NOT NULL,
  `load` DOUBLE NOT NULL,
  rss_bytes BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE queues (
  name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  paused BOOLEAN NOT NULL DEFAULT FALSE,
  concurrency INT,
  updated_at BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
