-- schema-dump: no parameters. Every table and index definition, for the committed snapshot.
SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name
