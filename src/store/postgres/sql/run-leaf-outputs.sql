-- run-leaf-outputs: $1 text[] run ids, $2 text[] step names.
SELECT run_id, step, output
FROM tasks
WHERE run_id = ANY($1::text[]) AND step = ANY($2::text[]) AND map_index IS NULL
