-- schedule-ticks-delete: $1 schedule name. The tasks the ticks made stay.
DELETE FROM schedule_ticks WHERE schedule_name = $1
