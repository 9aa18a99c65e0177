-- log-append-many: ? now (ms), ? JSON array of [task id, attempt, level, message].
-- Log lines of attempts whose lease the caller checked (lease-held-shared) in this transaction,
-- in the order given.
INSERT INTO task_logs (task_id, attempt, level, message, at)
SELECT j.task_id, j.attempt, j.level, j.message, ?
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  ord FOR ORDINALITY,
  task_id VARCHAR(255) PATH '$[0]',
  attempt INT PATH '$[1]',
  level VARCHAR(16) PATH '$[2]',
  message MEDIUMTEXT PATH '$[3]'
)) AS j
ORDER BY j.ord
