-- run-list: $1 pipeline or null, $2 status or null, $3 batch id or null, $4 cursor (the last id
--   of the previous page) or null, $5 limit.
-- Newest first (run ids are time-ordered).
SELECT * FROM pipeline_runs
WHERE ($1::text IS NULL OR pipeline = $1)
  AND ($2::text IS NULL OR status = $2)
  AND ($3::text IS NULL OR batch_id = $3)
  AND ($4::text IS NULL OR id < $4)
ORDER BY id DESC
LIMIT $5
