-- schema-drop: no parameters; {{schema}} is a schema name made by the code and quoted as an
-- identifier (identifiers cannot be bound as parameters).
-- Only in the PostgreSQL adapter: `npm run db:dump` migrates a throw-away schema and drops it;
-- the SQLite dump uses an in-memory database that vanishes by itself.
DROP SCHEMA IF EXISTS {{schema}} CASCADE
