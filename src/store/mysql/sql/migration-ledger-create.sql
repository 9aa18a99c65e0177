-- migration-ledger-create: no parameters. The ledger of applied migrations, as the other
-- adapters keep it; the server's clock stamps applied_at, for people reading it.
CREATE TABLE IF NOT EXISTS taskmill_migrations (
  version INT NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  checksum VARCHAR(64) NOT NULL,
  applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin
