-- schedule-delete: ? name. Its ticks go with schedule-ticks-delete.sql, in the same transaction;
-- 0 affected rows: there was none.
DELETE FROM schedules WHERE name = ?
