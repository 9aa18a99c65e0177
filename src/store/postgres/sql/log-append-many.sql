-- log-append-many: $1 now (ms), $2 text[] task ids, $3 text[] lease tokens, $4 int[] attempts,
--   $5 text[] levels, $6 text[] messages; line i is element i of each array.
-- Lines whose lease is no longer current are dropped by the join.
INSERT INTO task_logs (task_id, attempt, level, message, at)
SELECT t.id, l.attempt, l.level, l.message, $1
FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[])
  WITH ORDINALITY AS l(task_id, token, attempt, level, message, ord)
JOIN tasks t ON t.id = l.task_id AND t.lease_token = l.token AND t.status = 'running'
ORDER BY l.ord
RETURNING task_id
