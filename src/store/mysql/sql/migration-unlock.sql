-- migration-unlock: no parameters. Releases the lock migration-lock took.
-- Only in the MySQL adapter: PostgreSQL's advisory lock ends with its transaction.
SELECT RELEASE_LOCK(CONCAT('taskmill_migrate_', SHA1(DATABASE()))) AS released
