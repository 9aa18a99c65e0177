-- dependents-add: $1 text[] ids of stored tasks that new tasks depend on, $2 integer[] how many
--   new tasks depend on each.
-- Locks them (a settlement of one waits until the insert commits, then finds its new
-- dependents) and counts the new dependents; returns each found with its status.
UPDATE tasks t SET dependents = t.dependents + d.n
FROM unnest($1::text[], $2::integer[]) AS d(id, n)
WHERE t.id = d.id
RETURNING t.id, t.status
