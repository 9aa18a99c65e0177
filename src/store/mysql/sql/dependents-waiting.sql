-- dependents-waiting: ? JSON array of ids of tasks that just completed.
-- The pending tasks that wait on them, each with how many of those it waits on: the caller locks
-- them (task-lock-many) and counts them down (dependents-release). Read without locks: a row's
-- status is checked again under its lock.
-- Only in the MySQL adapter: the other adapters count down in one statement (RETURNING).
SELECT STRAIGHT_JOIN d.task_id AS id, count(*) AS n
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j
JOIN task_dependencies d ON d.depends_on = j.v
JOIN tasks t ON t.id = d.task_id AND t.status = 'pending'
GROUP BY d.task_id
ORDER BY d.task_id
