-- A task may carry its own timeouts, given at submit (issue 13): each, when set, stands in for
-- its type's; NULL leaves the type's. As PostgreSQL's 0003.

ALTER TABLE tasks
  ADD COLUMN soft_timeout_ms INT,
  ADD COLUMN hard_timeout_ms INT;
