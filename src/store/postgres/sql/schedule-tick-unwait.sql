-- schedule-tick-unwait: $1 schedule name. A schedule disabled gives up the tick waiting for its
-- previous run: it is recorded skipped ('overlap'), so no task comes of it after a later enable.
UPDATE schedule_ticks SET waiting = false, skipped = 'overlap'
WHERE schedule_name = $1 AND waiting
