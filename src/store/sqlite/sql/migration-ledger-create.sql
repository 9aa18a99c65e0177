-- migration-ledger-create: no parameters.
CREATE TABLE IF NOT EXISTS taskmill_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)
