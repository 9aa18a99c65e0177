-- dependency-insert-many: ?1 JSON array of [task id, the task it depends on].
INSERT INTO task_dependencies (task_id, depends_on)
SELECT value->>0, value->>1 FROM json_each(?1)
WHERE true
ON CONFLICT DO NOTHING
