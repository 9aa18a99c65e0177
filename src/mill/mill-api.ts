import { rm } from 'node:fs/promises';
import type { Clock } from '../core/clock.ts';
import { type AnyTaskDefinition, validateQueueName } from '../core/define-task.ts';
import {
  ClosedError,
  IllegalTransitionError,
  TaskNotFoundError,
  ValidationError,
} from '../core/errors.ts';
import type { EventBus, Listener } from '../core/event-bus.ts';
import type { TaskmillEventName } from '../core/events.ts';
import type { NewTask } from '../core/new-task.ts';
import { buildNewTask, taskFromNew } from '../core/new-task.ts';
import type { Priority } from '../core/priority.ts';
import type { QueueInfo } from '../core/queue.ts';
import type { TaskmillStats } from '../core/stats-report.ts';
import type { TaskStatus } from '../core/status.ts';
import type { Artifact, Execution, HistoryEntry, LogEntry, Task } from '../core/task.ts';
import type { ListOptions } from '../core/task-filter.ts';
import { SORT_FIELDS } from '../core/task-filter.ts';
import type { WorkerInfo } from '../core/worker-info.ts';
import type { ChangeResult, SchemaState, Store } from '../store/contract.ts';
import { RemoteWorkers, type RemoteWorkersOptions } from '../worker/remote/remote-workers.ts';
import type { RetentionRules } from '../worker/retention.ts';
import type { WorkerOptions } from '../worker/types.ts';
import { Worker } from '../worker/worker.ts';
import type { EventBridge } from './event-bridge.ts';
import { insertRefusal } from './insert-refusal.ts';
import { searchAndRange } from './list-filter.ts';
import { onShutdownSignal } from './signals.ts';
import { statsQuery, summarizeStats } from './stats.ts';
import { SubmitGroup } from './submit-group.ts';
import { deleteTask, setPriority } from './task-admin.ts';
import type { SubmitItem, SubmitOptions, WorkerHandle } from './types.ts';
import { waitForTask } from './wait.ts';

export interface MillDeps {
  store: Store;
  bus: EventBus;
  clock: Clock;
  definitions: ReadonlyMap<string, AnyTaskDefinition>;
  dataDir: string;
  retention: RetentionRules;
  workerTimeoutMs?: number;
  /** Carries task events to and from other processes, where the store can. */
  bridge?: EventBridge | null;
  /** Delete `dataDir` on close (made for an in-memory database). */
  temporaryDataDir?: boolean;
}

function asArray<T>(v: T | T[] | undefined): T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

/** The library API over one store; `createTaskmill` builds it. */
export class MillApi {
  readonly definitions: ReadonlyMap<string, AnyTaskDefinition>;
  readonly dataDir: string;
  private readonly deps: MillDeps;

  get schema(): SchemaState {
    return this.deps.store.schema;
  }
  private readonly localWorkers = new Set<Worker>();
  private readonly group: SubmitGroup;
  private removeSignals: (() => void) | null = null;
  private closing: Promise<void> | null = null;

  constructor(deps: MillDeps) {
    this.deps = deps;
    this.definitions = deps.definitions;
    this.dataDir = deps.dataDir;
    this.group = new SubmitGroup(deps.store, () => this.now());
  }

  on<E extends TaskmillEventName>(event: E, listener: Listener<E>): () => void {
    return this.deps.bus.on(event, listener);
  }

  async submit(type: string, input: unknown, options?: SubmitOptions): Promise<Task> {
    const row = buildNewTask(this.deps.definitions, type, input, options, this.now());
    const { tasks } = await this.insert([row], options?.client);
    return tasks[0] as Task;
  }

  async submitMany(
    items: SubmitItem<readonly AnyTaskDefinition[]>[],
    options: { client?: unknown } = {},
  ): Promise<Task[]> {
    return (await this.submitDetailed(items, options)).tasks;
  }

  async submitDetailed(
    items: SubmitItem<readonly AnyTaskDefinition[]>[],
    options: { client?: unknown } = {},
  ): Promise<{ tasks: Task[]; created: boolean[] }> {
    if (!Array.isArray(items)) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        'submitMany takes an array of { type, input, options }.',
        [{ path: 'items', message: 'expected an array' }],
      );
    }
    const now = this.now();
    const rows = items.map((item, i) =>
      buildNewTask(
        this.deps.definitions,
        item?.type,
        item?.input,
        item?.options,
        now,
        `items[${i}].`,
      ),
    );
    return rows.length === 0 ? { tasks: [], created: [] } : this.insert(rows, options.client);
  }

  private async insert(
    rows: NewTask[],
    client: unknown,
  ): Promise<{ tasks: Task[]; created: boolean[] }> {
    this.assertOpen();
    if (client !== undefined && !this.deps.store.capabilities.callerTransactions) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        'Option "client" (submit inside your own transaction) needs a PostgreSQL database.',
        [{ path: 'client', message: 'not supported by this database' }],
      );
    }
    const { now, result } = await this.group.insertRows(rows, client);
    if (!result.ok) throw insertRefusal(result);
    const tasks: Task[] = [];
    let wake = false;
    for (let i = 0; i < rows.length; i++) {
      const stored = rows[i] as NewTask;
      const row = result.pending?.[i] ? { ...stored, status: 'pending' as const } : stored;
      if (result.created[i]) {
        tasks.push(taskFromNew(row, now));
        if (row.runAt <= now) wake = true;
        this.emitStatus(row.id, row.type, row.queue, null, row.status, 'submitted');
      } else {
        // Read where it was found: an earlier submit in the caller's own open transaction is
        // visible only there.
        const id = result.ids[i] as string;
        const existing = await this.deps.store.taskGet({ id, transaction: client });
        if (!existing) throw new TaskNotFoundError(id);
        tasks.push(existing);
      }
    }
    if (wake) for (const w of this.localWorkers) w.wake();
    return { tasks, created: result.created };
  }

  async get(id: string): Promise<Task> {
    this.assertOpen();
    const task = await this.deps.store.taskGet({ id: String(id) });
    if (!task) throw new TaskNotFoundError(String(id));
    return task;
  }

  async list(options: ListOptions = {}): Promise<{ tasks: Task[]; nextCursor: string | null }> {
    this.assertOpen();
    const limit = options.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        'Option "limit" must be a whole number from 1 to 1000.',
        [{ path: 'limit', message: 'expected 1..1000' }],
      );
    }
    const sort = options.sort ?? 'createdAt';
    if (!SORT_FIELDS.includes(sort)) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        `Option "sort" must be one of ${SORT_FIELDS.join(', ')}.`,
        [{ path: 'sort', message: `expected one of ${SORT_FIELDS.join(', ')}` }],
      );
    }
    const order = options.order ?? 'desc';
    if (order !== 'asc' && order !== 'desc') {
      throw new ValidationError('OPTIONS_INVALID', 'Option "order" must be "asc" or "desc".', [
        { path: 'order', message: 'expected asc or desc' },
      ]);
    }
    return this.deps.store.taskList({
      filter: {
        status: asArray<TaskStatus>(options.status),
        type: asArray(options.type),
        queue: asArray(options.queue),
        ...searchAndRange(options),
      },
      sort,
      order,
      limit,
      cursor: options.cursor ?? null,
    });
  }

  async history(id: string): Promise<HistoryEntry[]> {
    await this.get(id);
    return this.deps.store.historyList({ id });
  }

  async logs(id: string, options: { afterId?: number; limit?: number } = {}): Promise<LogEntry[]> {
    await this.get(id);
    return this.deps.store.logList({ taskId: id, ...options });
  }

  async executions(id: string): Promise<Execution[]> {
    await this.get(id);
    return this.deps.store.executionList({ taskId: id });
  }

  async artifacts(id: string): Promise<Artifact[]> {
    await this.get(id);
    return this.deps.store.artifactList({ taskId: id });
  }

  wait(id: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Task> {
    this.assertOpen();
    return waitForTask({ get: (taskId) => this.get(taskId), bus: this.deps.bus }, id, options);
  }

  async cancel(id: string, reason = 'cancelled by request'): Promise<Task> {
    this.assertOpen();
    const result = await this.deps.store.taskCancel({ now: this.now(), id, reason });
    const task = this.changed(id, result, 'cancelled');
    if (result.ok && result.immediate)
      this.emitStatus(task.id, task.type, task.queue, result.from, 'cancelled', reason);
    if (result.ok && !result.immediate) for (const w of this.localWorkers) w.abortTask(id);
    return task;
  }

  setPriority(id: string, priority: Priority): Promise<Task> {
    this.assertOpen();
    return setPriority(this.deps.store, this.now(), id, priority);
  }

  delete(id: string): Promise<void> {
    this.assertOpen();
    return deleteTask(this.deps.store, this.dataDir, id);
  }

  async retry(id: string, options: { maxAttempts?: number } = {}): Promise<Task> {
    this.assertOpen();
    const m = options.maxAttempts;
    if (m !== undefined && (!Number.isInteger(m) || m < 1 || m > 1000)) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        'Option "maxAttempts" must be a whole number from 1 to 1000.',
        [{ path: 'maxAttempts', message: 'expected 1..1000' }],
      );
    }
    const result = await this.deps.store.taskRetry({ now: this.now(), id, maxAttempts: m });
    const task = this.changed(id, result, 'queued');
    if (result.ok)
      this.emitStatus(task.id, task.type, task.queue, result.from, 'queued', 'retried');
    for (const w of this.localWorkers) w.wake();
    return task;
  }

  private changed(id: string, result: ChangeResult, to: TaskStatus): Task {
    if (result.ok) return result.task;
    if (result.reason === 'not_found') throw new TaskNotFoundError(id);
    throw new IllegalTransitionError(result.from, result.to ?? to, { taskId: id });
  }

  pauseQueue(name: string): Promise<void> {
    return this.updateQueue(name, { paused: true });
  }

  async resumeQueue(name: string): Promise<void> {
    await this.updateQueue(name, { paused: false });
    for (const w of this.localWorkers) w.wake();
  }

  setQueueConcurrency(name: string, limit: number | null): Promise<void> {
    if (limit !== null && (!Number.isInteger(limit) || limit < 1)) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        'A queue concurrency limit must be a whole number ≥ 1, or null for none.',
        [{ path: 'concurrency', message: 'expected an integer ≥ 1 or null' }],
      );
    }
    return this.updateQueue(name, { concurrency: limit });
  }

  private async updateQueue(
    name: string,
    change: { paused?: boolean; concurrency?: number | null },
  ): Promise<void> {
    this.assertOpen();
    validateQueueName(name, 'name');
    await this.deps.store.queueUpsert({ now: this.now(), name, ...change });
  }

  queues(): Promise<QueueInfo[]> {
    this.assertOpen();
    return this.deps.store.queueList();
  }

  workers(): Promise<WorkerInfo[]> {
    this.assertOpen();
    return this.deps.store.workerList({
      now: this.now(),
      offlineAfterMs: this.deps.workerTimeoutMs ?? 30_000,
    });
  }

  async stats(options: { countsOnly?: boolean } = {}): Promise<TaskmillStats> {
    this.assertOpen();
    const query = statsQuery(this.now());
    // Empty windows: the store reads the counts and nothing of the executions.
    const asked = options.countsOnly
      ? { ...query, since: query.now + 1, sampleSize: 0, hoursSince: query.now + 1 }
      : query;
    const [snap, workers] = await Promise.all([this.deps.store.statsGet(asked), this.workers()]);
    const served = new Set(workers.filter((w) => w.state !== 'offline').flatMap((w) => w.types));
    return summarizeStats(snap, query, served);
  }

  async startWorker(options: WorkerOptions = {}): Promise<WorkerHandle> {
    this.assertOpen();
    const worker = new Worker(this.deps, options);
    this.localWorkers.add(worker);
    await worker.start();
    if (worker.options.handleSignals && !this.removeSignals)
      this.removeSignals = onShutdownSignal(() => this.close());
    return {
      id: worker.id,
      pools: () => worker.pools(),
      stop: async (o) => {
        await worker.stop(o);
        this.localWorkers.delete(worker);
      },
    };
  }

  listening(): boolean | null {
    return this.deps.store.wakeupIsListening?.() ?? null;
  }

  remoteWorkers(options: RemoteWorkersOptions = {}): RemoteWorkers {
    this.assertOpen();
    return new RemoteWorkers(this.deps, options);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.removeSignals?.();
      await Promise.all([...this.localWorkers].map((w) => w.stop()));
      this.localWorkers.clear();
      this.deps.bridge?.detach();
      await this.deps.store.close();
      this.deps.bus.clear();
      if (this.deps.temporaryDataDir) await rm(this.dataDir, { recursive: true, force: true });
    })();
    return this.closing;
  }

  private emitStatus(
    taskId: string,
    type: string,
    queue: string,
    from: TaskStatus | null,
    to: TaskStatus,
    reason: string,
  ): void {
    if (!this.deps.bus.has('task.status')) return;
    this.deps.bus.emit('task.status', {
      taskId,
      type,
      queue,
      from,
      to,
      at: new Date(this.now()),
      reason,
      workerId: null,
    });
  }

  private now(): number {
    return this.deps.clock.now();
  }

  private assertOpen(): void {
    if (this.closing) throw new ClosedError('taskmill instance');
  }
}
