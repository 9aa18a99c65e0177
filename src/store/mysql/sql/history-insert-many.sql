-- history-insert-many: ? now (ms), ? JSON array of entries, each [task id, seq, from status,
--   to status, reason, worker id].
-- History entries of the transitions that have no record of their own (cancel, retry, a
-- dependency's release or ending), in the order given.
INSERT INTO task_history (task_id, seq, from_status, to_status, at, reason, worker_id)
SELECT j.task_id, j.seq, j.from_status, j.to_status, ?, j.reason, j.worker_id
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  ord FOR ORDINALITY,
  task_id VARCHAR(255) PATH '$[0]',
  seq INT PATH '$[1]',
  from_status VARCHAR(32) PATH '$[2]',
  to_status VARCHAR(32) PATH '$[3]',
  reason TEXT PATH '$[4]',
  worker_id VARCHAR(255) PATH '$[5]'
)) AS j
ORDER BY j.ord
