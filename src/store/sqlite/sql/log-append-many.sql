-- log-append-many: ?1 now (ms), ?2 JSON array of [task id, lease token, attempt, level, message].
-- Lines whose lease is no longer current are dropped by the join; CROSS JOIN keeps json_each
-- the outer loop, so each task is found by its id.
INSERT INTO task_logs (task_id, attempt, level, message, at)
SELECT t.id, j.value->>2, j.value->>3, j.value->>4, ?1
FROM json_each(?2) AS j
CROSS JOIN tasks t ON t.id = j.value->>0 AND t.lease_token = j.value->>1
  AND +t.status = 'running'
ORDER BY j.key
RETURNING task_id
