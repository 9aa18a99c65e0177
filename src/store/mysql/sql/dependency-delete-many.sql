-- dependency-delete-many: ? JSON array of task ids. The dependency rows of deleted tasks (what
-- they waited on), found by task_dependencies_task; dependents-delete-many removes the other
-- side. Driven by the ids (STRAIGHT_JOIN), not by a scan of the whole table, which MySQL would
-- lock row by row.
DELETE d FROM JSON_TABLE(?, '$[*]' COLUMNS (
  v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j
STRAIGHT_JOIN task_dependencies d ON d.task_id = j.v
