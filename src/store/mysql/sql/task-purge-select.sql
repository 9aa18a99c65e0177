-- task-purge-select: ? status, ? keep newest (count, 0 when not given), ? status again,
--   ? finished before (ms) or NULL, ? keep newest or NULL, ? finished before twice more, ? keep
--   newest or NULL again, ? limit.
-- Finished tasks in the status that finished before the time, or that are beyond the newest
-- `keep` (either rule suffices; with neither, every finished task in the status qualifies).
-- Oldest first. Unfinished tasks have no finished_at and are never purged, nor are the finished
-- steps of a pipeline run that has not ended: the steps after them read their outputs. The
-- newest are read in a derived table (MySQL refuses LIMIT inside IN (subquery)).
SELECT t.id FROM tasks t
LEFT JOIN (
  SELECT k.id FROM (
    SELECT n.id FROM tasks n
    WHERE n.status = ? AND n.finished_at IS NOT NULL
    ORDER BY n.finished_at DESC, n.id DESC
    LIMIT ?
  ) AS k
) AS newest ON newest.id = t.id
WHERE t.status = ?
  AND t.finished_at IS NOT NULL
  AND (t.run_id IS NULL OR NOT EXISTS (
    SELECT 1 FROM pipeline_runs r WHERE r.id = t.run_id AND r.ended_at IS NULL
  ))
  AND (
    (? IS NULL AND ? IS NULL)
    OR (? IS NOT NULL AND t.finished_at < ?)
    OR (? IS NOT NULL AND newest.id IS NULL)
  )
ORDER BY t.finished_at, t.id
LIMIT ?
