-- task-purge-select: $1 status, $2 finished before (ms) or NULL, $3 keep newest (count) or NULL,
--   $4 limit. Finished tasks in $1 that finished before $2, or that are beyond the newest $3
--   (either rule suffices; with neither, every finished task in $1 qualifies). Oldest first.
-- Unfinished tasks (running, queued…) have no finished_at and are never purged, nor are the
-- finished steps of a pipeline run that has not ended: the steps after them read their outputs.
SELECT id FROM tasks
WHERE status = $1
  AND finished_at IS NOT NULL
  AND (run_id IS NULL OR NOT EXISTS (
    SELECT 1 FROM pipeline_runs r WHERE r.id = tasks.run_id AND r.ended_at IS NULL
  ))
  AND (
    ($2::bigint IS NULL AND $3::integer IS NULL)
    OR ($2::bigint IS NOT NULL AND finished_at < $2::bigint)
    OR ($3::integer IS NOT NULL AND id NOT IN (
      SELECT k.id FROM tasks k WHERE k.status = $1 AND k.finished_at IS NOT NULL
      ORDER BY k.finished_at DESC, k.id DESC LIMIT $3::integer
    ))
  )
ORDER BY finished_at, id
LIMIT $4
