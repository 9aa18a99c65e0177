-- step-parents: ? run id, ? step names (JSON array). Those steps' own tasks.
-- As SQLite's: PostgreSQL reads them with the run in one round trip (step-context), building
-- the run as JSON, which MySQL and MariaDB would not read alike.
SELECT step, status, output
FROM tasks
WHERE run_id = ? AND map_index IS NULL
  AND step IN (
    SELECT j.step FROM JSON_TABLE(?, '$[*]' COLUMNS (
      step VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$')) AS j)
