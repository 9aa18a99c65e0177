-- execution-insert-many: ?1 JSON array of claims, each [task id, …] as for claim-update.
-- CROSS JOIN fixes json_each as the outer loop, so each task is found by its id.
-- Opens one execution per claimed task from the attempt, worker and start just written on it.
-- Only in the SQLite adapter: PostgreSQL opens executions inside claim-tasks.
INSERT INTO executions (id, task_id, attempt, worker_id, started_at)
SELECT t.execution_id, t.id, t.attempt, t.worker_id, t.started_at
FROM json_each(?1) AS j
CROSS JOIN tasks t ON t.id = j.value->>0
WHERE +t.status = 'running'
