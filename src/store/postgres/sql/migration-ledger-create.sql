-- migration-ledger-create: no parameters.
CREATE TABLE IF NOT EXISTS taskmill_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)
