-- log-delete-many: $1 text[] of task ids.
DELETE FROM task_logs WHERE task_id = ANY($1::text[])
