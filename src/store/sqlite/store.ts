/**
 * The Store contract on `node:sqlite`. Every write is one `BEGIN IMMEDIATE` transaction run by
 * `SqliteConnection.write`; the purpose-named modules beside this file hold the statements' logic.
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
import type { Checkpointer } from './checkpointer.ts';
import { claimTasks } from './claim.ts';
import type { SqliteConnection } from './connection.ts';
import { InsertRejected, insertTasks } from './insert.ts';
import { listTasks } from './list.ts';
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
import { appendLogs, insertArtifact, recordProgress, renewLeases, settleTasks } from './settle.ts';
import { setTaskStatus, updateTask } from './task-edit.ts';
import { WalWatcher } from './wakeups.ts';
import * as workers from './workers.ts';

export class SqliteStore implements Store {
  readonly schema: SchemaState;
  readonly capabilities: StoreCapabilities = {
    listenNotify: false,
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

  wakeupSubscribe(p: StoreParams<'wakeupSubscribe'>): StoreResult<'wakeupSubscribe'> {
    return this.wal ? this.wal.subscribe(p.listener) : () => {};
  }

  async taskInsert(p: StoreParams<'taskInsert'>): StoreResult<'taskInsert'> {
    if (p.tasks.length === 0) return { ok: true, ids: [], created: [] };
    try {
      return await this.conn.write(() => insertTasks(this.conn, p.now, p.tasks));
    } catch (e) {
      if (e instanceof InsertRejected) return e.result;
      throw e;
    }
  }

  taskGet(p: StoreParams<'taskGet'>): StoreResult<'taskGet'> {
    return this.conn.read(() => {
      const row = this.conn.get<TaskRow>('task-get', p.id);
      return row === undefined ? null : toTask(row);
    });
  }

  taskList(p: StoreParams<'taskList'>): StoreResult<'taskList'> {
    return this.conn.read(() => listTasks(this.conn, p));
  }

  async taskClaim(p: ClaimParams): Promise<ClaimedTask[]> {
    if (!wantsClaim(p)) return [];
    return this.conn.write(() => {
      const c = workers.withinCapacity(this.conn, p);
      return wantsClaim(c) ? claimTasks(this.conn, c) : [];
    });
  }

  async taskSettle(p: StoreParams<'taskSettle'>): StoreResult<'taskSettle'> {
    // An illegal target is a bug in the caller, not an outcome: fail before writing anything.
    for (const s of p.items) assertTransition('running', s.to, { id: s.id });
    if (p.items.length === 0) return [];
    return this.conn.write(() => settleTasks(this.conn, p.now, p.workerId, p.items));
  }

  async taskGetNextRunAt(p: StoreParams<'taskGetNextRunAt'>): StoreResult<'taskGetNextRunAt'> {
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

  async taskSettleClaim(p: StoreParams<'taskSettleClaim'>): StoreResult<'taskSettleClaim'> {
    for (const s of p.items) assertTransition('running', s.to, { id: s.id });
    const c: ClaimParams = { ...p.claim, now: p.now, workerId: p.workerId };
    return this.conn.write(() => ({
      results: p.items.length > 0 ? settleTasks(this.conn, p.now, p.workerId, p.items) : [],
      claimed: wantsClaim(c) ? claimTasks(this.conn, c) : [],
    }));
  }

  async taskSetProgress(p: StoreParams<'taskSetProgress'>): StoreResult<'taskSetProgress'> {
    if (p.items.length === 0) return { lost: [] };
    return this.conn.write(() => recordProgress(this.conn, p.now, p.items));
  }

  taskCancel(p: StoreParams<'taskCancel'>): StoreResult<'taskCancel'> {
    return this.conn.write(() => cancelTask(this.conn, p));
  }

  taskRetry(p: StoreParams<'taskRetry'>): StoreResult<'taskRetry'> {
    return this.conn.write(() => retryTask(this.conn, p));
  }

  historyList(p: StoreParams<'historyList'>): StoreResult<'historyList'> {
    return this.conn.read(() => this.conn.all<HistoryRow>('history-list', p.id).map(toHistory));
  }

  taskPurge(p: PurgeParams): Promise<{ taskIds: string[]; artifactPaths: string[] }> {
    if (p.limit <= 0) return Promise.resolve({ taskIds: [], artifactPaths: [] });
    return this.conn.write(() => purgeTasks(this.conn, p));
  }

  taskSetPriority(p: StoreParams<'taskSetPriority'>): StoreResult<'taskSetPriority'> {
    return this.conn.write(() => setTaskPriority(this.conn, p));
  }

  taskUpdate(p: StoreParams<'taskUpdate'>): StoreResult<'taskUpdate'> {
    return this.conn.write(() => updateTask(this.conn, p));
  }

  taskSetStatus(p: StoreParams<'taskSetStatus'>): StoreResult<'taskSetStatus'> {
    return this.conn.write(() => setTaskStatus(this.conn, p));
  }

  taskDelete(p: StoreParams<'taskDelete'>): StoreResult<'taskDelete'> {
    return this.conn.write(() => deleteTask(this.conn, p));
  }

  statsGet(p: StatsParams): Promise<StatsSnapshot> {
    return this.conn.read(() => readStats(this.conn, p));
  }

  async leaseRenew(p: StoreParams<'leaseRenew'>): StoreResult<'leaseRenew'> {
    const leases = p.leases;
    if (leases === undefined) {
      return this.conn.write(() =>
        workers.renewWorkerLeases(this.conn, p.now + p.leaseMs, p.workerId),
      );
    }
    if (leases.length === 0) return { lost: [], cancelRequested: [] };
    return this.conn.write(() => renewLeases(this.conn, p.now + p.leaseMs, leases));
  }

  leaseListExpired(p: StoreParams<'leaseListExpired'>): StoreResult<'leaseListExpired'> {
    return this.conn.read(() =>
      this.conn.all<ExpiredRow>('lease-expired', p.now, p.limit).map(toExpiredLease),
    );
  }

  executionList(p: StoreParams<'executionList'>): StoreResult<'executionList'> {
    return this.conn.read(() =>
      this.conn.all<ExecutionRow>('execution-list', p.taskId).map(toExecution),
    );
  }

  async logInsert(p: StoreParams<'logInsert'>): StoreResult<'logInsert'> {
    if (p.items.length === 0) return { lost: [] };
    return this.conn.write(() => appendLogs(this.conn, p.now, p.items));
  }

  logList(p: StoreParams<'logList'>): StoreResult<'logList'> {
    return this.conn.read(() =>
      this.conn.all<LogRow>('log-list', p.taskId, p.afterId ?? 0, p.limit ?? -1).map(toLog),
    );
  }

  artifactInsert(p: StoreParams<'artifactInsert'>): StoreResult<'artifactInsert'> {
    return this.conn.write(() => insertArtifact(this.conn, p.now, p.token, p.artifact));
  }

  artifactList(p: StoreParams<'artifactList'>): StoreResult<'artifactList'> {
    return this.conn.read(() =>
      this.conn.all<ArtifactRow>('artifact-list', p.taskId).map(toArtifact),
    );
  }

  queueUpsert(p: StoreParams<'queueUpsert'>): StoreResult<'queueUpsert'> {
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

  queueList(p: StoreParams<'queueList'>): Promise<QueueInfo[]> {
    return this.conn.read(() => listQueues(this.conn, p.now));
  }

  workerUpsert(p: StoreParams<'workerUpsert'>): StoreResult<'workerUpsert'> {
    return this.conn.write(() => upsertWorker(this.conn, p.now, p.worker));
  }

  workerRegister(p: StoreParams<'workerRegister'>): StoreResult<'workerRegister'> {
    return this.conn.write(() => workers.registerWorker(this.conn, p));
  }

  workerGetSecrets(p: StoreParams<'workerGetSecrets'>): StoreResult<'workerGetSecrets'> {
    return this.conn.read(() => workers.workerSecrets(this.conn, p.id));
  }

  workerDelete(p: StoreParams<'workerDelete'>): StoreResult<'workerDelete'> {
    return this.conn.write(() => {
      this.conn.run('worker-delete', p.id);
    });
  }

  workerList(p: StoreParams<'workerList'>): StoreResult<'workerList'> {
    return this.conn.read(() => listWorkers(this.conn, p));
  }

  pipelineRunStart(p: StoreParams<'pipelineRunStart'>): StoreResult<'pipelineRunStart'> {
    return this.conn.write(() => startRuns(this.conn, p));
  }

  pipelineRunGet(p: StoreParams<'pipelineRunGet'>): StoreResult<'pipelineRunGet'> {
    return this.conn.read(() => getRunDetail(this.conn, p.id, p.runOnly === true));
  }

  pipelineRunList(p: StoreParams<'pipelineRunList'>): StoreResult<'pipelineRunList'> {
    return this.conn.read(() => listRuns(this.conn, p));
  }

  pipelineRunOutputs(p: StoreParams<'pipelineRunOutputs'>): StoreResult<'pipelineRunOutputs'> {
    return this.conn.read(() => runOutputs(this.conn, p));
  }

  pipelineRunCancel(p: StoreParams<'pipelineRunCancel'>): StoreResult<'pipelineRunCancel'> {
    return this.conn.write(() => cancelRun(this.conn, p));
  }

  pipelineRunResume(p: StoreParams<'pipelineRunResume'>): StoreResult<'pipelineRunResume'> {
    return this.conn.write(() => resumeRun(this.conn, p));
  }

  // The three calls of a step's preparation run outside a transaction: each is one statement, or
  // reads rows that no longer change (the run's input, completed parents), and BEGIN … COMMIT
  // around them cost more than their statements on the hot path of a pipeline.
  pipelineStepContext(p: StoreParams<'pipelineStepContext'>): StoreResult<'pipelineStepContext'> {
    return this.conn.untransacted(() => stepContext(this.conn, p));
  }

  pipelineStepBegin(p: StoreParams<'pipelineStepBegin'>): StoreResult<'pipelineStepBegin'> {
    return this.conn.untransacted(() => beginStep(this.conn, p));
  }

  pipelineCacheFind(p: StoreParams<'pipelineCacheFind'>): StoreResult<'pipelineCacheFind'> {
    return this.conn.untransacted(() => findCached(this.conn, p));
  }

  pipelineMapExpand(p: StoreParams<'pipelineMapExpand'>): StoreResult<'pipelineMapExpand'> {
    return this.conn.write(() => expandMap(this.conn, p));
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
    this.wal?.stop();
    await this.checkpointer?.stop();
    this.conn.close();
  }
}
