-- task-find-by-keys: ?1 JSON array of idempotency keys. The tasks that hold them.
SELECT id, idempotency_key, input_hash FROM tasks
WHERE idempotency_key IN (SELECT value FROM json_each(?1))
