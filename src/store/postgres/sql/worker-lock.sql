-- worker-lock: $1 worker id.
-- Takes a transaction-scoped advisory lock for the worker (its row may not exist: the lock is
-- on the id): claims with a capacity for one worker then count its running tasks and claim one
-- after another, whichever server process runs them. Taken before queue-lock-limited, always in
-- that order, so claimers cannot deadlock.
-- Only in the PostgreSQL adapter: SQLite's write transaction (BEGIN IMMEDIATE) already
-- serialises every claim.
SELECT pg_advisory_xact_lock(hashtextextended('taskmill.worker:' || current_schema() || ':' || $1, 0))
