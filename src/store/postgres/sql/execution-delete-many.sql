-- execution-delete-many: $1 text[] of task ids.
DELETE FROM executions WHERE task_id = ANY($1::text[])
