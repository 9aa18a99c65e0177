-- task-delete-many: $1 text[] of task ids.
DELETE FROM tasks WHERE id = ANY($1::text[])
