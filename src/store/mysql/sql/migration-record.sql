-- migration-record: ? version, ? name, ? checksum (sha256 hex of the file).
INSERT INTO taskmill_migrations (version, name, checksum) VALUES (?, ?, ?)
