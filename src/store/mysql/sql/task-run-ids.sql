-- task-run-ids: ? JSON array of task ids. The pipeline runs those tasks belong to, each once.
SELECT DISTINCT run_id FROM tasks
WHERE id IN (
  SELECT j.v FROM JSON_TABLE(?, '$[*]' COLUMNS (
    v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
  )) AS j
)
  AND run_id IS NOT NULL
