/**
 * The shapes of the remote worker protocol, as `RemoteWorkers` takes and gives them; the HTTP
 * routes describe the same shapes in JSON Schema (src/server/routes/remote-workers.ts).
 */
import type { TaskTimeout } from '../../core/define-task.ts';
import type { PriorityName } from '../../core/priority.ts';
import type { TaskStatus } from '../../core/status.ts';
import type { LogLevel, TaskErrorInfo } from '../../core/task.ts';

/** A registration as the HTTP body has it: seed 002's names (`unitName`, `capacity`) are
 * aliases of `name` and `concurrency` (one of each pair, not both). */
export interface RemoteRegistration {
  /** An id of its own choosing (`[A-Za-z0-9._:-]`, 1..128, not shaped as a UUID). Absent: the
   * server derives one from the secret it draws. */
  id?: string;
  name?: string;
  unitName?: string;
  host?: string;
  pid?: number;
  /** How many tasks it runs at once: no claim hands it more. */
  concurrency?: number;
  capacity?: number;
  /** The task types it runs; each must be defined on the server. Absent: `[unitType]`. */
  types?: string[];
  /** Its kind (seed 002's `unitType`), shown in the worker list. */
  unitType?: string;
  /** Only these queues; absent or null: every queue. */
  queues?: string[] | null;
  /** Its own software's version, shown in the worker list. */
  version?: string;
  /** An absolute http(s) URL: the unit takes its tasks there (a push unit). */
  endpoint?: string;
  /** Free-form facts about the unit (JSON object, at most 16 KiB). */
  metadata?: Record<string, unknown>;
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
  /** For a unit with an `endpoint` only: the key its deliveries are signed with. Given once. */
  pushSecret?: string;
}

export interface HeldLease {
  id: string;
  leaseToken: string;
}

export interface RemoteHeartbeat {
  /** Tasks running now (seed 002's `currentLoad` is an alias). Absent: as last reported. */
  load?: number;
  currentLoad?: number;
  rssBytes?: number;
  /** Free-form facts (CPU, memory…), kept as the latest; absent: the previous ones stay. */
  metadata?: Record<string, unknown>;
  /** Every task it holds: their leases are renewed. Absent: every task running under its id
   * that it claimed since it registered. */
  tasks?: HeldLease[];
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
