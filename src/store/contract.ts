/**
 * The Store contract: everything the library, the worker and the CLI need from a database, and
 * nothing about any one database. It is an internal seam, not a plugin API: every adapter
 * (`sqlite/`, `postgres/`) implements it and passes `conformance/` unchanged.
 *
 * Rules every method keeps:
 * - `now` (ms since the epoch) comes from the caller's clock; no adapter reads the wall clock.
 * - A call either does all of its writes or none (one transaction).
 * - A write on behalf of a running attempt carries that attempt's lease token; a token that is no
 *   longer current is a typed outcome (`lost`), and nothing of that write is stored.
 * - Status changes are checked against the transition table of `src/core/status.ts` and each one
 *   adds a history entry (from, to, at, reason, worker).
 * - Adapters report outcomes as data; the layers above turn them into coded errors, so both
 *   adapters raise identical errors.
 */

import type { NewTask } from '../core/new-task.ts';
import type { QueueInfo } from '../core/queue.ts';
import type { TaskStatus } from '../core/status.ts';
import type {
  Artifact,
  Execution,
  ExecutionMetrics,
  ExecutionOutcome,
  HistoryEntry,
  LogEntry,
  LogLevel,
  Task,
  TaskErrorInfo,
} from '../core/task.ts';
import type { ListParams } from './list-cursor.ts';
import type { PipelineStore, RunEnd } from './pipeline-contract.ts';
import type {
  ScheduleDayReport,
  ScheduleFireParams,
  ScheduleFireResult,
  ScheduleRun,
  ScheduleSaveResult,
  ScheduleStatsRow,
  StoredSchedule,
  TaskScheduleLink,
} from './schedule-contract.ts';
import type { StatsParams, StatsSnapshot } from './stats-contract.ts';
import type { ChangeResult, StatusBoundResult, TaskChangeStore } from './task-change-contract.ts';
import type { WorkerStore } from './worker-contract.ts';

export type * from './pipeline-contract.ts';
export type * from './schedule-contract.ts';
export type { StatsParams, StatsSnapshot } from './stats-contract.ts';
export type * from './task-change-contract.ts';
export type * from './worker-contract.ts';

export interface StoreCapabilities {
  /** Wake-ups cross processes without polling (PostgreSQL LISTEN/NOTIFY). */
  listenNotify: boolean;
  /** `taskInsert` can join a transaction the caller holds open (`transaction`). */
  callerTransactions: boolean;
  /** Claims (`taskClaim`, `taskSettleClaim`) worth having on their way at once from one
   * worker: more only wait for each other, or for the connections other calls need. */
  parallelClaims: number;
}

export type InsertResult =
  | {
      ok: true;
      ids: string[];
      created: boolean[];
      /** Per task: created `pending`, waiting on dependencies that have not completed. */
      pending?: boolean[];
    }
  | { ok: false; reason: 'idempotency_conflict'; index: number; key: string; existingId: string }
  /** A dependency that is not stored, or later in the batch than its dependent. */
  | { ok: false; reason: 'dependency_not_found'; index: number; dependsOn: string }
  /** A dependency that ended without completing: its dependent could never run. */
  | {
      ok: false;
      reason: 'dependency_failed';
      index: number;
      dependsOn: string;
      status: TaskStatus;
    };

/** What a claim asks for: up to `limit` ready tasks of `types` (in `queues`, or any with null),
 * leased to `workerId` until `now + leaseMs`. */
export interface ClaimParams {
  now: number;
  workerId: string;
  limit: number;
  types: string[];
  queues: string[] | null;
  leaseMs: number;
  /**
   * How many of `limit` start at once (the worker's free slots); the rest are held ahead. A task
   * a worker died holding (crash count above 0) is taken only for these, never to be held: its
   * next crash must be one it caused, so held bystanders of a poison pill are not failed with
   * it. Default: `limit`.
   */
  free?: number;
  /**
   * At most this many tasks running under `workerId` once the claim is done: the claim takes at
   * most `capacity` minus the tasks running under `workerId` now (nothing when that is 0 or
   * less). The count and the claim happen in one transaction, serialised per worker id (a lock
   * on the id, which needs no row, where claims run in parallel), so concurrent claims for one
   * worker from any number of server processes never exceed it. Absent: no cap (an in-process
   * worker counts its own slots). Used for remote units, which registered a capacity; taken by
   * `taskClaim` only.
   */
  capacity?: number;
}

/** A claim that can take something: a free slot, a type, and (when filtered) a queue. */
export function wantsClaim(p: Pick<ClaimParams, 'limit' | 'types' | 'queues'>): boolean {
  return p.limit > 0 && p.types.length > 0 && (p.queues === null || p.queues.length > 0);
}

export interface ClaimedTask {
  task: Task;
  /** Fencing token: every write for this attempt must carry it. */
  leaseToken: string;
  executionId: string;
  previousStatus: TaskStatus;
}

/**
 * How one attempt ends. The store checks `running → to` against the transition table, ends the
 * execution with `outcome`, and writes only if `token` is still the task's lease token (and, with
 * `onlyIfExpired`, only if the lease has run out: a sweeper recovering a dead worker's task).
 */
export interface Settlement {
  id: string;
  token: string;
  to: TaskStatus;
  outcome: ExecutionOutcome;
  reason: string | null;
  output?: unknown;
  error?: TaskErrorInfo | null;
  metrics?: ExecutionMetrics | null;
  /** For `retrying`: when the next attempt may start. */
  runAt?: number;
  /** The pipeline run of the task (`task.pipeline.runId`): its follow-ups commit with this. */
  runId?: string;
  /** The attempt does not count: shutdown release and crash recovery. */
  refundAttempt?: boolean;
  /** Its worker died: add one to the task's crash count. Any other ending resets the count. */
  crashed?: boolean;
  /**
   * Its handler never started (the task was held ahead and the worker stops): the claim is
   * undone. The task goes back to the status it was claimed from, with its attempt, crash count
   * and history as before the claim, and no execution is recorded; the result's `to` says which
   * status that is. Give `to: 'queued'`.
   */
  unstarted?: boolean;
  onlyIfExpired?: boolean;
}

export type SettleResult =
  | {
      ok: true;
      from: TaskStatus;
      to: TaskStatus;
      /** The pipeline run this settlement ended (on one item of the batch that ended it). */
      runEnded?: RunEnd;
    }
  | { ok: false; reason: 'lease_lost' };

export interface LeaseRef {
  id: string;
  token: string;
}

export interface ExpiredLease extends LeaseRef {
  type: string;
  /** The pipeline run the task belongs to, or null. */
  runId: string | null;
  queue: string;
  attempt: number;
  maxAttempts: number;
  crashCount: number;
  cancelRequested: boolean;
  workerId: string | null;
}

/** What opening the store did to its schema. */
export interface SchemaState {
  /** The schema version now (the highest migration applied). */
  version: number;
  /** The migrations this open applied; empty when the schema was already current. */
  applied: number[];
}

/** An event as it crosses processes: JSON, tagged with the process that emitted it. */
export interface SharedEvent {
  origin: string;
  name: string;
  payload: unknown;
}

export interface Store extends PipelineStore, TaskChangeStore, WorkerStore {
  readonly capabilities: StoreCapabilities;
  readonly schema: SchemaState;

  /** Insert tasks in one transaction and one bulk statement. A known idempotency key with the
   * same fingerprint returns the existing id (`created: false`); with another fingerprint the
   * whole call writes nothing and reports the conflict. Dependencies (`dependsOn`) are checked
   * (src/store/dependencies.ts): a missing or failed one writes nothing and is reported. */
  taskInsert(p: {
    now: number;
    tasks: NewTask[];
    /** The caller's open transaction, as the adapter's driver knows it (with `callerTransactions`
     * only): the tasks commit or roll back with it, and wake workers only when it commits. */
    transaction?: unknown;
  }): Promise<InsertResult>;
  /** `transaction`: read inside the caller's open transaction (with `callerTransactions`). */
  taskGet(p: { id: string; transaction?: unknown }): Promise<Task | null>;
  /** Keyset pagination: `cursor` is the opaque `nextCursor` of the previous page; or `offset`
   * rows skipped (a numbered page). `total: true` also counts every task matching `filter`. */
  taskList(p: ListParams): Promise<{ tasks: Task[]; nextCursor: string | null; total?: number }>;
  /** Take up to `limit` ready tasks (queued, or retrying and due) of `types` in (priority,
   * runAt, id) order, skipping paused queues and queues at their concurrency limit across every
   * worker. Each becomes `running` under a new lease, with a new execution. */
  taskClaim(p: ClaimParams): Promise<ClaimedTask[]>;
  /** When the next waiting task of these types and queues becomes due (after `now`), or null:
   * an idle worker sets its alarm by it, so delayed tasks and retries start on time. */
  taskGetNextRunAt(p: {
    now: number;
    types: string[];
    queues: string[] | null;
  }): Promise<number | null>;
  /** End attempts, one result per item in order; items whose lease is not current are `lost`. */
  taskSettle(p: { now: number; workerId: string; items: Settlement[] }): Promise<SettleResult[]>;
  /** `taskSettle` then `taskClaim` in one transaction: a worker that finished attempts asks for
   * the next ones in the same round trip. Either both happen or neither. */
  taskSettleClaim(p: {
    now: number;
    workerId: string;
    items: Settlement[];
    claim: Omit<ClaimParams, 'now' | 'workerId' | 'capacity'>;
  }): Promise<{ results: SettleResult[]; claimed: ClaimedTask[] }>;
  /** Record progress for running attempts; returns the ids whose lease was lost. */
  taskSetProgress(p: {
    now: number;
    items: { id: string; token: string; percent: number; message: string | null }[];
  }): Promise<{ lost: string[] }>;
  /** Queued, paused, pending or retrying tasks are cancelled at once; a running one is marked
   * `cancelRequested` and its worker ends it. */
  taskCancel(p: {
    now: number;
    id: string;
    reason: string;
  }): Promise<ChangeResult & { immediate?: boolean; runEnded?: RunEnd }>;
  /** A failed, timed-out or cancelled task starts a new attempt series (attempt 0, queued). */
  taskRetry(p: { now: number; id: string; maxAttempts?: number }): Promise<ChangeResult>;
  historyList(p: { id: string }): Promise<HistoryEntry[]>;
  /** Delete up to `limit` tasks in `status` that finished before `finishedBefore`, or that are
   * beyond the newest `keepNewest`, with their history, executions, logs and artifact rows.
   * Returns the artifact paths so the caller can remove the files. */
  taskPurge(p: {
    status: TaskStatus;
    finishedBefore?: number;
    keepNewest?: number;
    limit: number;
  }): Promise<{ taskIds: string[]; artifactPaths: string[] }>;
  /** Counts and samples for stats, read without locks; the parts may come from moments a few
   * milliseconds apart, never from a half-applied write. */
  statsGet(p: StatsParams): Promise<StatsSnapshot>;
  /** Set the priority (0..3) of a task that waits (`PRIORITY_CHANGE_STATUSES`). */
  taskSetPriority(p: {
    now: number;
    id: string;
    priority: number;
  }): Promise<StatusBoundResult<{ task: Task }>>;
  /** Delete a finished task with its history, executions, logs and artifact rows; the artifact
   * files are the caller's to remove. */
  taskDelete(p: { id: string }): Promise<StatusBoundResult<{ artifactPaths: string[] }>>;

  /** Extend the leases this worker still holds; reports the lost ones and those asked to cancel.
   * With `leases` absent, every task running under `workerId` that it claimed since its row's
   * start time (its current registration) is renewed, and `held` lists them with their tokens;
   * a previous holder of a taken-over id keeps its leases running out. */
  leaseRenew(p: {
    now: number;
    workerId: string;
    leaseMs: number;
    leases?: LeaseRef[];
  }): Promise<{ lost: string[]; cancelRequested: string[]; held?: LeaseRef[] }>;
  /** Running tasks whose lease ran out before `now`, oldest first. Recover them with
   * `taskSettle` and `onlyIfExpired`, so exactly one sweeper wins. */
  leaseListExpired(p: { now: number; limit: number }): Promise<ExpiredLease[]>;

  executionList(p: { taskId: string }): Promise<Execution[]>;
  logInsert(p: {
    now: number;
    items: { taskId: string; token: string; attempt: number; level: LogLevel; message: string }[];
  }): Promise<{ lost: string[] }>;
  /** Oldest first; `afterId` for tailing. */
  logList(p: { taskId: string; afterId?: number; limit?: number }): Promise<LogEntry[]>;
  artifactInsert(p: {
    now: number;
    token: string;
    artifact: Omit<Artifact, 'createdAt'>;
  }): Promise<{ ok: true; artifact: Artifact } | { ok: false; reason: 'lease_lost' }>;
  artifactList(p: { taskId: string }): Promise<Artifact[]>;

  /** Create or change a queue's settings; unknown queues are unpaused and unlimited. */
  queueUpsert(p: {
    now: number;
    name: string;
    paused?: boolean;
    concurrency?: number | null;
  }): Promise<void>;
  /** Every queue with settings or tasks, by name, with its counts by status and the run-at of
   * its longest-waiting task that a claim at `now` could take (queued, or retrying with its
   * backoff over). */
  queueList(p: { now: number }): Promise<QueueInfo[]>;

  /** Create and change schedules in one transaction: all or none. A name in `create` that is
   * taken, or in `update` that is not, writes nothing and is reported. An update never moves
   * `cursorAt` back (another scheduler may have moved it on since the caller read it). A
   * schedule saved disabled gives up its waiting tick (recorded skipped, `overlap`). */
  scheduleSave(p: {
    now: number;
    create: StoredSchedule[];
    update: StoredSchedule[];
  }): Promise<ScheduleSaveResult>;
  /** Delete a schedule and its tick records (the tasks stay); false when there was none. */
  scheduleDelete(p: { name: string }): Promise<boolean>;
  /** The named schedules (every one when `names` is absent), by name. */
  scheduleList(p: { names?: string[] }): Promise<StoredSchedule[]>;
  /** Enabled schedules with a tick due (`nextAt <= now`) or one waiting for its previous run. */
  scheduleListDue(p: { now: number; limit: number }): Promise<StoredSchedule[]>;
  /**
   * Handle a schedule's ticks in one transaction, exactly once however many schedulers call it:
   * each tick is a row unique on (schedule, fire time, manual), written with its task (through
   * `taskInsert`'s path) and the cursor's move. The overlap policy is decided in the transaction
   * (src/core/schedule-overlap.ts) from the schedule's newest task and its waiting tick, and a
   * waiting tick whose predecessor finished gets its task first.
   */
  scheduleFire(p: ScheduleFireParams): Promise<ScheduleFireResult>;
  /**
   * Retention: delete up to `limit` tick records fired before `before`, oldest first, and say
   * how many. A tick waiting for its previous run, or whose task has not ended, stays; the tasks
   * stay. Stats and the daily report then cover the ticks kept.
   */
  scheduleTickPrune(p: { before: number; limit: number }): Promise<number>;
  /** A schedule's recorded ticks with their tasks' status and duration, newest first. */
  scheduleTickList(p: { name: string; limit: number }): Promise<ScheduleRun[]>;
  /** The schedule that made each of these tasks (tasks no schedule made are left out). */
  scheduleLinkList(p: { taskIds: string[] }): Promise<TaskScheduleLink[]>;
  /** Per schedule (those named, or all): runs, outcomes, durations and skipped ticks. */
  scheduleStatsGet(p: { names?: string[] }): Promise<ScheduleStatsRow[]>;
  /** Per schedule and UTC day from `since` (ms, the start of a day) on. */
  scheduleReport(p: { since: number }): Promise<ScheduleDayReport[]>;

  /** Call `listener` when another process may have made work ready (a submit, a retry coming
   * due, a release). Best effort: workers keep a slow poll as well. Absent where the database
   * offers no such signal. With `capabilities.listenNotify`, it is also called once each time
   * listening starts or restarts after a lost connection, since signals sent meanwhile were
   * missed. Returns the unsubscribe function. */
  wakeupSubscribe?(p: { listener: () => void }): () => void;
  /** With `capabilities.listenNotify`: whether wake-ups from other processes arrive now (the
   * LISTEN connection is up). False while it reconnects, and while nobody subscribes. */
  wakeupIsListening?(): boolean;

  /** Cross-process events, best effort; absent where the database cannot carry them. Whether
   * some process subscribes now: publishers build and send events only while one does. */
  eventHasAudience?(): boolean;
  /** Send events to the subscribers in other processes; fire and forget. */
  eventPublish?(p: { events: SharedEvent[] }): void;
  eventSubscribe?(p: { listener: (events: SharedEvent[]) => void }): () => void;

  close(): Promise<void>;
}

/** The Store's methods by name. */
export type StoreMethod = {
  [K in keyof Store]-?: NonNullable<Store[K]> extends (...args: never[]) => unknown ? K : never;
}[keyof Store];
/** A method's params object: adapters name it rather than restate its fields. */
export type StoreParams<M extends StoreMethod> = Parameters<NonNullable<Store[M]>>[0];
/** What a method returns (a promise for the asynchronous ones). */
export type StoreResult<M extends StoreMethod> = ReturnType<NonNullable<Store[M]>>;
