-- queue-counts: no parameters. Tasks by queue and status, including queues without settings.
SELECT queue, status, count(*) AS count FROM tasks GROUP BY queue, status
