-- history-insert-many: ?1 now (ms), ?2 JSON array of entries, each
--   [task id, from status, to status, reason, worker id].
INSERT INTO task_history (task_id, from_status, to_status, at, reason, worker_id)
SELECT value->>0, value->>1, value->>2, ?1, value->>3, value->>4 FROM json_each(?2)
ORDER BY key
