-- schedule-tick-insert-many: $1 schedule name, $2 fire times (bigint[]), $3 manual (boolean[]),
--   $4 task ids (text[], NULL items), $5 skipped (text[], NULL items), $6 backfill (boolean[]),
--   $7 waiting (boolean[]), $8 now (ms).
-- Every tick of a call in one statement. A tick recorded already is skipped (not returned): the
-- caller rolls back, since its task must not be made.
INSERT INTO schedule_ticks (
  schedule_name, fire_at, manual, task_id, skipped, backfill, waiting, created_at
)
SELECT $1, r.fire_at, r.manual, r.task_id, r.skipped, r.backfill, r.waiting, $8
FROM unnest($2::bigint[], $3::boolean[], $4::text[], $5::text[], $6::boolean[], $7::boolean[])
  AS r (fire_at, manual, task_id, skipped, backfill, waiting)
ON CONFLICT DO NOTHING
RETURNING fire_at
