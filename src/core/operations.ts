/**
 * The operations the library (`Taskmill`) and the HTTP client (`TaskmillClient`) both offer:
 * the same names, arguments and meaning, over the task as each returns it (`T`) and the worker
 * as each lists it (`W`). Described once here; both interfaces extend it, and the CLI, which
 * works on a database or on a server alike, takes them from either through `sharedOperations`.
 */
import { is, type OptionSpec, optionSpec } from './options-check.ts';
import type { Priority } from './priority.ts';
import type { QueueInfo } from './queue.ts';
import type { TaskmillStats } from './stats-report.ts';
import type { HistoryEntry, LogEntry } from './task.ts';
import type { ListOptions, TaskPage } from './task-filter.ts';
import type { TaskUpdate } from './task-options.ts';
import type { WorkerInfo } from './worker-info.ts';

export interface TaskReads<T> {
  /** Throws TASK_NOT_FOUND for an unknown id. */
  get(id: string): Promise<T>;
  /** One page; pass `nextCursor` back as `cursor` for the next (null on the last page). */
  list(options?: ListOptions): Promise<TaskPage<T>>;
  history(id: string): Promise<HistoryEntry[]>;
  /** Oldest first; `afterId` (the last id seen) to tail. */
  logs(id: string, options?: { afterId?: number; limit?: number }): Promise<LogEntry[]>;
}

export interface TaskChanges<T> {
  /** A waiting task is cancelled at once; a running one is asked to stop (its worker ends it). */
  cancel(id: string, reason?: string): Promise<T>;
  /** A failed, timed-out or cancelled task starts a new series of attempts. */
  retry(id: string, options?: { maxAttempts?: number }): Promise<T>;
  /** Change the priority of a task that waits; TASK_ILLEGAL_TRANSITION once it runs or ended. */
  setPriority(id: string, priority: Priority): Promise<T>;
  /** Change a waiting task's input (checked against its type's schema), priority, run-at, queue
   * or name; TASK_ILLEGAL_TRANSITION once it runs or ended. */
  update(id: string, changes: TaskUpdate): Promise<T>;
  /** Hold a queued or retrying task: no worker claims it until `resume`. */
  pause(id: string, options?: { reason?: string }): Promise<T>;
  /** Let a paused task go: queued again, its run-at kept. */
  resume(id: string, options?: { reason?: string }): Promise<T>;
  /** Delete a finished task with its history, executions, logs and artifacts (files too). */
  delete(id: string): Promise<void>;
}

/** What `logs` takes. */
export const LOGS_OPTIONS_SPEC: OptionSpec = optionSpec<{ afterId?: number; limit?: number }>({
  afterId: is.whole(0),
  limit: is.whole(1),
});

/** What `retry` takes. */
export const RETRY_OPTIONS_SPEC: OptionSpec = optionSpec<{ maxAttempts?: number }>({
  maxAttempts: is.whole(1, 1000),
});

export interface QueueOperations {
  queues(): Promise<QueueInfo[]>;
  pauseQueue(name: string): Promise<void>;
  resumeQueue(name: string): Promise<void>;
  /** At most `limit` running tasks of the queue across every worker; null: no limit. */
  setQueueConcurrency(name: string, limit: number | null): Promise<void>;
}

export interface Reports<W> {
  workers(): Promise<W[]>;
  stats(): Promise<TaskmillStats>;
}

export interface SharedOperations<T, W extends WorkerInfo = WorkerInfo>
  extends TaskReads<T>,
    TaskChanges<T>,
    QueueOperations,
    Reports<W> {}

/** Every member of `SharedOperations`, by name. */
export const SHARED_OPERATIONS = [
  'get',
  'list',
  'history',
  'logs',
  'cancel',
  'retry',
  'setPriority',
  'update',
  'pause',
  'resume',
  'delete',
  'queues',
  'pauseQueue',
  'resumeQueue',
  'setQueueConcurrency',
  'workers',
  'stats',
] as const satisfies readonly (keyof SharedOperations<unknown>)[];

// Fails to compile when SharedOperations gains a member SHARED_OPERATIONS does not list.
type Unlisted = Exclude<keyof SharedOperations<unknown>, (typeof SHARED_OPERATIONS)[number]>;
const everyOperationListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyOperationListed;

/** The shared operations of a Taskmill or a client, bound to it, and nothing else of it. */
export function sharedOperations<T, W extends WorkerInfo>(
  source: SharedOperations<T, W>,
): SharedOperations<T, W> {
  const bound: Record<string, unknown> = {};
  for (const name of SHARED_OPERATIONS) {
    const method = source[name] as (...args: unknown[]) => unknown;
    bound[name] = method.bind(source);
  }
  return bound as unknown as SharedOperations<T, W>;
}
