-- artifact-paths: ?1 JSON array of task ids.
SELECT path FROM artifacts WHERE task_id IN (SELECT value FROM json_each(?1)) ORDER BY id
