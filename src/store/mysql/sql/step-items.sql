-- step-items: ? run id, ? step. A map step's items in list order.
SELECT map_index, status, output
FROM tasks
WHERE run_id = ? AND step = ? AND map_index IS NOT NULL
ORDER BY map_index
