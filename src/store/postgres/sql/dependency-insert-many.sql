-- dependency-insert-many: $1 text[] task ids, $2 text[] the task each depends on (pairs, in
--   order).
INSERT INTO task_dependencies (task_id, depends_on)
SELECT * FROM unnest($1::text[], $2::text[])
ON CONFLICT DO NOTHING
