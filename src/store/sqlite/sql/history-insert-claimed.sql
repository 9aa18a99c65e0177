-- history-insert-claimed: ?1 now (ms), ?2 worker id, ?3 JSON array of claims, each
--   [task id, lease token, execution id, previous status] as for claim-update.
-- Only in the SQLite adapter: PostgreSQL records claims inside claim-tasks.
INSERT INTO task_history (task_id, from_status, to_status, at, reason, worker_id)
SELECT value->>0, value->>3, 'running', ?1, 'claimed', ?2 FROM json_each(?3)
