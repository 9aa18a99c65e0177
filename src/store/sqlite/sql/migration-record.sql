-- migration-record: ?1 version, ?2 name, ?3 checksum (sha256 hex of the file), ?4 applied_at (ms).
INSERT INTO taskmill_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)
