-- schedule-fire-lock: ? schedule name. The first read of scheduleFire: the cursor, whether it is
-- enabled, its overlap policy. The schedule's row is locked until the transaction ends: a
-- second scheduler firing the same schedule waits here, then reads the cursor the first one
-- moved, and writes nothing. Only in the MySQL adapter: PostgreSQL reads this and
-- schedule-fire-state in one statement; here the ticks are read by a statement of their own
-- that starts after the lock is granted (READ COMMITTED: a fresh snapshot), so it sees the
-- ticks of the firing that held the lock before.
SELECT cursor_at, enabled, overlap FROM schedules WHERE name = ? FOR UPDATE
