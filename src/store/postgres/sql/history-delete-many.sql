-- history-delete-many: $1 text[] of task ids.
DELETE FROM task_history WHERE task_id = ANY($1::text[])
