-- task-purge-select: ?1 status, ?2 finished before (ms) or NULL, ?3 keep newest (count) or NULL,
--   ?4 limit. Tasks in ?1 that finished before ?2, or that are beyond the newest ?3 (either rule
--   suffices; with neither, every task in ?1 qualifies). Oldest first.
SELECT id FROM tasks
WHERE status = ?1
  AND (
    (?2 IS NULL AND ?3 IS NULL)
    OR (?2 IS NOT NULL AND finished_at < ?2)
    OR (?3 IS NOT NULL AND id NOT IN (
      SELECT id FROM tasks WHERE status = ?1 ORDER BY finished_at DESC, id DESC LIMIT ?3
    ))
  )
ORDER BY finished_at, id
LIMIT ?4
