-- schedule-link-list: ? task ids (JSON array). The tick that made each task.
SELECT k.task_id, k.schedule_name, k.fire_at, k.backfill, k.manual
FROM schedule_ticks AS k
WHERE k.task_id IN (
  SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (
    id VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$')) AS j)
