-- artifact-insert: ? id, ? task id, ? attempt, ? name, ? path, ? size (bytes), ? sha256 (hex),
--   ? now (ms), ? lease token.
-- Records an artifact only while the attempt's lease is current (the parameters are read as one
-- row first, so they keep their order). The caller counts the row written and reads it back
-- (artifact-get).
INSERT INTO artifacts (id, task_id, attempt, name, path, size, sha256, created_at)
SELECT p.id, t.id, p.attempt, p.name, p.path, p.size, p.sha256, p.created_at
FROM (
  SELECT ? AS id, ? AS task_id, ? AS attempt, ? AS name, ? AS path, ? AS size, ? AS sha256,
    ? AS created_at, ? AS token
) AS p
JOIN tasks t ON t.id = p.task_id AND t.lease_token = p.token AND t.status = 'running'
