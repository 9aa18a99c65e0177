-- run-leaf-outputs: ?1 JSON array of run ids, ?2 JSON array of step names.
SELECT run_id, step, output
FROM tasks
WHERE run_id IN (SELECT value FROM json_each(?1))
  AND step IN (SELECT value FROM json_each(?2))
  AND map_index IS NULL
