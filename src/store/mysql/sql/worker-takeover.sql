-- worker-takeover: ? name, ? host, ? pid, ? concurrency, ? types (JSON), ? queues (JSON or NULL),
--   ? version, ? state, ? now (ms, started_at), ? load, ? rss bytes, ? unit type or NULL,
--   ? endpoint or NULL, ? metadata (JSON) or NULL, ? secret hash or NULL, ? push secret or NULL,
--   ? now (last heartbeat), ? id, ? offline cutoff (ms: now minus the offline delay).
-- A remote unit registers under an id whose row is offline: the row is written over (start time
-- and secrets included) only when its last heartbeat is older than the cutoff, so a live unit's
-- id is never taken. The caller counts the matched row; with none it tries worker-register.
-- last_heartbeat_at is assigned last: MySQL assigns left to right, and the condition reads it.
-- Only in the MySQL adapter: the others take over an offline row in worker-register (ON CONFLICT … WHERE).
UPDATE workers SET
  name = ?, host = ?, pid = ?, concurrency = ?, types = ?, queues = ?, version = ?, state = ?,
  started_at = ?, `load` = ?, rss_bytes = ?, unit_type = ?, endpoint = ?, metadata = ?,
  secret_hash = ?, push_secret = ?, last_heartbeat_at = ?
WHERE id = ? AND last_heartbeat_at < ?
