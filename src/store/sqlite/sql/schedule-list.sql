-- schedule-list: ?1 names as a JSON array of text, or NULL for every schedule. By name.
SELECT * FROM schedules
WHERE ?1 IS NULL OR name IN (SELECT value FROM json_each(?1))
ORDER BY name
