-- task-lock: ? task id. The task, locked until the transaction ends: a change reads, checks and
-- writes it without another transaction changing it in between.
SELECT * FROM tasks WHERE id = ? FOR UPDATE
