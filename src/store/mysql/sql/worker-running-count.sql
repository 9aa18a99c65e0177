-- worker-running-count: ? worker id.
-- How many tasks run under this worker now: a claim with a capacity takes at most the rest. Read
-- after worker-lock, as a statement of its own, so it sees what the previous holder committed.
SELECT count(*) AS running FROM tasks WHERE status = 'running' AND worker_id = ?
