-- dependency-delete-many: ?1 JSON array of task ids. Their dependencies, and those on them.
DELETE FROM task_dependencies
WHERE task_id IN (SELECT value FROM json_each(?1)) OR depends_on IN (SELECT value FROM json_each(?1))
