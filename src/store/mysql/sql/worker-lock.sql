-- worker-lock: ? worker id, ? seconds to wait.
-- A named lock for the worker's id (its row may not exist), taken on the claim's connection
-- before its transaction begins and released after it ends (worker-unlock): claims with a
-- capacity for one worker count its running tasks and claim one after another, whichever server
-- process runs them, and each count sees the previous claim committed. Lock names are
-- server-wide: the database's name and the id, hashed to MySQL's 64 characters, tell them apart.
-- `got` is 1 when held, 0 when the wait ran out.
SELECT GET_LOCK(CONCAT('taskmill_worker_', SHA1(CONCAT(DATABASE(), ':', ?))), ?) AS got
