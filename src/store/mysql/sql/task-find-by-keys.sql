-- task-find-by-keys: ? JSON array of idempotency keys.
-- The tasks holding the keys a bulk insert skipped, with the fingerprint of their input.
SELECT id, idempotency_key, input_hash FROM tasks
WHERE idempotency_key IN (
  SELECT j.k FROM JSON_TABLE(?, '$[*]' COLUMNS (
    k VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
  )) AS j
)
