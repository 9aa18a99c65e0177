-- schedule-list: ? names (JSON array) or NULL for every schedule, ? the same again. By name.
SELECT * FROM schedules
WHERE ? IS NULL OR name IN (
  SELECT j.name FROM JSON_TABLE(COALESCE(?, '[]'), '$[*]' COLUMNS (
    name VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$')) AS j)
ORDER BY name
