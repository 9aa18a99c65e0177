-- run-leaf-outputs: ? run ids (JSON array), ? step names (JSON array).
SELECT run_id, step, output
FROM tasks
WHERE run_id IN (
    SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (
      id VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$')) AS j)
  AND step IN (
    SELECT j.step FROM JSON_TABLE(?, '$[*]' COLUMNS (
      step VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$')) AS j)
  AND map_index IS NULL
