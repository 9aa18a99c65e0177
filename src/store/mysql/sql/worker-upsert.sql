-- worker-upsert: ? id, ? name, ? host, ? pid, ? concurrency, ? types (JSON), ? queues (JSON or
--   NULL), ? version, ? state, ? now (ms, started_at), ? now (last heartbeat), ? load, ? rss
--   bytes, ? unit type or NULL, ? endpoint or NULL, ? metadata (JSON) or NULL.
-- A heartbeat keeps the first start time, and the unit's secrets (set by worker-register only).
-- VALUES(col) names the value the insert would have written (both servers read it so).
INSERT INTO workers (
  id, name, host, pid, concurrency, types, queues, version, state,
  started_at, last_heartbeat_at, `load`, rss_bytes, unit_type, endpoint, metadata
)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON DUPLICATE KEY UPDATE
  name = VALUES(name),
  host = VALUES(host),
  pid = VALUES(pid),
  concurrency = VALUES(concurrency),
  types = VALUES(types),
  queues = VALUES(queues),
  version = VALUES(version),
  state = VALUES(state),
  last_heartbeat_at = VALUES(last_heartbeat_at),
  `load` = VALUES(`load`),
  rss_bytes = VALUES(rss_bytes),
  unit_type = VALUES(unit_type),
  endpoint = VALUES(endpoint),
  metadata = VALUES(metadata)
