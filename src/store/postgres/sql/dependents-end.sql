-- dependents-end: $1 now (ms), $2 text[] task ids, $3 text[] statuses to end in, $4 text[]
--   history reasons, $5 jsonb array of errors (one per task, in order).
-- The follow-up `end-dependents` (src/core/follow-ups.ts) for pending tasks found (and locked)
-- by dependents-pending: each ends with its error and a history entry.
WITH items AS (
  SELECT * FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS i(id, "to", reason, ord)
),
ended AS (
  UPDATE tasks t SET
    status = i."to",
    error = ($5::jsonb)->(i.ord::integer - 1),
    finished_at = $1,
    waiting_on = 0,
    seq = t.seq + 1,
    updated_at = $1
  FROM items i
  WHERE t.id = i.id AND t.status = 'pending'
  RETURNING t.id, t.seq, i."to", i.reason
)
INSERT INTO task_history (task_id, seq, from_status, to_status, at, reason, worker_id)
SELECT id, seq, 'pending', "to", $1, reason, NULL FROM ended
RETURNING task_id AS id
