-- execution-insert-ended: ?1 now (ms), ?2 JSON array of settlements as for settle-update, ?3
--   worker id (who settles).
-- Runs just before settle-update, in its transaction: the attempts that end without ending their
-- task (terminal 0) and whose lease still holds are written to executions once, whole, from the
-- task row (attempt, worker, start, the status it was claimed from) and the settlement.
-- Only in the SQLite adapter: PostgreSQL's settle-claim does this inside its one statement,
-- from the row values it locked.
INSERT INTO executions (
  id, task_id, attempt, worker_id, started_at, finished_at, outcome, error, metrics,
  from_status, to_status, reason, settled_by, claim_seq
)
SELECT t.execution_id, t.id, t.attempt, t.worker_id, t.started_at, ?1, j.value->>10,
  nullif(j.value->13, 'null'), nullif(j.value->12, 'null'), t.claimed_from, j.value->>2,
  j.value->>11, CASE WHEN t.worker_id IS NOT ?3 THEN ?3 END, t.seq
FROM json_each(?2) AS j
CROSS JOIN tasks t ON t.id = j.value->>0
WHERE j.value->>9 = 0
  AND t.execution_id IS NOT NULL
  AND t.lease_token = j.value->>1
  AND +t.status = 'running'
  AND (j.value->>8 = 0 OR t.lease_expires_at <= ?1)
