-- task-find-by-keys: $1 text[] of idempotency keys. The tasks that hold them.
SELECT id, idempotency_key, input_hash FROM tasks WHERE idempotency_key = ANY($1::text[])
