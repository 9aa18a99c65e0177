-- schema-dump: no parameters. The connection's database as lines of text, one per table, column
-- and index, in a stable order: what `npm run db:dump` writes to schema.snapshot.sql and the
-- snapshot test compares a fresh migrate with. Read from information_schema rather than SHOW
-- CREATE TABLE, whose layout changes between server versions.
SELECT line FROM (
  SELECT t.table_name AS tbl, 0 AS kind, 0 AS pos,
    CONCAT('TABLE ', t.table_name, ' ENGINE=', t.engine, ' COLLATE=', t.table_collation) AS line
  FROM information_schema.tables t
  WHERE t.table_schema = DATABASE()
  UNION ALL
  SELECT c.table_name, 1, c.ordinal_position,
    CONCAT('  COLUMN ', c.column_name, ' ', c.column_type,
      IF(c.collation_name IS NULL, '', CONCAT(' COLLATE ', c.collation_name)),
      IF(c.is_nullable = 'NO', ' NOT NULL', ''),
      IF(c.column_default IS NULL OR c.column_default = 'NULL', '',
        CONCAT(' DEFAULT ', c.column_default)),
      IF(c.extra = '', '', CONCAT(' ', c.extra)),
      IF(coalesce(c.generation_expression, '') = '', '',
        CONCAT(' AS (', c.generation_expression, ')')))
  FROM information_schema.columns c
  WHERE c.table_schema = DATABASE()
  UNION ALL
  SELECT s.table_name, 2, 0,
    CONCAT('  ', IF(s.non_unique = 0, 'UNIQUE ', ''), 'INDEX ', s.index_name, ' (',
      GROUP_CONCAT(s.column_name ORDER BY s.seq_in_index SEPARATOR ', '), ')')
  FROM information_schema.statistics s
  WHERE s.table_schema = DATABASE()
  GROUP BY s.table_name, s.index_name, s.non_unique
) AS d
ORDER BY tbl, kind, pos, line
