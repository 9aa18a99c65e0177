-- run-list: ? pipeline or NULL, the same again, ? status or NULL, the same again, ? batch id or
--   NULL, the same again, ? cursor (the last id of the previous page) or NULL, the same again,
--   ? limit.
-- Newest first (run ids are time-ordered).
SELECT * FROM pipeline_runs
WHERE (? IS NULL OR pipeline = ?)
  AND (? IS NULL OR status = ?)
  AND (? IS NULL OR batch_id = ?)
  AND (? IS NULL OR id < ?)
ORDER BY id DESC
LIMIT ?
