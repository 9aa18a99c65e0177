-- task-ids-in-range: ?1 first rowid, ?2 last rowid. The ids a bulk insert created.
SELECT id FROM tasks WHERE rowid BETWEEN ?1 AND ?2
