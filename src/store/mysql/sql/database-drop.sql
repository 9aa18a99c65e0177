-- database-drop: no parameters; {{database}} as in database-create. Drops the throw-away
-- database again.
-- Only in the MySQL adapter: see database-create.
DROP DATABASE IF EXISTS {{database}}
