-- task-set-status: $1 task id, $2 now (ms), $3 the new status (paused or queued), $4 the status
--   the caller read (under its row lock) and checked against the transition table.
-- An operator's pause or resume (src/store/task-change-contract.ts). The run-at is kept: a
-- resumed task whose run-at is ahead still waits for it. One more history entry (the caller
-- writes it with the returned seq). Wakes the listeners at commit when a resumed task is ready.
WITH changed AS (
  UPDATE tasks SET status = $3::text, updated_at = $2, seq = seq + 1
  WHERE id = $1 AND status = $4::text
  RETURNING *
)
SELECT changed.*,
  CASE WHEN status = 'queued' AND run_at <= $2
    THEN pg_notify(current_schema() || '_wakeup', '') END AS woken
FROM changed
