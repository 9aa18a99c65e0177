-- worker-upsert: $1 id, $2 name, $3 host, $4 pid, $5 concurrency, $6 text[] types,
--   $7 text[] queues or NULL, $8 version, $9 state, $10 now (ms), $11 load, $12 rss bytes,
--   $13 unit type or NULL, $14 endpoint or NULL, $15 metadata (jsonb) or NULL.
-- A heartbeat keeps the first start time, and the unit's secrets (set by worker-register only).
INSERT INTO workers (
  id, name, host, pid, concurrency, types, queues, version, state,
  started_at, last_heartbeat_at, load, rss_bytes, unit_type, endpoint, metadata
)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14, $15)
ON CONFLICT (id) DO UPDATE SET
  name = excluded.name,
  host = excluded.host,
  pid = excluded.pid,
  concurrency = excluded.concurrency,
  types = excluded.types,
  queues = excluded.queues,
  version = excluded.version,
  state = excluded.state,
  last_heartbeat_at = excluded.last_heartbeat_at,
  load = excluded.load,
  rss_bytes = excluded.rss_bytes,
  unit_type = excluded.unit_type,
  endpoint = excluded.endpoint,
  metadata = excluded.metadata
