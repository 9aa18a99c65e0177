-- run-release-held: ?1 now (ms), ?2 run id, ?3 map step or null (any step), ?4 how many.
-- Held tasks whose dependencies have completed take the free places, in step order then item
-- order. Returns each with its entry number: the caller writes the history.
UPDATE tasks SET status = 'queued', held = 0, run_at = ?1, updated_at = ?1, seq = seq + 1
WHERE id IN (
  SELECT id FROM tasks
  WHERE run_id = ?2 AND status = 'pending' AND held = 1 AND waiting_on = 0
    AND (?3 IS NULL OR step = ?3)
  ORDER BY step_order, map_index
  LIMIT ?4
)
RETURNING id, seq
