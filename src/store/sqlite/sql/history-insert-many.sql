-- history-insert-many: ?1 now (ms), ?2 JSON array of entries, each
--   [task id, entry number (seq), from status, to status, reason, worker id].
INSERT INTO task_history (task_id, seq, from_status, to_status, at, reason, worker_id)
SELECT value->>0, value->>1, value->>2, value->>3, ?1, value->>4, value->>5 FROM json_each(?2)
ORDER BY key
