-- Cron schedules (issue 15), as PostgreSQL's 0004: the schedules themselves, and one row per
-- tick handled (fired, skipped, or waiting behind an unfinished run). A task's schedule is read by
-- joining schedule_ticks on task_id.

CREATE TABLE schedules (
  name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  cron TEXT NOT NULL,
  timezone TEXT NOT NULL,
  task_type VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  input JSON NOT NULL,
  priority SMALLINT NOT NULL,
  queue VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  max_attempts INT,
  timeout JSON,
  enabled BOOLEAN NOT NULL,
  description TEXT,
  overlap VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  catch_up VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  catch_up_window_ms BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  -- The newest fire time handled (fired or skipped); only ever moves forward.
  cursor_at BIGINT NOT NULL,
  -- The first fire time after cursor_at, computed by the application; NULL when none comes.
  next_at BIGINT,
  -- A scheduler pass reads the enabled schedules whose next tick is due.
  KEY schedules_due (enabled, next_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE schedule_ticks (
  schedule_name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  fire_at BIGINT NOT NULL,
  -- true for run now: its fire_at is when it was asked, and may equal an expression tick's.
  manual BOOLEAN NOT NULL DEFAULT FALSE,
  task_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  -- NULL when it made a task (or waits to); 'overlap' or 'catch_up' when it made none.
  skipped VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  backfill BOOLEAN NOT NULL DEFAULT FALSE,
  -- true while it waits for the previous run to finish (overlap policy `queue`).
  waiting BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL,
  -- Exactly once: a second scheduler's insert of the same tick conflicts and writes nothing.
  PRIMARY KEY (schedule_name, fire_at, manual),
  -- Retention deletes the oldest ticks first (schedule-tick-prune.sql).
  KEY schedule_ticks_fire (fire_at),
  KEY schedule_ticks_task (task_id),
  KEY schedule_ticks_waiting (schedule_name, waiting)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
