-- queue-limits: no parameters. Queues that are paused or limited, with how many of their tasks
-- run now across every worker (from the index of running tasks). Read after queue-lock-limited,
-- in the claim's transaction: a limited queue's count is then the lock holder's alone to change.
SELECT q.name, q.paused, q.concurrency,
  (SELECT count(*) FROM tasks t WHERE t.status = 'running' AND t.queue = q.name) AS running
FROM queues q
WHERE q.paused OR q.concurrency IS NOT NULL
