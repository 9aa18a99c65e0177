-- artifact-get: ? artifact id. One artifact, as artifact-insert wrote it.
-- Only in the MySQL adapter: the others return the row from artifact-insert (RETURNING).
SELECT * FROM artifacts WHERE id = ?
