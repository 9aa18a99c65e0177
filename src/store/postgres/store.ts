/**
 * The Store contract on PostgreSQL through `pg`. Single statements run straight on the pool
 * (each is atomic by itself); calls that need several run in one transaction on one client. The
 * purpose-named modules beside this file hold the statements' logic.
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
  SharedEvent,
  StatsParams,
  StatsSnapshot,
  StatusBoundResult,
  Store,
  StoreCapabilities,
} from '../contract.ts';
import { wantsClaim } from '../contract.ts';
import { hasDependencies } from '../dependencies.ts';
import { inCallerTransaction } from './caller-transaction.ts';
import { cancelTask, deleteTask, retryTask, setTaskPriority } from './change.ts';
import type { PgConnection, PgSession } from './connection.ts';
import { InsertRejected, insertTasks } from './insert.ts';
import { type ListParams, listTasks } from './list.ts';
import { NotifyHub } from './notify-hub.ts';
import { type PurgeParams, purgeTasks } from './purge.ts';
import { listQueues, listWorkers, readStats, upsertWorker } from './reports.ts';
import {
  type ArtifactRow,
  type ExecutionRow,
  type ExpiredRow,
  type HistoryRow,
  type LogRow,
  type TaskRow,
  toArtifact,
  toExecution,
  toHistory,
  toLog,
  toTask,
} from './rows.ts';
import { appendLogs, insertArtifact, recordProgress, renewLeases } from './settle.ts';
import { settleClaim } from './settle-claim.ts';
import { SharedEvents } from './shared-events.ts';

type WorkerUpsert = Omit<WorkerInfo, 'lastHeartbeatAt' | 'startedAt' | 'state'> & {
  state: 'online' | 'draining';
};

export class PostgresStore implements Store {
  readonly schema: SchemaState;
  readonly capabilities: StoreCapabilities;
  private readonly conn: PgConnection;
  private readonly hub: NotifyHub;
  private readonly events: SharedEvents;
  /** Queue filters (as JSON) whose claims found limited queues: they claim in a transaction. */
  private readonly limitedScopes = new Set<string>();

  constructor(conn: PgConnection, schema: SchemaState) {
    this.conn = conn;
    this.schema = schema;
    this.capabilities = {
      listenNotify: true,
      skipLocked: true,
      advisoryLocks: true,
      callerTransactions: true,
      // One per claim connection; on a pool too small to set them aside, claims share the pool
      // with heartbeats and settlements, and a second one in flight would take it all.
      parallelClaims: Math.max(1, conn.claimConnections),
    };
    this.hub = new NotifyHub(conn.target);
    this.events = new SharedEvents(conn, this.hub);
  }

  /** The direct session, or a transaction when `multi` says the call needs more than one
   * statement. */
  private run<T>(multi: boolean, fn: (s: PgSession) => Promise<T>): Promise<T> {
    return multi ? this.conn.transaction(fn) : fn(this.conn.session());
  }

  wakeupListening(): boolean {
    return this.hub.connected;
  }

  wakeupSubscribe(listener: () => void): () => void {
    // Called on every notification, and once each time LISTEN takes effect: work may have
    // arrived while nobody listened.
    return this.hub.subscribe(`${this.conn.target.schema}_wakeup`, {
      onMessage: listener,
      onListening: listener,
    });
  }

  eventAudience(): boolean {
    return this.events.audience();
  }

  eventPublish(events: SharedEvent[]): void {
    this.events.publish(events);
  }

  eventSubscribe(listener: (events: SharedEvent[]) => void): () => void {
    return this.events.subscribe(listener);
  }

  async taskInsertMany(p: {
    now: number;
    tasks: NewTask[];
    transaction?: unknown;
  }): Promise<InsertResult> {
    if (p.tasks.length === 0) return { ok: true, ids: [], created: [] };
    if (p.transaction !== undefined) {
      try {
        return await inCallerTransaction(p.transaction, this.conn.target.schema, (s) =>
          insertTasks(s, p.now, p.tasks),
        );
      } catch (e) {
        if (e instanceof InsertRejected) return e.result;
        throw e;
      }
    }
    // Without keys nothing can conflict, and without dependencies nothing is locked first, so
    // the one statement needs no transaction around it.
    const multi = p.tasks.some((t) => t.idempotencyKey !== null) || hasDependencies(p.tasks);
    try {
      return await this.run(multi, (s) => insertTasks(s, p.now, p.tasks));
    } catch (e) {
      if (e instanceof InsertRejected) return e.result;
      throw e;
    }
  }

  async taskGet(p: { id: string; transaction?: unknown }): Promise<Task | null> {
    const row =
      p.transaction === undefined
        ? await this.conn.session().get<TaskRow>('task-get', [p.id])
        : await inCallerTransaction(p.transaction, this.conn.target.schema, (s) =>
            s.get<TaskRow>('task-get', [p.id]),
          );
    return row === undefined ? null : toTask(row);
  }

  taskList(p: ListParams): Promise<{ tasks: Task[]; nextCursor: string | null }> {
    return listTasks(this.conn.session(), p);
  }

  async taskClaim(p: ClaimParams): Promise<ClaimedTask[]> {
    if (!wantsClaim(p)) return [];
    const { workerId, now } = p;
    return (await settleClaim(this.conn, { now, workerId, items: [] }, p, this.limitedScopes))
      .claimed;
  }

  async taskSettle(p: {
    now: number;
    workerId: string;
    items: Settlement[];
  }): Promise<SettleResult[]> {
    // An illegal target is a bug in the caller, not an outcome: fail before writing anything.
    for (const s of p.items) assertTransition('running', s.to, { id: s.id });
    if (p.items.length === 0) return [];
    return (await settleClaim(this.conn, p, null, this.limitedScopes)).results;
  }

  async taskNextRunAt(p: {
    now: number;
    types: string[];
    queues: string[] | null;
  }): Promise<number | null> {
    if (p.types.length === 0) return null;
    const row = await this.conn
      .session()
      .get<{ next: number | null }>('task-next-run-at', [p.now, p.types, p.queues]);
    return row?.next ?? null;
  }

  async taskSettleClaim(p: {
    now: number;
    workerId: string;
    items: Settlement[];
    claim: Omit<ClaimParams, 'now' | 'workerId'>;
  }): Promise<{ results: SettleResult[]; claimed: ClaimedTask[] }> {
    for (const s of p.items) assertTransition('running', s.to, { id: s.id });
    const claim: ClaimParams = { ...p.claim, now: p.now, workerId: p.workerId };
    return settleClaim(this.conn, p, claim, this.limitedScopes);
  }

  async taskProgress(p: {
    now: number;
    items: { id: string; token: string; percent: number; message: string | null }[];
  }): Promise<{ lost: string[] }> {
    if (p.items.length === 0) return { lost: [] };
    return recordProgress(this.conn.session(), p.now, p.items);
  }

  taskCancel(p: {
    now: number;
    id: string;
    reason: string;
  }): Promise<ChangeResult & { immediate?: boolean }> {
    return this.conn.transaction((s) => cancelTask(s, p));
  }

  taskRetry(p: { now: number; id: string; maxAttempts?: number }): Promise<ChangeResult> {
    return this.conn.transaction((s) => retryTask(s, p));
  }

  async taskHistory(p: { id: string }): Promise<HistoryEntry[]> {
    return (await this.conn.session().all<HistoryRow>('history-list', [p.id])).map(toHistory);
  }

  taskSetPriority(p: {
    now: number;
    id: string;
    priority: number;
  }): Promise<StatusBoundResult<{ task: Task }>> {
    return this.conn.transaction((s) => setTaskPriority(s, p));
  }

  taskDelete(p: { id: string }): Promise<StatusBoundResult<{ artifactPaths: string[] }>> {
    return this.conn.transaction((s) => deleteTask(s, p));
  }

  async taskPurge(p: PurgeParams): Promise<{ taskIds: string[]; artifactPaths: string[] }> {
    if (p.limit <= 0) return { taskIds: [], artifactPaths: [] };
    return this.conn.transaction((s) => purgeTasks(s, p));
  }

  taskStats(p: StatsParams): Promise<StatsSnapshot> {
    return readStats(this.conn.session(), p);
  }

  async leaseRenew(p: {
    now: number;
    workerId: string;
    leaseMs: number;
    leases: LeaseRef[];
  }): Promise<{ lost: string[]; cancelRequested: string[] }> {
    if (p.leases.length === 0) return { lost: [], cancelRequested: [] };
    return renewLeases(this.conn.session(), p.now + p.leaseMs, p.leases);
  }

  async leaseExpired(p: { now: number; limit: number }): Promise<ExpiredLease[]> {
    const rows = await this.conn.session().all<ExpiredRow>('lease-expired', [p.now, p.limit]);
    return rows.map((r) => ({
      id: r.id,
      token: r.lease_token,
      type: r.type,
      queue: r.queue,
      attempt: r.attempt,
      maxAttempts: r.max_attempts,
      crashCount: r.crash_count,
      cancelRequested: r.cancel_requested,
      workerId: r.worker_id,
    }));
  }

  async executionList(p: { taskId: string }): Promise<Execution[]> {
    const rows = await this.conn.session().all<ExecutionRow>('execution-list', [p.taskId]);
    return rows.map(toExecution);
  }

  async logAppend(p: {
    now: number;
    items: { taskId: string; token: string; attempt: number; level: LogLevel; message: string }[];
  }): Promise<{ lost: string[] }> {
    if (p.items.length === 0) return { lost: [] };
    return appendLogs(this.conn.session(), p.now, p.items);
  }

  async logList(p: { taskId: string; afterId?: number; limit?: number }): Promise<LogEntry[]> {
    const rows = await this.conn
      .session()
      .all<LogRow>('log-list', [p.taskId, p.afterId ?? 0, p.limit ?? null]);
    return rows.map(toLog);
  }

  artifactInsert(p: {
    now: number;
    token: string;
    artifact: Omit<Artifact, 'createdAt'>;
  }): Promise<{ ok: true; artifact: Artifact } | { ok: false; reason: 'lease_lost' }> {
    return insertArtifact(this.conn.session(), p.now, p.token, p.artifact);
  }

  async artifactList(p: { taskId: string }): Promise<Artifact[]> {
    const rows = await this.conn.session().all<ArtifactRow>('artifact-list', [p.taskId]);
    return rows.map(toArtifact);
  }

  async queueUpdate(p: {
    now: number;
    name: string;
    paused?: boolean;
    concurrency?: number | null;
  }): Promise<void> {
    await this.conn
      .session()
      .all('queue-upsert', [
        p.name,
        p.paused ?? null,
        p.concurrency ?? null,
        p.concurrency !== undefined,
        p.now,
      ]);
  }

  queueList(): Promise<QueueInfo[]> {
    return listQueues(this.conn.session());
  }

  workerUpsert(p: { now: number; worker: WorkerUpsert }): Promise<void> {
    return upsertWorker(this.conn.session(), p.now, p.worker);
  }

  async workerRemove(p: { id: string }): Promise<void> {
    await this.conn.session().all('worker-delete', [p.id]);
  }

  workerList(p: { now: number; offlineAfterMs: number }): Promise<WorkerInfo[]> {
    return listWorkers(this.conn.session(), p);
  }

  async close(): Promise<void> {
    this.events.stop();
    await this.hub.stop();
    await this.conn.close();
  }
}
