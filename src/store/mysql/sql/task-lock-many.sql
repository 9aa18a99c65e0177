-- task-lock-many: ? JSON array of task ids, sorted (the rows are locked in its order).
-- Locks the tasks (those that exist) in id order and returns their status: a submit's stored
-- dependencies before their dependents are counted on them, a follow-up's dependents before they
-- change, tasks before they are deleted. Id order, as every multi-row lock of this adapter, so
-- two transactions never wait on each other in a circle. The ids drive the join (STRAIGHT_JOIN):
-- each row is found and locked by its key, never by a scan that would lock other rows too.
-- Only in the MySQL adapter: PostgreSQL's statements lock and return in one (RETURNING), and
-- SQLite's write lock covers everything.
-- FORCE INDEX (PRIMARY): each task is found by its id even when a young table's statistics
-- make a scan look cheaper (a scan would lock rows other transactions hold, and deadlock).
SELECT STRAIGHT_JOIN t.id, t.status, t.waiting_on, t.held, t.seq
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j
JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.v
ORDER BY t.id
FOR UPDATE
