-- task-status: ?1 task id. Its status alone (an unstarted attempt's settlement reports where the
-- undone claim left it). Only in the SQLite adapter: PostgreSQL's settle-claim returns it.
SELECT status FROM tasks WHERE id = ?1
