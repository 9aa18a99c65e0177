-- migration-record: $1 version, $2 name, $3 checksum (sha256 hex of the file). The server's
-- clock stamps applied_at: the ledger is for people reading it, no task logic depends on it.
INSERT INTO taskmill_migrations (version, name, checksum) VALUES ($1, $2, $3)
