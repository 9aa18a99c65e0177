-- log-delete-many: ?1 JSON array of task ids.
DELETE FROM task_logs WHERE task_id IN (SELECT value FROM json_each(?1))
