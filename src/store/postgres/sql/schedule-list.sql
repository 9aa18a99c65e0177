-- schedule-list: $1 names (text[]), or NULL for every schedule. By name.
SELECT * FROM schedules
WHERE $1::text[] IS NULL OR name = ANY ($1::text[])
ORDER BY name
