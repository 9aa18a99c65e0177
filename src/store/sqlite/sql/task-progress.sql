-- task-progress: ?1 now (ms), ?2 JSON array of [task id, lease token, percent, message or null].
-- The unary + keeps the planner on the id index rather than a status scan.
UPDATE tasks SET progress = j.value->>2, progress_message = j.value->>3, updated_at = ?1
FROM json_each(?2) AS j
WHERE tasks.id = j.value->>0 AND tasks.lease_token = j.value->>1 AND +tasks.status = 'running'
RETURNING tasks.id
