/**
 * The Store contract on PostgreSQL through `pg`. Single statements run straight on the pool
 * (each is atomic by itself); calls that need several run in one transaction on one client. The
 * purpose-named modules beside this file hold the statements' logic.
 */

import type { QueueInfo } from '../../core/queue.ts';
import { assertTransition } from '../../core/status.ts';
import type {
  ClaimedTask,
  ClaimParams,
  SchemaState,
  StatsParams,
  StatsSnapshot,
  Store,
  StoreCapabilities,
  StoreParams,
  StoreResult,
} from '../contract.ts';
import { wantsClaim } from '../contract.ts';
import { hasDependencies } from '../dependencies.ts';
import type { SearchCollation } from '../list-cursor.ts';
import { inCallerTransaction } from './caller-transaction.ts';
import { cancelTask, deleteTask, retryTask, setTaskPriority } from './change.ts';
import type { PgConnection, PgSession } from './connection.ts';
import { InsertRejected, insertTasks } from './insert.ts';
import { type ListParams, listTasks } from './list.ts';
import { NotifyHub } from './notify-hub.ts';
import {
  beginStep,
  cancelRun,
  expandMap,
  findCached,
  getRunDetail,
  listRuns,
  resumeRun,
  runOutputs,
  startRuns,
  stepContext,
} from './pipelines.ts';
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
  toExpiredLease,
  toHistory,
  toLog,
  toTask,
} from './rows.ts';
import {
  deleteSchedule,
  fireSchedule,
  listDueSchedules,
  listLinks,
  listSchedules,
  listTicks,
  pruneTicks,
  readScheduleReport,
  readScheduleStats,
  saveSchedules,
} from './schedules.ts';
import { appendLogs, insertArtifact, recordProgress, renewLeases } from './settle.ts';
import { settleClaim } from './settle-claim.ts';
import { SharedEvents } from './shared-events.ts';
import { setTaskStatus, updateTask } from './task-edit.ts';
import * as workers from './workers.ts';

export class PostgresStore implements Store {
  readonly schema: SchemaState;
  readonly capabilities: StoreCapabilities;
  private readonly conn: PgConnection;
  private readonly hub: NotifyHub;
  private readonly events: SharedEvents;
  /** Queue filters (as JSON) whose claims found limited queues: they claim in a transaction. */
  private readonly limitedScopes = new Set<string>();
  private readonly searchCollation: SearchCollation;

  constructor(conn: PgConnection, schema: SchemaState, searchCollation: SearchCollation) {
    this.conn = conn;
    this.schema = schema;
    this.searchCollation = searchCollation;
    this.capabilities = {
      listenNotify: true,
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

  wakeupIsListening(): boolean {
    return this.hub.connected;
  }

  wakeupSubscribe(p: StoreParams<'wakeupSubscribe'>): StoreResult<'wakeupSubscribe'> {
    // Called on every notification, and once each time LISTEN takes effect: work may have
    // arrived while nobody listened.
    return this.hub.subscribe(`${this.conn.target.schema}_wakeup`, {
      onMessage: p.listener,
      onListening: p.listener,
    });
  }

  eventHasAudience(): boolean {
    return this.events.audience();
  }

  eventPublish(p: StoreParams<'eventPublish'>): StoreResult<'eventPublish'> {
    this.events.publish(p.events);
  }

  eventSubscribe(p: StoreParams<'eventSubscribe'>): StoreResult<'eventSubscribe'> {
    return this.events.subscribe(p.listener);
  }

  async taskInsert(p: StoreParams<'taskInsert'>): StoreResult<'taskInsert'> {
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

  async taskGet(p: StoreParams<'taskGet'>): StoreResult<'taskGet'> {
    const row =
      p.transaction === undefined
        ? await this.conn.session().get<TaskRow>('task-get', [p.id])
        : await inCallerTransaction(p.transaction, this.conn.target.schema, (s) =>
            s.get<TaskRow>('task-get', [p.id]),
          );
    return row === undefined ? null : toTask(row);
  }

  taskList(p: ListParams): StoreResult<'taskList'> {
    return listTasks(this.conn.session(), p, this.searchCollation);
  }

  async taskClaim(p: ClaimParams): Promise<ClaimedTask[]> {
    if (!wantsClaim(p)) return [];
    if (p.capacity !== undefined) return workers.claimWithinCapacity(this.conn, p);
    const { workerId, now } = p;
    return (await settleClaim(this.conn, { now, workerId, items: [] }, p, this.limitedScopes))
      .claimed;
  }

  async taskSettle(p: StoreParams<'taskSettle'>): StoreResult<'taskSettle'> {
    // An illegal target is a bug in the caller, not an outcome: fail before writing anything.
    for (const s of p.items) assertTransition('running', s.to, { id: s.id });
    if (p.items.length === 0) return [];
    return (await settleClaim(this.conn, p, null, this.limitedScopes)).results;
  }

  async taskGetNextRunAt(p: StoreParams<'taskGetNextRunAt'>): StoreResult<'taskGetNextRunAt'> {
    if (p.types.length === 0) return null;
    const row = await this.conn
      .session()
      .get<{ next: number | null }>('task-next-run-at', [p.now, p.types, p.queues]);
    return row?.next ?? null;
  }

  async taskSettleClaim(p: StoreParams<'taskSettleClaim'>): StoreResult<'taskSettleClaim'> {
    for (const s of p.items) assertTransition('running', s.to, { id: s.id });
    const claim: ClaimParams = { ...p.claim, now: p.now, workerId: p.workerId };
    return settleClaim(this.conn, p, claim, this.limitedScopes);
  }

  async taskSetProgress(p: StoreParams<'taskSetProgress'>): StoreResult<'taskSetProgress'> {
    if (p.items.length === 0) return { lost: [] };
    return recordProgress(this.conn.session(), p.now, p.items);
  }

  taskCancel(p: StoreParams<'taskCancel'>): StoreResult<'taskCancel'> {
    return this.conn.transaction((s) => cancelTask(s, p));
  }

  taskRetry(p: StoreParams<'taskRetry'>): StoreResult<'taskRetry'> {
    return this.conn.transaction((s) => retryTask(s, p));
  }

  async historyList(p: StoreParams<'historyList'>): StoreResult<'historyList'> {
    return (await this.conn.session().all<HistoryRow>('history-list', [p.id])).map(toHistory);
  }

  taskSetPriority(p: StoreParams<'taskSetPriority'>): StoreResult<'taskSetPriority'> {
    return this.conn.transaction((s) => setTaskPriority(s, p));
  }

  taskUpdate(p: StoreParams<'taskUpdate'>): StoreResult<'taskUpdate'> {
    return this.conn.transaction((s) => updateTask(s, p));
  }

  taskSetStatus(p: StoreParams<'taskSetStatus'>): StoreResult<'taskSetStatus'> {
    return this.conn.transaction((s) => setTaskStatus(s, p));
  }

  taskDelete(p: StoreParams<'taskDelete'>): StoreResult<'taskDelete'> {
    return this.conn.transaction((s) => deleteTask(s, p));
  }

  async taskPurge(p: PurgeParams): Promise<{ taskIds: string[]; artifactPaths: string[] }> {
    if (p.limit <= 0) return { taskIds: [], artifactPaths: [] };
    return this.conn.transaction((s) => purgeTasks(s, p));
  }

  statsGet(p: StatsParams): Promise<StatsSnapshot> {
    return readStats(this.conn.session(), p);
  }

  async leaseRenew(p: StoreParams<'leaseRenew'>): StoreResult<'leaseRenew'> {
    if (p.leases === undefined) return workers.renewAll(this.conn.session(), p);
    if (p.leases.length === 0) return { lost: [], cancelRequested: [] };
    return renewLeases(this.conn.session(), p.now + p.leaseMs, p.leases);
  }

  async leaseListExpired(p: StoreParams<'leaseListExpired'>): StoreResult<'leaseListExpired'> {
    const rows = await this.conn.session().all<ExpiredRow>('lease-expired', [p.now, p.limit]);
    return rows.map(toExpiredLease);
  }

  async executionList(p: StoreParams<'executionList'>): StoreResult<'executionList'> {
    const rows = await this.conn.session().all<ExecutionRow>('execution-list', [p.taskId]);
    return rows.map(toExecution);
  }

  async logInsert(p: StoreParams<'logInsert'>): StoreResult<'logInsert'> {
    if (p.items.length === 0) return { lost: [] };
    return appendLogs(this.conn.session(), p.now, p.items);
  }

  async logList(p: StoreParams<'logList'>): StoreResult<'logList'> {
    const rows = await this.conn
      .session()
      .all<LogRow>('log-list', [p.taskId, p.afterId ?? 0, p.limit ?? null]);
    return rows.map(toLog);
  }

  artifactInsert(p: StoreParams<'artifactInsert'>): StoreResult<'artifactInsert'> {
    return insertArtifact(this.conn.session(), p.now, p.token, p.artifact);
  }

  async artifactList(p: StoreParams<'artifactList'>): StoreResult<'artifactList'> {
    const rows = await this.conn.session().all<ArtifactRow>('artifact-list', [p.taskId]);
    return rows.map(toArtifact);
  }

  async queueUpsert(p: StoreParams<'queueUpsert'>): StoreResult<'queueUpsert'> {
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

  queueList(p: StoreParams<'queueList'>): Promise<QueueInfo[]> {
    return listQueues(this.conn.session(), p.now);
  }

  workerUpsert(p: StoreParams<'workerUpsert'>): StoreResult<'workerUpsert'> {
    return upsertWorker(this.conn.session(), p.now, p.worker);
  }

  workerRegister(p: StoreParams<'workerRegister'>): StoreResult<'workerRegister'> {
    return workers.registerWorker(this.conn.session(), p);
  }

  workerGetSecrets(p: StoreParams<'workerGetSecrets'>): StoreResult<'workerGetSecrets'> {
    return workers.workerSecrets(this.conn.session(), p.id);
  }

  async workerDelete(p: StoreParams<'workerDelete'>): StoreResult<'workerDelete'> {
    await this.conn.session().all('worker-delete', [p.id]);
  }

  workerList(p: StoreParams<'workerList'>): StoreResult<'workerList'> {
    return listWorkers(this.conn.session(), p);
  }

  pipelineRunStart(p: StoreParams<'pipelineRunStart'>): StoreResult<'pipelineRunStart'> {
    return startRuns(this.conn, p);
  }

  pipelineRunGet(p: StoreParams<'pipelineRunGet'>): StoreResult<'pipelineRunGet'> {
    return getRunDetail(this.conn, p.id, p.runOnly === true);
  }

  pipelineRunList(p: StoreParams<'pipelineRunList'>): StoreResult<'pipelineRunList'> {
    return listRuns(this.conn, p);
  }

  pipelineRunOutputs(p: StoreParams<'pipelineRunOutputs'>): StoreResult<'pipelineRunOutputs'> {
    return runOutputs(this.conn, p);
  }

  pipelineRunCancel(p: StoreParams<'pipelineRunCancel'>): StoreResult<'pipelineRunCancel'> {
    return cancelRun(this.conn, p);
  }

  pipelineRunResume(p: StoreParams<'pipelineRunResume'>): StoreResult<'pipelineRunResume'> {
    return resumeRun(this.conn, p);
  }

  pipelineStepContext(p: StoreParams<'pipelineStepContext'>): StoreResult<'pipelineStepContext'> {
    return stepContext(this.conn, p);
  }

  pipelineStepBegin(p: StoreParams<'pipelineStepBegin'>): StoreResult<'pipelineStepBegin'> {
    return beginStep(this.conn, p);
  }

  pipelineCacheFind(p: StoreParams<'pipelineCacheFind'>): StoreResult<'pipelineCacheFind'> {
    return findCached(this.conn, p);
  }

  pipelineMapExpand(p: StoreParams<'pipelineMapExpand'>): StoreResult<'pipelineMapExpand'> {
    return expandMap(this.conn, p);
  }

  scheduleSave(p: StoreParams<'scheduleSave'>): StoreResult<'scheduleSave'> {
    return saveSchedules(this.conn, p);
  }

  scheduleDelete(p: StoreParams<'scheduleDelete'>): StoreResult<'scheduleDelete'> {
    return deleteSchedule(this.conn, p.name);
  }

  scheduleList(p: StoreParams<'scheduleList'>): StoreResult<'scheduleList'> {
    return listSchedules(this.conn, p.names);
  }

  scheduleListDue(p: StoreParams<'scheduleListDue'>): StoreResult<'scheduleListDue'> {
    return listDueSchedules(this.conn, p.now, p.limit);
  }

  scheduleFire(p: StoreParams<'scheduleFire'>): StoreResult<'scheduleFire'> {
    return fireSchedule(this.conn, p);
  }

  scheduleTickPrune(p: StoreParams<'scheduleTickPrune'>): StoreResult<'scheduleTickPrune'> {
    return pruneTicks(this.conn, p.before, p.limit);
  }

  scheduleTickList(p: StoreParams<'scheduleTickList'>): StoreResult<'scheduleTickList'> {
    return listTicks(this.conn, p);
  }

  async scheduleLinkList(p: StoreParams<'scheduleLinkList'>): StoreResult<'scheduleLinkList'> {
    return p.taskIds.length === 0 ? [] : listLinks(this.conn, p.taskIds);
  }

  scheduleStatsGet(p: StoreParams<'scheduleStatsGet'>): StoreResult<'scheduleStatsGet'> {
    return readScheduleStats(this.conn, p.names);
  }

  scheduleReport(p: StoreParams<'scheduleReport'>): StoreResult<'scheduleReport'> {
    return readScheduleReport(this.conn, p.since);
  }

  async close(): Promise<void> {
    this.events.stop();
    await this.hub.stop();
    await this.conn.close();
  }
}
