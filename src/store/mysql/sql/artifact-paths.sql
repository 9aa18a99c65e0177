-- artifact-paths: ? JSON array of task ids. The files of their artifacts, for the caller to remove.
SELECT path FROM artifacts WHERE task_id IN (
  SELECT j.v FROM JSON_TABLE(?, '$[*]' COLUMNS (
    v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
  )) AS j
)
ORDER BY id
