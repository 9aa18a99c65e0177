-- worker-running-count: ?1 worker id.
-- How many tasks run under this worker now: a claim with a capacity takes at most the rest. Read
-- in the claim's write transaction (BEGIN IMMEDIATE), so no other claim lands in between.
SELECT count(*) AS running FROM tasks WHERE status = 'running' AND worker_id = ?1
