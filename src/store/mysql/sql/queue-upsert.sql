-- queue-upsert: ? name, ? paused 0/1 or NULL (keep), ? 1 to set the concurrency to the next
--   parameter (NULL: no limit), 0 to keep it, ? concurrency or NULL, ? now (ms), then ? paused,
--   ? 1 to set the concurrency, ? concurrency again for an existing queue.
INSERT INTO queues (name, paused, concurrency, updated_at)
VALUES (?, coalesce(?, FALSE), IF(? = 1, ?, NULL), ?)
ON DUPLICATE KEY UPDATE
  paused = coalesce(?, paused),
  concurrency = IF(? = 1, ?, concurrency),
  updated_at = VALUES(updated_at)
