-- task-run-ids: ?1 JSON array of task ids. The pipeline runs those tasks belong to, each once.
SELECT DISTINCT run_id FROM tasks
WHERE id IN (SELECT value FROM json_each(?1)) AND run_id IS NOT NULL
