-- schedule-tick-insert-many: ?1 schedule name, ?2 fire time (ms), ?3 manual 0/1, ?4 task id or
--   NULL, ?5 skipped ('overlap', 'catch_up',
--   'invalid') or NULL, ?6 backfill 0/1, ?7 waiting 0/1, ?8 now.
-- One tick: run once per row, in the caller's write transaction (as task-insert-many). A tick
-- recorded already is skipped (no change): the caller rolls back, since its task must not be made.
INSERT INTO schedule_ticks (
  schedule_name, fire_at, manual, task_id, skipped, backfill, waiting, created_at
)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT DO NOTHING
