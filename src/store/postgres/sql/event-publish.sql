-- event-publish: $1 channel, $2 text[] payloads (each under 8000 bytes).
-- Only in the PostgreSQL adapter: shared events and event-audience pings travel by NOTIFY; SQLite
-- has no way to reach other processes.
SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload
