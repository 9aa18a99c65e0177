-- worker-secrets: ? worker id.
-- A unit's stored credentials, to check the secret of each call for a chosen id (and, for a
-- push unit, to sign its deliveries). Kept out of worker-list so that no listing carries them.
SELECT secret_hash, push_secret FROM workers WHERE id = ?
