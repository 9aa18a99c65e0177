-- queue-limits: no parameters. Queues that are paused or limited, with how many of their tasks
-- run now across every worker (read from the covering index of running tasks).
-- Only in the SQLite adapter: PostgreSQL reads room per limited queue inside claim-tasks,
-- after queue-lock-limited took the queues' advisory locks.
SELECT
  q.name,
  q.paused,
  q.concurrency,
  (SELECT count(*) FROM tasks t INDEXED BY tasks_running WHERE t.status = 'running' AND t.queue = q.name) AS running
FROM queues q
WHERE q.paused = 1 OR q.concurrency IS NOT NULL
