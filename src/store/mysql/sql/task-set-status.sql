-- task-set-status: ? the new status (paused or queued), ? now (ms), ? task id, ? the status the
--   caller read and checked against the transition table.
-- An operator's pause or resume (src/store/task-change-contract.ts), written only if the task is
-- still in that status. The run-at is kept: a resumed task whose run-at is ahead still waits for
-- it. One more history entry (the caller reads the row back and writes it).
UPDATE tasks SET status = ?, updated_at = ?, seq = seq + 1
WHERE id = ? AND status = ?
