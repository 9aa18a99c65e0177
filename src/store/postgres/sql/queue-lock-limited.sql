-- queue-lock-limited: $1 text[] of the queues a claim serves, or NULL for every queue.
-- Only in the PostgreSQL adapter: SQLite's write lock already serialises every claim.
-- Claims from a queue with a concurrency limit count its running tasks and then take some; two
-- claims doing that at once would both see room. So each takes a transaction-scoped advisory
-- lock per limited queue it serves, in name order (no deadlock between claimers), and returns
-- the names it holds: claim-tasks takes from a limited queue only when its lock is held. Claims
-- that serve only unlimited queues take no lock and never wait on each other.
SELECT q.name,
  pg_advisory_xact_lock(hashtextextended('taskmill.queue:' || current_schema() || ':' || q.name, 0))
FROM (
  SELECT name FROM queues
  WHERE concurrency IS NOT NULL AND NOT paused
    AND ($1::text[] IS NULL OR name = ANY($1::text[]))
  ORDER BY name
) q
