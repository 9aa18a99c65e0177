-- task-error: ? task id. A task's step and error: a pipeline run records its first failure.
SELECT step, error FROM tasks WHERE id = ?
