-- worker-list: no parameters.
SELECT id, name, host, pid, concurrency, types, queues, version, state, started_at,
  last_heartbeat_at, `load`, rss_bytes, unit_type, endpoint, metadata
FROM workers ORDER BY name, id
