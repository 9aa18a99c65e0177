-- settle-lock: ? JSON array of task ids, sorted (the rows are locked in its order).
-- Locks the tasks a settlement names, in id order (the order every multi-row lock of this
-- adapter takes), and reads what decides each item: whether its lease is current (status, token,
-- expiry), the status an undone claim goes back to, and whether it has dependents (follow-ups).
-- Locked, the rows cannot change before settle-update writes them, so the caller knows each
-- item's outcome before it writes: the batch statements then need no RETURNING. The ids drive
-- the join (STRAIGHT_JOIN): each row is locked by its key, never by a scan.
-- Only in the MySQL adapter: PostgreSQL settles inside settle-claim and returns what it wrote;
-- SQLite counts each settle-update's changed rows.
-- FORCE INDEX (PRIMARY): each task is found by its id even when a young table's statistics
-- make a scan look cheaper (a scan would lock rows other transactions hold, and deadlock).
SELECT STRAIGHT_JOIN t.id, t.status, t.lease_token, t.lease_expires_at, t.claimed_from,
  t.dependents
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j
JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.v
ORDER BY t.id
FOR UPDATE
