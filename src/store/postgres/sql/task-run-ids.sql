-- task-run-ids: $1 text[] task ids. The pipeline runs those tasks belong to, each once.
SELECT DISTINCT run_id FROM tasks WHERE id = ANY($1::text[]) AND run_id IS NOT NULL
