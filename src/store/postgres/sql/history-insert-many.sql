-- history-insert-many: $1 now (ms), $2 text[] task ids, $3 integer[] entry numbers (seq), $4
--   text[] from statuses, $5 text[] to statuses, $6 text[] reasons, $7 text[] worker ids; entry i
--   is element i of each array.
INSERT INTO task_history (task_id, seq, from_status, to_status, at, reason, worker_id)
SELECT e.task_id, e.seq, e.from_status, e.to_status, $1, e.reason, e.worker_id
FROM unnest($2::text[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[])
  WITH ORDINALITY AS e(task_id, seq, from_status, to_status, reason, worker_id, ord)
ORDER BY e.ord
