-- task-set-status: ?1 task id, ?2 now (ms), ?3 the new status (paused or queued), ?4 the status
--   the caller read and checked against the transition table.
-- An operator's pause or resume (src/store/task-change-contract.ts), written only if the task is
-- still in ?4. The run-at is kept: a resumed task whose run-at is ahead still waits for it. One
-- more history entry (the caller writes it with the returned seq).
UPDATE tasks SET status = ?3, updated_at = ?2, seq = seq + 1
WHERE id = ?1 AND status = ?4
RETURNING *
