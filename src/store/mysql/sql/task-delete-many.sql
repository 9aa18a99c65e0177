-- task-delete-many: ? JSON array of task ids (locked by the caller, their records deleted).
-- Driven by the ids (STRAIGHT_JOIN), so each row is found by its key, not by a scan.
-- FORCE INDEX (PRIMARY): each task is found by its id even when a young table's statistics
-- make a scan look cheaper (a scan would lock rows other transactions hold, and deadlock).
DELETE t FROM JSON_TABLE(?, '$[*]' COLUMNS (
  v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j
STRAIGHT_JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.v
