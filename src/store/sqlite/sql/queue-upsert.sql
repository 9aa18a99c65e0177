-- queue-upsert: ?1 name, ?2 paused 0/1 or NULL (keep), ?3 concurrency or NULL,
--   ?4 1 to set concurrency to ?3 (NULL: no limit), 0 to keep it, ?5 now (ms).
INSERT INTO queues (name, paused, concurrency, updated_at)
VALUES (?1, coalesce(?2, 0), CASE WHEN ?4 = 1 THEN ?3 ELSE NULL END, ?5)
ON CONFLICT (name) DO UPDATE SET
  paused = coalesce(?2, paused),
  concurrency = CASE WHEN ?4 = 1 THEN ?3 ELSE concurrency END,
  updated_at = ?5
