-- Fewer rows per task on the hot path (issue 11), as PostgreSQL's 0002: the attempt that ends a
-- task stays on the task row; an attempt that does not end it is written to executions once,
-- when it ends; history entries of a submit, a claim and a settlement are read from those
-- records; `seq` numbers a task's history entries wherever each is kept. Tasks may wait on
-- others (task_dependencies): `waiting_on` counts a task's dependencies not completed yet,
-- `dependents` how many tasks were ever made to wait on it.
-- PostgreSQL's 0002 also converts rows written under 0001 (numbering old history, moving running
-- tasks' claims onto their rows). No MySQL database ever held such rows (this adapter was born
-- at version 6), so that conversion is left out; the columns are added NOT NULL with defaults.

ALTER TABLE tasks
  ADD COLUMN seq INT NOT NULL DEFAULT 1,
  ADD COLUMN submitted_as VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  ADD COLUMN claimed_from VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  ADD COLUMN outcome VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  ADD COLUMN metrics JSON,
  ADD COLUMN end_reason TEXT,
  ADD COLUMN attempt_error BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN settled_by TEXT,
  ADD COLUMN waiting_on INT NOT NULL DEFAULT 0,
  ADD COLUMN dependents INT NOT NULL DEFAULT 0;

ALTER TABLE executions
  ADD COLUMN from_status VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  ADD COLUMN to_status VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  ADD COLUMN reason TEXT,
  ADD COLUMN settled_by TEXT,
  ADD COLUMN claim_seq INT;

ALTER TABLE task_history ADD COLUMN seq INT NOT NULL;

CREATE TABLE task_dependencies (
  task_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  depends_on VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  PRIMARY KEY (depends_on, task_id),
  -- A task's own dependencies, for reading them and for deleting a task.
  KEY task_dependencies_task (task_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
