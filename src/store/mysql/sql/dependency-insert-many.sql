-- dependency-insert-many: ? JSON array of [task id, depends-on id] pairs.
-- Records which task waits on which; a pair already recorded is kept as it is (IGNORE: the
-- primary key is the only constraint).
INSERT IGNORE INTO task_dependencies (task_id, depends_on)
SELECT j.task_id, j.depends_on
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  task_id VARCHAR(255) PATH '$[0]',
  depends_on VARCHAR(255) PATH '$[1]'
)) AS j
