-- schedule-tick-unwait: ? schedule name. A schedule disabled gives up the tick waiting for its
-- previous run: it is recorded skipped ('overlap'), so no task comes of it after a later enable.
UPDATE schedule_ticks SET waiting = 0, skipped = 'overlap'
WHERE schedule_name = ? AND waiting
