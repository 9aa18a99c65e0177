-- worker-register: ?1 id, ?2 name, ?3 host, ?4 pid, ?5 concurrency, ?6 types (JSON),
--   ?7 queues (JSON or NULL), ?8 version, ?9 state, ?10 now (ms), ?11 load, ?12 rss bytes,
--   ?13 unit type or NULL, ?14 endpoint or NULL, ?15 metadata (JSON) or NULL,
--   ?16 secret hash or NULL, ?17 push secret or NULL, ?18 offline cutoff (ms: now minus the
--   offline delay).
-- A remote unit registers under its id: a free id is inserted; a taken one is written over
-- (start time and secrets included) only when its last heartbeat is older than the cutoff, so
-- a live unit's id is never taken, even by two registrations at once. Returns the id when
-- written, no row when the id is held by a live unit.
INSERT INTO workers (
  id, name, host, pid, concurrency, types, queues, version, state, started_at,
  last_heartbeat_at, load, rss_bytes, unit_type, endpoint, metadata, secret_hash, push_secret
)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
ON CONFLICT (id) DO UPDATE SET
  name = excluded.name,
  host = excluded.host,
  pid = excluded.pid,
  concurrency = excluded.concurrency,
  types = excluded.types,
  queues = excluded.queues,
  version = excluded.version,
  state = excluded.state,
  started_at = excluded.started_at,
  last_heartbeat_at = excluded.last_heartbeat_at,
  load = excluded.load,
  rss_bytes = excluded.rss_bytes,
  unit_type = excluded.unit_type,
  endpoint = excluded.endpoint,
  metadata = excluded.metadata,
  secret_hash = excluded.secret_hash,
  push_secret = excluded.push_secret
WHERE workers.last_heartbeat_at < ?18
RETURNING id
