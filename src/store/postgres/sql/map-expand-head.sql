-- map-expand-head: $1 now (ms), $2 task id, $3 lease token, $4 how many items it waits on, $5
--   history reason.
-- A running map step that fanned out waits (pending) for its items, with its history entry; the
-- attempt that fanned it out is given back, so the attempt that gathers the items is its first.
-- The caller holds the run's lock.
WITH head AS (
  UPDATE tasks SET
    status = 'pending',
    waiting_on = $4,
    attempt = attempt - 1,
    started_at = NULL,
    lease_token = NULL,
    lease_expires_at = NULL,
    execution_id = NULL,
    worker_id = NULL,
    claimed_from = NULL,
    updated_at = $1,
    seq = seq + 1
  WHERE id = $2 AND lease_token = $3 AND status = 'running'
  RETURNING id, seq
),
recorded AS (
  INSERT INTO task_history (task_id, seq, from_status, to_status, at, reason, worker_id)
  SELECT id, seq, 'running', 'pending', $1, $5, NULL FROM head
)
SELECT id, seq FROM head
