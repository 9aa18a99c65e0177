/**
 * Builders for the conformance suite. Every state is reached through the contract's own methods
 * (insert, claim, settle, cancel), so a test never depends on how an adapter stores a row.
 */
import { TaskmillError } from '../../core/errors.ts';
import { uuidv7 } from '../../core/ids.ts';
import type { NewTask } from '../../core/new-task.ts';
import type { TaskStatus } from '../../core/status.ts';
import type {
  Execution,
  ExecutionMetrics,
  HistoryEntry,
  Task,
  TaskErrorInfo,
} from '../../core/task.ts';
import type { TaskFilter } from '../../core/task-filter.ts';
import type { ChangeResult, ClaimedTask, Settlement, Store } from '../contract.ts';

/** A fixed origin for every clock in the suite; tests move forward from it, never sleep. */
export const T0 = Date.UTC(2026, 0, 1);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export const TYPE = 'test.echo';
export const QUEUE = 'default';
export const WORKER_A = 'worker-a';
export const WORKER_B = 'worker-b';
export const SWEEPER = 'worker-sweeper';
export const LEASE_MS = 30 * SECOND;

export const SAMPLE_ERROR: TaskErrorInfo = {
  code: 'HANDLER_FAILED',
  message: 'the handler threw',
  stack: 'Error: the handler threw\n    at handler (task.ts:1:1)',
  retryable: true,
};

export const SAMPLE_METRICS: ExecutionMetrics = { durationMs: 125, peakRssBytes: 52_428_800 };

/** A valid new task with a fresh id; `overrides` win. Priority 2 is `normal`. */
export function newTask(overrides: Partial<NewTask> = {}): NewTask {
  return {
    id: uuidv7(),
    type: TYPE,
    queue: QUEUE,
    priority: 2,
    status: 'queued',
    input: { to: 'ada@example.com', n: 1 },
    maxAttempts: 3,
    runAt: T0,
    idempotencyKey: null,
    inputHash: null,
    ...overrides,
  };
}

/** Item `index`, or a thrown error naming what was missing (strict index access). */
export function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) {
    throw new Error(`expected an item at index ${index}, got ${items.length} items`);
  }
  return item;
}

/** Insert tasks that must all be accepted; returns their ids in order. */
export async function insertAll(
  store: Store,
  tasks: NewTask[],
  now: number = T0,
): Promise<string[]> {
  const result = await store.taskInsert({ now, tasks });
  if (!result.ok) {
    throw new Error(`setup insert failed: ${JSON.stringify(result)}`);
  }
  return result.ids;
}

export async function mustGet(store: Store, id: string): Promise<Task> {
  const task = await store.taskGet({ id });
  if (task === null) throw new Error(`task ${id} was expected to exist`);
  return task;
}

export interface ClaimOptions {
  now: number;
  workerId?: string;
  limit?: number;
  types?: string[];
  queues?: string[] | null;
  leaseMs?: number;
  free?: number;
}

export function claim(store: Store, o: ClaimOptions): Promise<ClaimedTask[]> {
  return store.taskClaim({
    ...(o.free === undefined ? {} : { free: o.free }),
    now: o.now,
    workerId: o.workerId ?? WORKER_A,
    limit: o.limit ?? 10,
    types: o.types ?? [TYPE],
    queues: o.queues === undefined ? null : o.queues,
    leaseMs: o.leaseMs ?? LEASE_MS,
  });
}

/** A settlement for a claimed attempt: completes it unless `overrides` say otherwise. */
export function settlementFor(
  claimed: ClaimedTask,
  overrides: Partial<Settlement> = {},
): Settlement {
  return {
    id: claimed.task.id,
    token: claimed.leaseToken,
    to: 'completed',
    outcome: 'completed',
    reason: null,
    ...overrides,
  };
}

/** The settlement a lease sweeper makes for a dead worker's task. */
export function recoveryFor(lease: { id: string; token: string }): Settlement {
  return {
    id: lease.id,
    token: lease.token,
    to: 'queued',
    outcome: 'crashed',
    reason: 'recovered after its worker died',
    refundAttempt: true,
    crashed: true,
    onlyIfExpired: true,
  };
}

export interface InsertTaskOptions {
  status: TaskStatus;
  task?: Partial<NewTask>;
  /** When the task is inserted. */
  now?: number;
  /** When it is claimed, for statuses reached through a claim; default max(now, runAt). */
  claimAt?: number;
  /** When its attempt ends; default `claimAt`. */
  settleAt?: number;
  workerId?: string;
  leaseMs?: number;
  /** The next attempt's start for `retrying`; default an hour after `settleAt`. */
  retryAt?: number;
  output?: unknown;
  error?: TaskErrorInfo;
  metrics?: ExecutionMetrics;
}

export interface InsertedTask {
  id: string;
  /** The task as the store reports it once in `status`. */
  task: Task;
  /** The claim that started its attempt, for statuses reached through one. */
  claim: ClaimedTask | null;
}

const INSERTABLE: readonly TaskStatus[] = ['queued', 'pending', 'paused'];

/**
 * A task brought to `status` through the contract. Statuses past `running` claim the task by
 * its type and queue, so a test must not leave another ready task of that type and queue that
 * would be claimed first; the factory throws rather than settle the wrong task.
 */
export async function insertTask(store: Store, o: InsertTaskOptions): Promise<InsertedTask> {
  const now = o.now ?? T0;
  const initial = INSERTABLE.includes(o.status) ? o.status : 'queued';
  const task = newTask({ ...o.task, status: initial as NewTask['status'] });
  await insertAll(store, [task], now);

  if (INSERTABLE.includes(o.status)) {
    return { id: task.id, task: await mustGet(store, task.id), claim: null };
  }
  if (o.status === 'cancelled') {
    expectChanged(await store.taskCancel({ now, id: task.id, reason: 'cancelled by a test' }));
    return { id: task.id, task: await mustGet(store, task.id), claim: null };
  }

  const claimAt = o.claimAt ?? Math.max(now, task.runAt);
  const claimed = await claim(store, {
    now: claimAt,
    workerId: o.workerId ?? WORKER_A,
    limit: 1,
    types: [task.type],
    queues: [task.queue],
    leaseMs: o.leaseMs ?? LEASE_MS,
  });
  const mine = claimed[0];
  if (mine === undefined || mine.task.id !== task.id) {
    throw new Error(
      `insertTask: the claim took ${mine?.task.id ?? 'nothing'} instead of ${task.id}; ` +
        'leave no other ready task of the same type and queue',
    );
  }
  if (o.status === 'running') return { id: task.id, task: mine.task, claim: mine };

  const settleAt = o.settleAt ?? claimAt;
  const settlement = settlementFor(mine, endingFor(o, settleAt));
  const [result] = await store.taskSettle({
    now: settleAt,
    workerId: o.workerId ?? WORKER_A,
    items: [settlement],
  });
  if (result === undefined || !result.ok) {
    throw new Error(`insertTask: settling ${task.id} to ${o.status} was rejected`);
  }
  return { id: task.id, task: await mustGet(store, task.id), claim: mine };
}

function endingFor(o: InsertTaskOptions, settleAt: number): Partial<Settlement> {
  const metrics = o.metrics ?? SAMPLE_METRICS;
  switch (o.status) {
    case 'completed':
      return { output: o.output ?? { ok: true }, metrics, reason: null };
    case 'failed':
      return { to: 'failed', outcome: 'failed', error: o.error ?? SAMPLE_ERROR, metrics };
    case 'timed_out':
      return { to: 'timed_out', outcome: 'timed_out', error: o.error ?? SAMPLE_ERROR, metrics };
    case 'retrying':
      return {
        to: 'retrying',
        outcome: 'failed',
        reason: 'retry after a failure',
        error: o.error ?? SAMPLE_ERROR,
        metrics,
        runAt: o.retryAt ?? settleAt + HOUR,
      };
    default:
      throw new Error(`insertTask cannot reach status ${o.status}`);
  }
}

/** Fails the test with the store's own outcome when a change it expected was refused. */
export function expectChanged(result: ChangeResult): Task {
  if (!result.ok) throw new Error(`expected the change to be made, got ${JSON.stringify(result)}`);
  return result.task;
}

/** Everything a fenced write could have touched, to compare before and after. */
export interface TaskSnapshot {
  task: Task | null;
  history: HistoryEntry[];
  executions: Execution[];
}

export async function snapshot(store: Store, id: string): Promise<TaskSnapshot> {
  return {
    task: await store.taskGet({ id }),
    history: await store.historyList({ id }),
    executions: await store.executionList({ taskId: id }),
  };
}

/** Every task matching `filter`, walked page by page so adapters may cap the page size. */
export async function listAll(store: Store, filter: TaskFilter = {}): Promise<Task[]> {
  const tasks: Task[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const result: { tasks: Task[]; nextCursor: string | null } = await store.taskList({
      filter,
      sort: 'createdAt',
      order: 'asc',
      limit: 500,
      cursor,
    });
    tasks.push(...result.tasks);
    cursor = result.nextCursor;
    if (cursor === null) return tasks;
  }
  throw new Error('listAll: the cursor never reached the end');
}

/** The error a call rejects or throws with, or a failure when it succeeds. */
export async function errorOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

export function isTaskmillError(error: unknown, code: string): boolean {
  return error instanceof TaskmillError && error.code === code;
}

export function idsOf(tasks: readonly { id: string }[]): string[] {
  return tasks.map((t) => t.id);
}

export function claimedIds(claims: readonly ClaimedTask[]): string[] {
  return claims.map((c) => c.task.id);
}

/** Ids in a stable order, for comparing sets of tasks whose order the contract leaves open. */
export function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}
