/**
 * The Store contract on `node:sqlite`. Every write is one `BEGIN IMMEDIATE` transaction run by
 * `SqliteConnection.write`; the purpose-named modules beside this file hold the statements' logic.
 */

import type { NewTask } from '../../core/new-task.ts';
import type { QueueInfo } from '../../core/queue.ts';
import { assertTransition } from '../../core/status.ts';
import type {
  Artifact,
  Execution,
  HistoryEntry,
  LogEntry,
  LogLevel,
  Task,
} from '../../core/task.ts';
import type { SortField, TaskFilter } from '../../core/task-filter.ts';
import type { WorkerInfo } from '../../core/worker-info.ts';
import type {
  ChangeResult,
  ClaimedTask,
  ClaimParams,
  ExpiredLease,
  InsertResult,
  LeaseRef,
  SchemaState,
  Settlement,
  SettleResult,
  StatsParams,
  StatsSnapshot,
  StatusBoundResult,
  Store,
  StoreCapabilities,
} from '../contract.ts';
import { wantsClaim } from '../contract.ts';
import { cancelTask, deleteTask, retryTask, setTaskPriority } from './change.ts';
import type { Checkpointer } from './checkpointer.ts';
import { claimTasks } from './claim.ts';
import type { SqliteConnection } from './connection.ts';
import { InsertRejected, insertTasks } from './insert.ts';
import { listTasks } from './list.ts';
import { type PurgeParams, purgeTasks } from './purge.ts';
import { listQueues, listWorkers, readStats, upsertWorker } from './reports.ts';
import {
  type ArtifactRow,
  type ExecutionRow,
  type HistoryRow,
  type LogRow,
  type TaskRow,
  toArtifact,
  toExecution,
  toHistory,
  toLog,
  toTask,
} from './rows.ts';
import { appendLogs, insertArtifact, recordProgress, renewLeases, settleTasks } from './settle.ts';
import { WalWatcher } from './wakeups.ts';

interface ExpiredRow {
  id: string;
  lease_token: string;
  type: string;
  queue: string;
  attempt: number;
  max_attempts: number;
  crash_count: number;
  cancel_requested: number;
  worker_id: string | null;
}

export class SqliteStore implements Store {
  readonly schema: SchemaState;
  readonly capabilities: StoreCapabilities = {
    listenNotify: false,
    // One writer at a time: claims from several processes queue on SQLite's write lock.
    skipLocked: false,
    advisoryLocks: false,
    callerTransactions: false,
    // node:sqlite runs a claim to its end before the next can start.
    parallelClaims: 1,
  };
  private readonly conn: SqliteConnection;
  private readonly wal: WalWatcher | null;

  /** Checkpoints the WAL off the event loop; null for an in-memory database. */
  readonly checkpointer: Checkpointer | null;

  constructor(
    conn: SqliteConnection,
    path: string,
    schema: SchemaState,
    checkpointer: Checkpointer | null = null,
  ) {
    this.conn = conn;
    this.schema = schema;
    this.checkpointer = checkpointer;
    this.wal = path === ':memory:' ? null : new WalWatcher(path);
  }

  wakeupSubscribe(listener: () => void): () => void {
    return this.wal ? this.wal.subscribe(listener) : () => {};
  }

  async taskInsertMany(p: { now: number; tasks: NewTask[] }): Promise<InsertResult> {
    if (p.tasks.length === 0) return { ok: true, ids: [], created: [] };
    try {
      return await this.conn.write(() => insertTasks(this.conn, p.now, p.tasks));
    } catch (e) {
      if (e instanceof InsertRejected) return e.result;
      throw e;
    }
  }

  taskGet(p: { id: string }): Promise<Task | null> {
    return this.conn.read(() => {
      const row = this.conn.get<TaskRow>('task-get', p.id);
      return row === undefined ? null : toTask(row);
    });
  }

  taskList(p: {
    filter: TaskFilter;
    sort: SortField;
    order: 'asc' | 'desc';
    limit: number;
    cursor?: string | null;
  }): Promise<{ tasks: Task[]; nextCursor: string | null }> {
    return this.conn.read(() => listTasks(this.conn, p));
  }

  async taskClaim(p: ClaimParams): Promise<ClaimedTask[]> {
    if (!wantsClaim(p)) return [];
    return this.conn.write(() => claimTasks(this.conn, p));
  }

  async taskSettle(p: {
    now: number;
    workerId: string;
    items: Settlement[];
  }): Promise<SettleResult[]> {
    // An illegal target is a bug in the caller, not an outcome: fail before writing anything.
    for (const s of p.items) assertTransition('running', s.to, { id: s.id });
    if (p.items.length === 0) return [];
    return this.conn.write(() => settleTasks(this.conn, p.now, p.workerId, p.items));
  }

  async taskNextRunAt(p: {
    now: number;
    types: string[];
    queues: string[] | null;
  }): Promise<number | null> {
    if (p.types.length === 0) return null;
    const queues = p.queues === null ? null : JSON.stringify(p.queues);
    const row = await this.conn.read(() =>
      this.conn.get<{ next: number | null }>(
        'task-next-run-at',
        p.now,
        JSON.stringify(p.types),
        queues,
      ),
    );
    return row?.next ?? null;
  }

  async taskSettleClaim(p: {
    now: number;
    workerId: string;
    items: Settlement[];
    claim: Omit<ClaimParams, 'now' | 'workerId'>;
  }): Promise<{ results: SettleResult[]; claimed: ClaimedTask[] }> {
    for (const s of p.items) assertTransition('running', s.to, { id: s.id });
    const c: ClaimParams = { ...p.claim, now: p.now, workerId: p.workerId };
    return this.conn.write(() => ({
      results: p.items.length > 0 ? settleTasks(this.conn, p.now, p.workerId, p.items) : [],
      claimed: wantsClaim(c) ? claimTasks(this.conn, c) : [],
    }));
  }

  async taskProgress(p: {
    now: number;
    items: { id: string; token: string; percent: number; message: string | null }[];
  }): Promise<{ lost: string[] }> {
    if (p.items.length === 0) return { lost: [] };
    return this.conn.write(() => recordProgress(this.conn, p.now, p.items));
  }

  taskCancel(p: {
    now: number;
    id: string;
    reason: string;
  }): Promise<ChangeResult & { immediate?: boolean }> {
    return this.conn.write(() => cancelTask(this.conn, p));
  }

  taskRetry(p: { now: number; id: string; maxAttempts?: number }): Promise<ChangeResult> {
    return this.conn.write(() => retryTask(this.conn, p));
  }

  taskHistory(p: { id: string }): Promise<HistoryEntry[]> {
    return this.conn.read(() => this.conn.all<HistoryRow>('history-list', p.id).map(toHistory));
  }

  taskPurge(p: PurgeParams): Promise<{ taskIds: string[]; artifactPaths: string[] }> {
    if (p.limit <= 0) return Promise.resolve({ taskIds: [], artifactPaths: [] });
    return this.conn.write(() => purgeTasks(this.conn, p));
  }

  taskSetPriority(p: {
    now: number;
    id: string;
    priority: number;
  }): Promise<StatusBoundResult<{ task: Task }>> {
    return this.conn.write(() => setTaskPriority(this.conn, p));
  }

  taskDelete(p: { id: string }): Promise<StatusBoundResult<{ artifactPaths: string[] }>> {
    return this.conn.write(() => deleteTask(this.conn, p));
  }

  taskStats(p: StatsParams): Promise<StatsSnapshot> {
    return this.conn.read(() => readStats(this.conn, p));
  }

  async leaseRenew(p: {
    now: number;
    workerId: string;
    leaseMs: number;
    leases: LeaseRef[];
  }): Promise<{ lost: string[]; cancelRequested: string[] }> {
    if (p.leases.length === 0) return { lost: [], cancelRequested: [] };
    return this.conn.write(() => renewLeases(this.conn, p.now + p.leaseMs, p.leases));
  }

  leaseExpired(p: { now: number; limit: number }): Promise<ExpiredLease[]> {
    return this.conn.read(() =>
      this.conn.all<ExpiredRow>('lease-expired', p.now, p.limit).map((r) => ({
        id: r.id,
        token: r.lease_token,
        type: r.type,
        queue: r.queue,
        attempt: r.attempt,
        maxAttempts: r.max_attempts,
        crashCount: r.crash_count,
        cancelRequested: r.cancel_requested !== 0,
        workerId: r.worker_id,
      })),
    );
  }

  executionList(p: { taskId: string }): Promise<Execution[]> {
    return this.conn.read(() =>
      this.conn.all<ExecutionRow>('execution-list', p.taskId).map(toExecution),
    );
  }

  async logAppend(p: {
    now: number;
    items: { taskId: string; token: string; attempt: number; level: LogLevel; message: string }[];
  }): Promise<{ lost: string[] }> {
    if (p.items.length === 0) return { lost: [] };
    return this.conn.write(() => appendLogs(this.conn, p.now, p.items));
  }

  logList(p: { taskId: string; afterId?: number; limit?: number }): Promise<LogEntry[]> {
    return this.conn.read(() =>
      this.conn.all<LogRow>('log-list', p.taskId, p.afterId ?? 0, p.limit ?? -1).map(toLog),
    );
  }

  artifactInsert(p: {
    now: number;
    token: string;
    artifact: Omit<Artifact, 'createdAt'>;
  }): Promise<{ ok: true; artifact: Artifact } | { ok: false; reason: 'lease_lost' }> {
    return this.conn.write(() => insertArtifact(this.conn, p.now, p.token, p.artifact));
  }

  artifactList(p: { taskId: string }): Promise<Artifact[]> {
    return this.conn.read(() =>
      this.conn.all<ArtifactRow>('artifact-list', p.taskId).map(toArtifact),
    );
  }

  queueUpdate(p: {
    now: number;
    name: string;
    paused?: boolean;
    concurrency?: number | null;
  }): Promise<void> {
    return this.conn.write(() => {
      this.conn.run(
        'queue-upsert',
        p.name,
        p.paused === undefined ? null : p.paused ? 1 : 0,
        p.concurrency ?? null,
        p.concurrency === undefined ? 0 : 1,
        p.now,
      );
    });
  }

  queueList(): Promise<QueueInfo[]> {
    return this.conn.read(() => listQueues(this.conn));
  }

  workerUpsert(p: {
    now: number;
    worker: Omit<WorkerInfo, 'lastHeartbeatAt' | 'startedAt' | 'state'> & {
      state: 'online' | 'draining';
    };
  }): Promise<void> {
    return this.conn.write(() => upsertWorker(this.conn, p.now, p.worker));
  }

  workerRemove(p: { id: string }): Promise<void> {
    return this.conn.write(() => {
      this.conn.run('worker-delete', p.id);
    });
  }

  workerList(p: { now: number; offlineAfterMs: number }): Promise<WorkerInfo[]> {
    return this.conn.read(() => listWorkers(this.conn, p));
  }

  async close(): Promise<void> {
    this.wal?.stop();
    await this.checkpointer?.stop();
    this.conn.close();
  }
}
