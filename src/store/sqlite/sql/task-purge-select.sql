-- task-purge-select: ?1 status, ?2 finished before (ms) or NULL, ?3 keep newest (count) or NULL,
--   ?4 limit. Finished tasks in ?1 that finished before ?2, or that are beyond the newest ?3
--   (either rule suffices; with neither, every finished task in ?1 qualifies). Oldest first.
-- Unfinished tasks (running, queued…) have no finished_at and are never purged, nor are the
-- finished steps of a pipeline run that has not ended: the steps after them read their outputs.
SELECT id FROM tasks
WHERE status = ?1
  AND finished_at IS NOT NULL
  AND (run_id IS NULL OR NOT EXISTS (
    SELECT 1 FROM pipeline_runs r WHERE r.id = tasks.run_id AND r.ended_at IS NULL
  ))
  AND (
    (?2 IS NULL AND ?3 IS NULL)
    OR (?2 IS NOT NULL AND finished_at < ?2)
    OR (?3 IS NOT NULL AND id NOT IN (
      SELECT id FROM tasks WHERE status = ?1 AND finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC LIMIT ?3
    ))
  )
ORDER BY finished_at, id
LIMIT ?4
