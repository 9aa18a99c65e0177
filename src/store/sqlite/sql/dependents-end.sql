-- dependents-end: ?1 now (ms), ?2 JSON array of [task id, status to end in, history reason,
--   error].
-- The follow-up `end-dependents` (src/core/follow-ups.ts) for pending tasks found by
-- dependents-pending: each ends with its error. Returns each with its entry number (seq): the
-- caller writes the history entries (SQLite has no INSERT inside a WITH).
UPDATE tasks SET
  status = j.value->>1,
  error = j.value->3,
  finished_at = ?1,
  waiting_on = 0,
  seq = tasks.seq + 1,
  updated_at = ?1
FROM json_each(?2) AS j
WHERE tasks.id = j.value->>0 AND tasks.status = 'pending'
RETURNING tasks.id, tasks.seq, tasks.status
