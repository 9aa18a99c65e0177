-- worker-delete: ? worker id.
DELETE FROM workers WHERE id = ?
