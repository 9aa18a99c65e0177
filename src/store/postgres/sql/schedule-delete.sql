-- schedule-delete: $1 name. Its ticks go with schedule-ticks-delete.sql, in the same transaction.
DELETE FROM schedules WHERE name = $1 RETURNING name
