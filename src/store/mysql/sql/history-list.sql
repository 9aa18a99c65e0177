-- history-list: ? task id, six times (once per part below).
-- A task's history in order: the entries kept in task_history (cancel, retry, a dependency's
-- release…) and those read from the records of a submit (the task row), of each claim and
-- settlement (executions, and the attempt the task row holds), numbered by `seq`.
SELECT seq AS id, task_id, from_status, to_status, at, reason, worker_id FROM (
  SELECT 1 AS seq, t.id AS task_id, NULL AS from_status, t.submitted_as AS to_status,
    t.created_at AS at, 'submitted' AS reason, NULL AS worker_id
  FROM tasks t WHERE t.id = ? AND t.submitted_as IS NOT NULL
  UNION ALL
  SELECT h.seq, h.task_id, h.from_status, h.to_status, h.at, h.reason, h.worker_id
  FROM task_history h WHERE h.task_id = ?
  UNION ALL
  SELECT e.claim_seq, e.task_id, e.from_status, 'running', e.started_at, 'claimed', e.worker_id
  FROM executions e WHERE e.task_id = ? AND e.claim_seq IS NOT NULL
  UNION ALL
  SELECT e.claim_seq + 1, e.task_id, 'running', e.to_status, e.finished_at, e.reason,
    coalesce(e.settled_by, e.worker_id)
  FROM executions e WHERE e.task_id = ? AND e.claim_seq IS NOT NULL
  UNION ALL
  SELECT CASE WHEN t.status = 'running' THEN t.seq ELSE t.seq - 1 END, t.id, t.claimed_from,
    'running', t.started_at, 'claimed', t.worker_id
  FROM tasks t WHERE t.id = ? AND t.execution_id IS NOT NULL
  UNION ALL
  SELECT t.seq, t.id, 'running', t.status, t.finished_at, t.end_reason,
    coalesce(t.settled_by, t.worker_id)
  FROM tasks t WHERE t.id = ? AND t.execution_id IS NOT NULL AND t.status <> 'running'
) AS h
ORDER BY seq
