-- stats-durations: $1 sample size. Durations (ms) of the newest finished executions: as the
-- worker measured them when it reported metrics, else from the execution's start and end.
SELECT coalesce((metrics->>'durationMs')::double precision, (finished_at - started_at)::double precision) AS duration
FROM executions
WHERE finished_at IS NOT NULL
ORDER BY finished_at DESC
LIMIT $1
