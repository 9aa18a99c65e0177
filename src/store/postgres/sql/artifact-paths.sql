-- artifact-paths: $1 text[] of task ids.
SELECT path FROM artifacts WHERE task_id = ANY($1::text[]) ORDER BY id
