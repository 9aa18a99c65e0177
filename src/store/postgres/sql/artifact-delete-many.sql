-- artifact-delete-many: $1 text[] of task ids.
DELETE FROM artifacts WHERE task_id = ANY($1::text[])
