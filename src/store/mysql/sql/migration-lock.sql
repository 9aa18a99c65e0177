-- migration-lock: ? seconds to wait. One process migrates a database at a time, as PostgreSQL's
-- advisory lock does: a named lock of this session (DDL commits by itself in MySQL, so no
-- transaction could hold it), taken on the migration connection and released by migration-unlock
-- or when that connection ends. Lock names are server-wide: the database's name, hashed to stay
-- within the 64 characters MySQL allows, tells databases apart. `got` is 1 when held, 0 when the
-- wait ran out.
SELECT GET_LOCK(CONCAT('taskmill_migrate_', SHA1(DATABASE())), ?) AS got
