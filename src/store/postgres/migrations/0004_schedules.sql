-- Cron schedules (issue 15): the schedules themselves, and one row per tick handled (fired,
-- skipped, or waiting behind an unfinished run). Tasks get no new column: a task's schedule is
-- read by joining schedule_ticks on task_id. No partial index, so a later MySQL adapter can have
-- the same shape.

CREATE TABLE schedules (
  name text COLLATE "C" PRIMARY KEY,
  cron text NOT NULL,
  timezone text NOT NULL,
  task_type text COLLATE "C" NOT NULL,
  input jsonb NOT NULL,
  priority smallint NOT NULL,
  queue text COLLATE "C" NOT NULL,
  max_attempts integer,
  timeout jsonb,
  enabled boolean NOT NULL,
  description text,
  overlap text COLLATE "C" NOT NULL,
  catch_up text COLLATE "C" NOT NULL,
  catch_up_window_ms bigint NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  -- The newest fire time handled (fired or skipped); only ever moves forward.
  cursor_at bigint NOT NULL,
  -- The first fire time after cursor_at, computed by the application (or earlier: a pass that
  -- finds it early sets it right); NULL when none comes.
  next_at bigint
);

-- A scheduler pass reads the enabled schedules whose next tick is due.
CREATE INDEX schedules_due ON schedules (enabled, next_at);

CREATE TABLE schedule_ticks (
  schedule_name text COLLATE "C" NOT NULL,
  fire_at bigint NOT NULL,
  -- true for run now: its fire_at is when it was asked, and may equal an expression tick's.
  manual boolean NOT NULL DEFAULT false,
  task_id text COLLATE "C",
  -- NULL when it made a task (or waits to); 'overlap' or 'catch_up' when it made none.
  skipped text COLLATE "C",
  backfill boolean NOT NULL DEFAULT false,
  -- true while it waits for the previous run to finish (overlap policy `queue`).
  waiting boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL,
  -- Exactly once: a second scheduler's insert of the same tick conflicts and writes nothing.
  PRIMARY KEY (schedule_name, fire_at, manual)
);

-- Retention deletes the oldest ticks first (schedule-tick-prune.sql).
CREATE INDEX schedule_ticks_fire ON schedule_ticks (fire_at);
CREATE INDEX schedule_ticks_task ON schedule_ticks (task_id);
CREATE INDEX schedule_ticks_waiting ON schedule_ticks (schedule_name, waiting);
