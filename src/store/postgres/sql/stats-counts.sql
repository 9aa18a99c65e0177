-- stats-counts: no parameters. Tasks by type and status.
SELECT type, status, count(*) AS count FROM tasks GROUP BY type, status ORDER BY type, status
