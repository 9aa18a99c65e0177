-- worker-register: ? id, ? name, ? host, ? pid, ? concurrency, ? types (JSON), ? queues (JSON
--   or NULL), ? version, ? state, ? now (ms, started_at), ? now (last heartbeat), ? load, ? rss
--   bytes, ? unit type or NULL, ? endpoint or NULL, ? metadata (JSON) or NULL, ? secret hash or
--   NULL, ? push secret or NULL.
-- A remote unit registers under a free id, after worker-takeover found no offline row to write
-- over: a row that exists (a live unit's, or one inserted meanwhile by a registration racing
-- this one) makes the insert write nothing (IGNORE: the key is the only constraint), and the
-- caller answers `taken`.
INSERT IGNORE INTO workers (
  id, name, host, pid, concurrency, types, queues, version, state, started_at,
  last_heartbeat_at, `load`, rss_bytes, unit_type, endpoint, metadata, secret_hash, push_secret
)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
