-- task-error: $1 task id. A task's step and error (a run records its first failure).
SELECT step, error FROM tasks WHERE id = $1
