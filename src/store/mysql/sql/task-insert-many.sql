-- task-insert-many: ? now (ms, created_at), ? now again (updated_at), ? JSON array of tasks, each
--   an array [id, type, queue, priority, status, input (JSON text), max_attempts, run_at,
--   idempotency_key, input_hash, waiting_on, dependents, soft_timeout_ms, hard_timeout_ms, run_id,
--   step, map_index, step_order, held 0/1, name].
-- Every task of a batch in one statement, expanded with JSON_TABLE (never SQL built from values).
-- The first history entry is read from the row (submitted_as), so none is written. A task whose
-- id or idempotency key is taken is skipped (IGNORE: duplicate keys only can arise here, every
-- value is checked before); the caller compares the rows written with the batch and resolves
-- the skipped ones (task-created-ids, task-find-by-keys).
INSERT IGNORE INTO tasks (
  id, type, queue, priority, status, input, attempt, max_attempts,
  idempotency_key, input_hash, run_at, created_at, updated_at, seq, submitted_as, waiting_on,
  dependents, soft_timeout_ms, hard_timeout_ms, run_id, step, map_index, step_order, held, name
)
SELECT j.id, j.type, j.queue, j.priority, j.status, j.input, 0, j.max_attempts,
  j.idempotency_key, j.input_hash, j.run_at, ?, ?, 1, j.status, j.waiting_on,
  j.dependents, j.soft_timeout_ms, j.hard_timeout_ms, j.run_id, j.step, j.map_index, j.step_order,
  j.held, j.name
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  ord FOR ORDINALITY,
  id VARCHAR(255) PATH '$[0]',
  type VARCHAR(255) PATH '$[1]',
  queue VARCHAR(255) PATH '$[2]',
  priority SMALLINT PATH '$[3]',
  status VARCHAR(32) PATH '$[4]',
  input LONGTEXT PATH '$[5]',
  max_attempts INT PATH '$[6]',
  run_at BIGINT PATH '$[7]',
  idempotency_key VARCHAR(255) PATH '$[8]',
  input_hash VARCHAR(255) PATH '$[9]',
  waiting_on INT PATH '$[10]',
  dependents INT PATH '$[11]',
  soft_timeout_ms INT PATH '$[12]',
  hard_timeout_ms INT PATH '$[13]',
  run_id VARCHAR(255) PATH '$[14]',
  step VARCHAR(255) PATH '$[15]',
  map_index INT PATH '$[16]',
  step_order INT PATH '$[17]',
  held TINYINT PATH '$[18]',
  name TEXT PATH '$[19]'
)) AS j
ORDER BY j.ord
