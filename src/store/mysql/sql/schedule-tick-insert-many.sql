-- schedule-tick-insert-many: ? schedule name, ? now (ms), ? the ticks (JSON array of objects
--   { fire_at, manual 0/1, task_id, skipped, backfill 0/1, waiting 0/1 }; a key left out is NULL).
-- Every tick of a call in one statement. A tick recorded already is not inserted (fewer affected
-- rows than ticks): the caller rolls back, since its task must not be made. IGNORE only ever
-- meets the duplicate key here: the values come from the scheduler's own plan.
INSERT IGNORE INTO schedule_ticks (
  schedule_name, fire_at, manual, task_id, skipped, backfill, waiting, created_at
)
SELECT ?, r.fire_at, r.manual, r.task_id, r.skipped, r.backfill, r.waiting, ?
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  fire_at BIGINT PATH '$.fire_at',
  manual TINYINT PATH '$.manual',
  task_id VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$.task_id',
  skipped VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$.skipped',
  backfill TINYINT PATH '$.backfill',
  waiting TINYINT PATH '$.waiting')) AS r
