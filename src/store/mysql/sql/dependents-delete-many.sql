-- dependents-delete-many: ? JSON array of task ids. The dependency rows that name deleted tasks
-- as what others wait on, found by the primary key (depends_on first).
-- Only in the MySQL adapter: the others delete both sides in dependency-delete-many with an OR,
-- which MySQL cannot serve from one index without reading (and locking) more rows.
DELETE d FROM JSON_TABLE(?, '$[*]' COLUMNS (
  v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j
STRAIGHT_JOIN task_dependencies d ON d.depends_on = j.v
