-- worker-unlock: ? worker id. Releases the lock worker-lock took.
-- Only in the MySQL adapter: PostgreSQL's worker-lock is an advisory lock that ends with its transaction.
SELECT RELEASE_LOCK(CONCAT('taskmill_worker_', SHA1(CONCAT(DATABASE(), ':', ?)))) AS released
