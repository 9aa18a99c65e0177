-- dependency-delete-many: $1 text[] of task ids. Their dependencies, and those on them.
DELETE FROM task_dependencies WHERE task_id = ANY($1::text[]) OR depends_on = ANY($1::text[])
