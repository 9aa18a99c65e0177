-- stats-counts: no parameters. Tasks by type, queue and status.
SELECT type, queue, status, count(*) AS count FROM tasks
GROUP BY type, queue, status
ORDER BY type, queue, status
