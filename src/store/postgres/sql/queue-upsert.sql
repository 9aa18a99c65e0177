-- queue-upsert: $1 name, $2 paused or NULL (keep), $3 concurrency or NULL,
--   $4 true to set concurrency to $3 (NULL: no limit), false to keep it, $5 now (ms).
-- A queue resumed, or given more room, may hold work that is ready now: wake the listeners
-- (NOTIFY is sent at commit, so a rolled-back change wakes nobody).
WITH upserted AS (
  INSERT INTO queues (name, paused, concurrency, updated_at)
  VALUES ($1, coalesce($2::boolean, false), CASE WHEN $4::boolean THEN $3::integer END, $5)
  ON CONFLICT (name) DO UPDATE SET
    paused = coalesce($2::boolean, queues.paused),
    concurrency = CASE WHEN $4::boolean THEN $3::integer ELSE queues.concurrency END,
    updated_at = $5
  RETURNING paused
)
SELECT pg_notify(current_schema() || '_wakeup', '') FROM upserted
WHERE NOT upserted.paused AND ($2::boolean IS NOT NULL OR $4::boolean)
