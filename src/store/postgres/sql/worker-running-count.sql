-- worker-running-count: $1 worker id.
-- How many tasks run under this worker now: a claim with a capacity takes at most the rest.
-- Read after worker-lock in the claim's transaction, as a statement of its own, so its snapshot
-- sees the claims of whoever held the lock before.
SELECT count(*)::int AS running FROM tasks WHERE status = 'running' AND worker_id = $1
