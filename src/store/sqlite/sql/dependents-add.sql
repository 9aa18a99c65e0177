-- dependents-add: ?1 JSON array of [id of a stored task that new tasks depend on, how many new
--   tasks depend on it].
-- Counts the new dependents on each (under the insert's write lock); returns each found with its
-- status.
UPDATE tasks SET dependents = tasks.dependents + (j.value->>1)
FROM json_each(?1) AS j
WHERE tasks.id = j.value->>0
RETURNING tasks.id, tasks.status
