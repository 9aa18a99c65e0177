/**
 * The shapes of the remote worker protocol, as `RemoteWorkers` takes and gives them; the HTTP
 * routes describe the same shapes in JSON Schema (src/server/routes/remote-workers.ts).
 */
import type { TaskTimeout } from '../../core/define-task.ts';
import type { PriorityName } from '../../core/priority.ts';
import type { TaskStatus } from '../../core/status.ts';
import type { LogLevel, TaskErrorInfo } from '../../core/task.ts';

export interface RemoteRegistration {
  name: string;
  host?: string;
  pid?: number;
  /** How many tasks it runs at once; shown in the worker list. */
  concurrency: number;
  /** The task types it runs; each must be defined on the server. */
  types: string[];
  /** Only these queues; absent or null: every queue. */
  queues?: string[] | null;
  /** Its own software's version, shown in the worker list. */
  version?: string;
}

export interface RemoteTiming {
  /** The lease each claim and heartbeat grants. */
  leaseMs: number;
  /** How often to heartbeat: well inside the lease. */
  heartbeatMs: number;
  /** The longest a claim may wait for work. */
  maxWaitMs: number;
}

export interface RemoteRegistered extends RemoteTiming {
  workerId: string;
  /** Send it with every later call for `workerId` (header `taskmill-worker-secret`). */
  workerSecret: string;
}

export interface HeldLease {
  id: string;
  leaseToken: string;
}

export interface RemoteHeartbeat {
  /** Tasks running now. */
  load: number;
  rssBytes?: number;
  /** Every task it holds: their leases are renewed. */
  tasks: HeldLease[];
}

export interface HeartbeatAnswer {
  /** Stop these: the lease is gone (expired and given to another worker, or past the hard
   * timeout); anything written for them is refused. */
  lost: string[];
  /** Someone cancelled these: stop, then report with `fail` (the task ends cancelled). */
  cancel: string[];
}

export interface ClaimRequest {
  /** Default: the types it registered. */
  types?: string[];
  queues?: string[] | null;
  limit: number;
  /** Wait up to this long for a task when none is ready (long poll). */
  waitMs: number;
}

export interface ClaimedRemoteTask {
  id: string;
  type: string;
  queue: string;
  priority: PriorityName;
  input: unknown;
  attempt: number;
  maxAttempts: number;
  leaseToken: string;
  leaseExpiresAt: Date;
  timeout: TaskTimeout;
}

export interface ProgressReport {
  leaseToken: string;
  percent: number;
  message?: string | null;
}

export interface LogReport {
  leaseToken: string;
  lines: { level: LogLevel; message: string }[];
}

export interface CompleteReport {
  leaseToken: string;
  output?: unknown;
  metrics?: Record<string, number>;
}

export interface FailReport {
  leaseToken: string;
  error: { message: string; code?: string; retryable?: boolean; stack?: string };
  metrics?: Record<string, number>;
}

/** Where the attempt left the task. */
export interface SettleAnswer {
  status: TaskStatus;
  /** For `retrying`: when the next attempt may start. */
  runAt: Date | null;
  error: TaskErrorInfo | null;
}
