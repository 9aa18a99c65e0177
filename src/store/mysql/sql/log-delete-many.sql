-- log-delete-many: ? JSON array of task ids. Rows of task_logs that belong to deleted tasks.
-- A multi-table DELETE driven by the ids (STRAIGHT_JOIN), so rows are found by the task_id index:
-- MySQL runs `DELETE … WHERE task_id IN (subquery)` as a scan of the whole table, locking it.
DELETE x FROM JSON_TABLE(?, '$[*]' COLUMNS (
  v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j
STRAIGHT_JOIN task_logs x ON x.task_id = j.v
