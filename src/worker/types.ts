import type { ExecutorOptions } from './executors/options.ts';

/** Delete finished tasks older than `maxAgeMs`, or beyond the newest `maxCount`, or both. */
export interface RetentionRule {
  maxAgeMs?: number;
  maxCount?: number;
}

export interface WorkerOptions {
  /** Tasks run at once by this worker. Default 10. */
  concurrency?: number;
  /**
   * Tasks claimed ahead of a free slot, held (under lease) so that a slot that frees starts its
   * next task without waiting on the database. Default: as many as `concurrency`. 0 claims only
   * for free slots: with `concurrency: 1` that runs tasks in strict claim order, where prefetched
   * tasks may run before a higher-priority one submitted after they were claimed.
   */
  prefetch?: number;
  /** Queues to take tasks from; default every queue. */
  queues?: string[];
  /** Shown in the worker list. Default `<host>:<pid>`. */
  name?: string;
  /** How long a claim holds a task without renewal. Default 30 s. */
  leaseMs?: number;
  /** Lease renewal and worker heartbeat. Default leaseMs / 3, at most 2 s. */
  heartbeatMs?: number;
  /** Fallback poll when no wake-up arrives. Default 500 ms. */
  pollMs?: number;
  /** How often expired leases are looked for. Default leaseMs / 2. */
  sweepMs?: number;
  /** A task whose worker died this many times in a row fails with "worker crashed". Default 3. */
  crashLimit?: number;
  /** On stop, time running tasks get to finish before they are aborted and given back. Default 10 s. */
  shutdownGraceMs?: number;
  /** Stop gracefully on SIGINT and SIGTERM. Default true. */
  handleSignals?: boolean;
  /** How often retention runs. Default 60 s. */
  retentionMs?: number;
  /** The thread and process pools, and the warning for inline tasks that block the loop. */
  executors?: ExecutorOptions;
}
