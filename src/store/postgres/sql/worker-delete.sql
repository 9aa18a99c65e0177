-- worker-delete: $1 worker id.
DELETE FROM workers WHERE id = $1
