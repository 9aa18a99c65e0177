-- stats-finished-since: $1 since (ms). Executions that finished at or after $1, by outcome.
SELECT outcome, count(*) AS count FROM executions
WHERE finished_at >= $1
GROUP BY outcome
