-- step-context: $1 run id, $2 text[] step names. The run (as one JSON object) and those steps'
-- own tasks, in one round trip: the worker reads this before each step it runs. No row when the
-- run does not exist. Only in the PostgreSQL adapter: SQLite reads the run (run-get) and the
-- steps (step-parents) apart, in its own process at no round-trip cost.
SELECT to_jsonb(r) AS run,
  (
    SELECT coalesce(
      jsonb_agg(jsonb_build_object('step', t.step, 'status', t.status, 'output', t.output)),
      '[]'::jsonb
    )
    FROM tasks t
    WHERE t.run_id = r.id AND t.step = ANY($2::text[]) AND t.map_index IS NULL
  ) AS parents
FROM pipeline_runs r
WHERE r.id = $1
