-- task-delete-many: ?1 JSON array of task ids.
DELETE FROM tasks WHERE id IN (SELECT value FROM json_each(?1))
