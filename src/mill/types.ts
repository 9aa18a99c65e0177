import type { BulkChanges } from '../core/bulk-filter.ts';
import type { Clock } from '../core/clock.ts';
import type { AnyTaskDefinition, InputOf, OutputOf } from '../core/define-task.ts';
import type { Listener } from '../core/event-bus.ts';
import type { TaskmillEventName } from '../core/events.ts';
import type { TaskOptions } from '../core/new-task.ts';
import type { SharedOperations } from '../core/operations.ts';
import type { ScheduleOperations } from '../core/schedule.ts';
import type { TaskmillStats } from '../core/stats-report.ts';
import type { Artifact, Execution, Task } from '../core/task.ts';
import type { PipelineDefinition } from '../pipeline/define-pipeline.ts';
import type { SchemaState } from '../store/contract.ts';
import type { PoolSnapshot } from '../worker/executors/member-pool.ts';
import type { RemoteWorkers, RemoteWorkersOptions } from '../worker/remote/remote-workers.ts';
import type { RetentionRule, WorkerOptions } from '../worker/types.ts';
import type { PipelineOperations } from './pipelines-api.ts';
import type { PurgeOptions } from './purge.ts';
import type { SchedulerHandle, SchedulerSettings } from './scheduler-control.ts';

export type { SchedulerHandle, SchedulerSettings };

export interface TaskmillOptions<Defs extends readonly AnyTaskDefinition[]> {
  /** `sqlite:./taskmill.db`, `sqlite:/abs/path.db` or `sqlite::memory:`. */
  database: string;
  tasks: Defs;
  /** Where artifacts are stored. Default: `<database file>.data/`, or a temp folder in memory. */
  dataDir?: string;
  clock?: Clock;
  /** A worker silent for longer than this is shown offline. Default 30 s. */
  workerTimeoutMs?: number;
  /** Finished tasks to delete, by status; applied by workers in small batches. */
  retention?: Partial<
    Record<'completed' | 'failed' | 'timed_out' | 'cancelled' | 'skipped', RetentionRule>
  >;
  /** This process's cron scheduler. */
  scheduler?: SchedulerSettings;
  /** The pipelines this process starts or runs steps of (docs/pipelines.md). Their steps' task
   * types are registered with them. */
  pipelines?: readonly PipelineDefinition[];
}

export interface SubmitOptions extends TaskOptions {
  /**
   * PostgreSQL: your own `pg` client inside your open transaction. The task is written in that
   * transaction: a rollback leaves nothing behind and wakes nobody, a commit makes it visible at
   * once.
   */
  client?: unknown;
}

export interface WorkerHandle {
  readonly id: string;
  /** The thread and process pools this worker started (on first use), with their members. */
  pools(): PoolSnapshot[];
  /** Stop claiming, let running tasks finish within the grace period, give the rest back.
   * Called again while stopping, `graceMs` ends the grace period that long from then. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

type NameOf<D> = D extends { name: infer N } ? N : never;
type DefByName<Defs extends readonly AnyTaskDefinition[], N> = Extract<Defs[number], { name: N }>;

export interface SubmitItem<Defs extends readonly AnyTaskDefinition[]> {
  type: NameOf<Defs[number]>;
  input: unknown;
  /** A task's options; the transaction (`client`) is the whole batch's, the call's second
   * argument. */
  options?: TaskOptions;
}

/** The library API: the operations it shares with the HTTP client (`SharedOperations`, in
 * src/core/operations.ts), and what only a process with the database can do. */
export interface Taskmill<Defs extends readonly AnyTaskDefinition[] = readonly AnyTaskDefinition[]>
  extends SharedOperations<Task>,
    BulkChanges {
  /** The task types this instance knows, by name. */
  readonly definitions: ReadonlyMap<string, AnyTaskDefinition>;

  readonly dataDir: string;
  /** What this instance reads the time from (the `clock` option, else the system's): the
   * server measures ages (a queue's oldest wait) with it, as the store's checks do. */
  readonly clock: Clock;
  /** The database schema's version, and the migrations opening it applied. */
  readonly schema: SchemaState;
  on<E extends TaskmillEventName>(event: E, listener: Listener<E>): () => void;
  submit<N extends NameOf<Defs[number]>>(
    type: N,
    input: InputOf<DefByName<Defs, N>>,
    options?: SubmitOptions,
  ): Promise<Task<InputOf<DefByName<Defs, N>>, OutputOf<DefByName<Defs, N>>>>;
  /** All or nothing: one transaction, one bulk statement. */
  submitMany(items: SubmitItem<Defs>[], options?: { client?: unknown }): Promise<Task[]>;
  /** As `submitMany`, and says which tasks this call created (`false`: an idempotency key
   * found a task submitted before, which is returned instead). */
  submitDetailed(
    items: SubmitItem<Defs>[],
    options?: { client?: unknown },
  ): Promise<{ tasks: Task[]; created: boolean[] }>;
  executions(id: string): Promise<Execution[]>;
  artifacts(id: string): Promise<Artifact[]>;
  /** Resolve with the task once it is completed, failed, timed out or cancelled. */
  wait(id: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<Task>;
  /** Whether wake-ups from other processes arrive now: on PostgreSQL, that the LISTEN
   * connection is up (false while it reconnects); null where the database has no such channel. */
  listening(): boolean | null;
  /** `countsOnly`: the task counts and unserved types alone, without reading executions (the
   * durations, the last minute and the hours are zeros): for frequent readers such as /metrics. */
  stats(options?: { countsOnly?: boolean }): Promise<TaskmillStats>;
  /** Delete finished tasks (every end status, or those given) that finished at least
   * `olderThanMs` ago, with everything recorded about them and their artifact files. */
  purge(options: PurgeOptions): Promise<{ deleted: number }>;
  startWorker(options?: WorkerOptions): Promise<WorkerHandle>;
  /** Cron schedules: add, change, enable, disable, run now, list, stats. */
  readonly schedules: ScheduleOperations;
  /** Pipeline runs: start, read, wait for, cancel, resume. */
  readonly pipelines: PipelineOperations;
  /** Start this process's scheduler now (the first `startWorker()` starts it unless the
   * `scheduler` option says `enabled: false`); stopped on close. */
  startScheduler(): SchedulerHandle;
  /** The protocol for workers outside this process, in any language (what `taskmill serve`
   * offers over HTTP; docs/guides/remote-workers.md). */
  remoteWorkers(options?: RemoteWorkersOptions): RemoteWorkers;
  /** Stop this instance's workers (with their grace period) and close the database. */
  close(): Promise<void>;
}
