-- task-progress: $1 now (ms), $2 text[] task ids, $3 text[] lease tokens, $4 float8[] percents,
--   $5 text[] messages (NULL elements for none).
UPDATE tasks SET progress = p.percent, progress_message = p.message, updated_at = $1
FROM unnest($2::text[], $3::text[], $4::double precision[], $5::text[])
  AS p(id, token, percent, message)
WHERE tasks.id = p.id AND tasks.lease_token = p.token AND tasks.status = 'running'
RETURNING tasks.id
