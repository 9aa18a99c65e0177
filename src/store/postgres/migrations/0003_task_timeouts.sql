-- A task may carry its own timeouts, given at submit (issue 13): each, when set, stands in for
-- its type's; NULL leaves the type's. The worker that runs an attempt reads them from the task.
-- Adding nullable columns without a default rewrites no rows.

ALTER TABLE tasks
  ADD COLUMN soft_timeout_ms integer,
  ADD COLUMN hard_timeout_ms integer;
