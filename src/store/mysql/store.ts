/**
 * The Store contract on MySQL 8 / MariaDB 10.6+ through `mysql2`. Single statements run straight
 * on the pool (each is atomic by itself); calls that need several (MySQL has no RETURNING, so a
 * write and the read of what it wrote are two) run in one transaction on one connection, retried
 * on deadlock. The purpose-named modules beside this file hold the statements' logic. No
 * LISTEN/NOTIFY: workers poll (capabilities.listenNotify is false).
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
import { cancelTask, deleteTask, retryTask, setTaskPriority } from './change.ts';
import { claimTasks } from './claim.ts';
import type { MyConnection, MySession } from './connection.ts';
import { InsertRejected, insertTasks, needsTransaction } from './insert.ts';
import { type ListParams, listTasks } from './list.ts';
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
import { listQueues, listWorkers, readStats } from './reports.ts';
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
import {
  appendLogs,
  insertArtifact,
  recordProgress,
  renewLeases,
  renewWorkerLeases,
  settleTasks,
} from './settle.ts';
import { setTaskStatus, updateTask } from './task-edit.ts';
import { claimWithinCapacity, registerWorker, upsertWorker, workerSecrets } from './workers.ts';

export class MysqlStore implements Store {
  readonly schema: SchemaState;
  readonly capabilities: StoreCapabilities;
  private readonly conn: MyConnection;

  constructor(conn: MyConnection, schema: SchemaState, poolSize: number) {
    this.conn = conn;
    this.schema = schema;
    this.capabilities = {
      listenNotify: false,
      callerTransactions: false,
      // Claims skip each other's rows (SKIP LOCKED); two in flight keep a worker fed while the
      // rest of a small pool serves heartbeats and settlements.
      parallelClaims: poolSize >= 4 ? 2 : 1,
    };
  }

  private get direct(): MySession {
    return this.conn.direct;
  }

  private tx<T>(fn: (s: MySession) => Promise<T>): Promise<T> {
    return this.conn.transaction(fn);
  }

  async taskInsert(p: StoreParams<'taskInsert'>): StoreResult<'taskInsert'> {
    if (p.tasks.length === 0) return { ok: true, ids: [], created: [] };
    if (p.transaction !== undefined) {
      throw new Error('The MySQL store cannot join a caller transaction (callerTransactions).');
    }
    // Without keys nothing can conflict, and without dependencies nothing is locked first, so
    // a batch that fits one statement needs no transaction around it.
    try {
      return needsTransaction(p.tasks)
        ? await this.tx((s) => insertTasks(s, p.now, p.tasks))
        : await insertTasks(this.direct, p.now, p.tasks);
    } catch (e) {
      if (e instanceof InsertRejected) return e.result;
      throw e;
    }
  }

  async taskGet(p: StoreParams<'taskGet'>): StoreResult<'taskGet'> {
    if (p.transaction !== undefined) {
      throw new Error('The MySQL store cannot join a caller transaction (callerTransactions).');
    }
    const row = await this.direct.get<TaskRow>('task-get', [p.id]);
    return row === undefined ? null : toTask(row);
  }

  taskList(p: ListParams): StoreResult<'taskList'> {
    return listTasks(this.direct, p);
  }

  async taskClaim(p: ClaimParams): Promise<ClaimedTask[]> {
    if (!wantsClaim(p)) return [];
    const { capacity } = p;
    if (capacity !== undefined) return claimWithinCapacity(this.conn, { ...p, capacity });
    return this.tx((s) => claimTasks(s, p));
  }

  async taskSettle(p: StoreParams<'taskSettle'>): StoreResult<'taskSettle'> {
    // An illegal target is a bug in the caller, not an outcome: fail before writing anything.
    for (const s of p.items) assertTransition('running', s.to, { id: s.id });
    if (p.items.length === 0) return [];
    return this.tx(async (s) => (await settleTasks(s, p.now, p.workerId, p.items)).results);
  }

  async taskGetNextRunAt(p: StoreParams<'taskGetNextRunAt'>): StoreResult<'taskGetNextRunAt'> {
    if (p.types.length === 0) return null;
    const queues = p.queues === null ? null : JSON.stringify(p.queues);
    const row = await this.direct.get<{ next: number | null }>('task-next-run-at', [
      p.now,
      JSON.stringify(p.types),
      queues,
      queues,
    ]);
    return row?.next ?? null;
  }

  async taskSettleClaim(p: StoreParams<'taskSettleClaim'>): StoreResult<'taskSettleClaim'> {
    for (const s of p.items) assertTransition('running', s.to, { id: s.id });
    const claim: ClaimParams = { ...p.claim, now: p.now, workerId: p.workerId };
    return this.tx(async (s) => {
      const { results } = await settleTasks(s, p.now, p.workerId, p.items);
      // After the follow-ups: what they released is claimable in this same round.
      const claimed = wantsClaim(claim) ? await claimTasks(s, claim) : [];
      return { results, claimed };
    });
  }

  async taskSetProgress(p: StoreParams<'taskSetProgress'>): StoreResult<'taskSetProgress'> {
    if (p.items.length === 0) return { lost: [] };
    return this.tx((s) => recordProgress(s, p.now, p.items));
  }

  taskCancel(p: StoreParams<'taskCancel'>): StoreResult<'taskCancel'> {
    return this.tx((s) => cancelTask(s, p));
  }

  taskRetry(p: StoreParams<'taskRetry'>): StoreResult<'taskRetry'> {
    return this.tx((s) => retryTask(s, p));
  }

  async historyList(p: StoreParams<'historyList'>): StoreResult<'historyList'> {
    const ids = [p.id, p.id, p.id, p.id, p.id, p.id];
    return (await this.direct.all<HistoryRow>('history-list', ids)).map(toHistory);
  }

  taskSetPriority(p: StoreParams<'taskSetPriority'>): StoreResult<'taskSetPriority'> {
    return this.tx((s) => setTaskPriority(s, p));
  }

  taskUpdate(p: StoreParams<'taskUpdate'>): StoreResult<'taskUpdate'> {
    return this.tx((s) => updateTask(s, p));
  }

  taskSetStatus(p: StoreParams<'taskSetStatus'>): StoreResult<'taskSetStatus'> {
    return this.tx((s) => setTaskStatus(s, p));
  }

  taskDelete(p: StoreParams<'taskDelete'>): StoreResult<'taskDelete'> {
    return this.tx((s) => deleteTask(s, p));
  }

  async taskPurge(p: PurgeParams): Promise<{ taskIds: string[]; artifactPaths: string[] }> {
    if (p.limit <= 0) return { taskIds: [], artifactPaths: [] };
    return this.tx((s) => purgeTasks(s, p));
  }

  statsGet(p: StatsParams): Promise<StatsSnapshot> {
    return readStats(this.direct, p);
  }

  async leaseRenew(p: StoreParams<'leaseRenew'>): StoreResult<'leaseRenew'> {
    const expires = p.now + p.leaseMs;
    const { leases } = p;
    if (leases === undefined) return this.tx((s) => renewWorkerLeases(s, expires, p.workerId));
    if (leases.length === 0) return { lost: [], cancelRequested: [] };
    return this.tx((s) => renewLeases(s, expires, leases));
  }

  async leaseListExpired(p: StoreParams<'leaseListExpired'>): StoreResult<'leaseListExpired'> {
    const rows = await this.direct.all<ExpiredRow>('lease-expired', [p.now, p.limit]);
    return rows.map(toExpiredLease);
  }

  async executionList(p: StoreParams<'executionList'>): StoreResult<'executionList'> {
    const rows = await this.direct.all<ExecutionRow>('execution-list', [p.taskId, p.taskId]);
    return rows.map(toExecution);
  }

  async logInsert(p: StoreParams<'logInsert'>): StoreResult<'logInsert'> {
    if (p.items.length === 0) return { lost: [] };
    return this.tx((s) => appendLogs(s, p.now, p.items));
  }

  async logList(p: StoreParams<'logList'>): StoreResult<'logList'> {
    // LIMIT takes no NULL: "no limit" is the largest row count there can be.
    const limit = p.limit ?? Number.MAX_SAFE_INTEGER;
    const rows = await this.direct.all<LogRow>('log-list', [p.taskId, p.afterId ?? 0, limit]);
    return rows.map(toLog);
  }

  artifactInsert(p: StoreParams<'artifactInsert'>): StoreResult<'artifactInsert'> {
    return this.tx((s) => insertArtifact(s, p.now, p.token, p.artifact));
  }

  async artifactList(p: StoreParams<'artifactList'>): StoreResult<'artifactList'> {
    const rows = await this.direct.all<ArtifactRow>('artifact-list', [p.taskId]);
    return rows.map(toArtifact);
  }

  async queueUpsert(p: StoreParams<'queueUpsert'>): StoreResult<'queueUpsert'> {
    const paused = p.paused === undefined ? null : p.paused ? 1 : 0;
    const setLimit = p.concurrency !== undefined ? 1 : 0;
    const limit = p.concurrency ?? null;
    await this.direct.run('queue-upsert', [
      p.name,
      paused,
      setLimit,
      limit,
      p.now,
      paused,
      setLimit,
      limit,
    ]);
  }

  queueList(p: StoreParams<'queueList'>): Promise<QueueInfo[]> {
    return listQueues(this.direct, p.now);
  }

  workerUpsert(p: StoreParams<'workerUpsert'>): StoreResult<'workerUpsert'> {
    return upsertWorker(this.direct, p.now, p.worker);
  }

  workerRegister(p: StoreParams<'workerRegister'>): StoreResult<'workerRegister'> {
    return registerWorker(this.direct, p);
  }

  workerGetSecrets(p: StoreParams<'workerGetSecrets'>): StoreResult<'workerGetSecrets'> {
    return workerSecrets(this.direct, p.id);
  }

  async workerDelete(p: StoreParams<'workerDelete'>): StoreResult<'workerDelete'> {
    await this.direct.run('worker-delete', [p.id]);
  }

  workerList(p: StoreParams<'workerList'>): StoreResult<'workerList'> {
    return listWorkers(this.direct, p);
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
    await this.conn.close();
  }
}
