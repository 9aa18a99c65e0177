-- Cron schedules (issue 15): the schedules themselves, and one row per tick handled (fired,
-- skipped, or waiting behind an unfinished run). Tasks get no new column: a task's schedule is
-- read by joining schedule_ticks on task_id. The same shape as PostgreSQL's 0004, with no partial
-- index, so a later MySQL adapter can have it too.

CREATE TABLE schedules (
  name TEXT PRIMARY KEY,
  cron TEXT NOT NULL,
  timezone TEXT NOT NULL,
  task_type TEXT NOT NULL,
  input TEXT NOT NULL,
  priority INTEGER NOT NULL,
  queue TEXT NOT NULL,
  max_attempts INTEGER,
  timeout TEXT,
  enabled INTEGER NOT NULL,
  description TEXT,
  overlap TEXT NOT NULL,
  catch_up TEXT NOT NULL,
  catch_up_window_ms INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  -- The newest fire time handled (fired or skipped); only ever moves forward.
  cursor_at INTEGER NOT NULL,
  -- The first fire time after cursor_at, computed by the application (or earlier: a pass that
  -- finds it early sets it right); NULL when none comes.
  next_at INTEGER
);

-- A scheduler pass reads the enabled schedules whose next tick is due.
CREATE INDEX schedules_due ON schedules (enabled, next_at);

CREATE TABLE schedule_ticks (
  schedule_name TEXT NOT NULL,
  fire_at INTEGER NOT NULL,
  -- 1 for run now: its fire_at is when it was asked, and may equal an expression tick's.
  manual INTEGER NOT NULL DEFAULT 0,
  task_id TEXT,
  -- NULL when it made a task (or waits to); 'overlap' or 'catch_up' when it made none.
  skipped TEXT,
  backfill INTEGER NOT NULL DEFAULT 0,
  -- 1 while it waits for the previous run to finish (overlap policy `queue`).
  waiting INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  -- Exactly once: a second scheduler's insert of the same tick conflicts and writes nothing.
  PRIMARY KEY (schedule_name, fire_at, manual)
);

-- Retention deletes the oldest ticks first (schedule-tick-prune.sql).
CREATE INDEX schedule_ticks_fire ON schedule_ticks (fire_at);
CREATE INDEX schedule_ticks_task ON schedule_ticks (task_id);
CREATE INDEX schedule_ticks_waiting ON schedule_ticks (schedule_name, waiting);
