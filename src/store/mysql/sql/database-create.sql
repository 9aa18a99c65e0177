-- database-create: no parameters; {{database}} is a name the caller made (taskmill_dump_ and hex
-- digits, or a test's), never caller text. A throw-away database to migrate and dump.
-- Only in the MySQL adapter: PostgreSQL dumps a throw-away schema, SQLite a memory database.
CREATE DATABASE {{database}} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin
