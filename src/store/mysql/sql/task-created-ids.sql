-- task-created-ids: ? JSON array of task ids, ? now (ms).
-- After task-insert-many skipped some rows: which of the batch's tasks it wrote (created now).
-- Only in the MySQL adapter: PostgreSQL's insert returns its rows, SQLite counts per row.
SELECT t.id FROM tasks t
WHERE t.id IN (
  SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (
    id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
  )) AS j
)
  AND t.created_at = ?
