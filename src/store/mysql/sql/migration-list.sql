-- migration-list: no parameters. Applied migrations, oldest first.
SELECT version, name, checksum FROM taskmill_migrations ORDER BY version
