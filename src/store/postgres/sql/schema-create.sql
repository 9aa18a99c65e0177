-- schema-create: no parameters; {{schema}} is the schema name, checked against a strict pattern
-- and quoted as an identifier in migrate.ts (identifiers cannot be bound as parameters).
-- Only in the PostgreSQL adapter: an SQLite file has no schemas.
CREATE SCHEMA IF NOT EXISTS {{schema}}
