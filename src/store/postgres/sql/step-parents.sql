-- step-parents: $1 run id, $2 text[] step names. Those steps' own tasks.
SELECT step, status, output
FROM tasks
WHERE run_id = $1 AND step = ANY($2::text[]) AND map_index IS NULL
