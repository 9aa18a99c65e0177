-- schedule-ticks-delete: ? schedule name. The tasks the ticks made stay.
DELETE FROM schedule_ticks WHERE schedule_name = ?
