-- step-items: $1 run id, $2 step. A map step's items in list order.
SELECT map_index, status, output
FROM tasks
WHERE run_id = $1 AND step = $2 AND map_index IS NOT NULL
ORDER BY map_index
