import { hostname } from 'node:os';
import type { Clock } from '../core/clock.ts';
import type { AnyTaskDefinition } from '../core/define-task.ts';
import type { EventBus } from '../core/event-bus.ts';
import { uuidv7 } from '../core/ids.ts';
import { checkOptions } from '../core/options-check.ts';
import type { Service, ServiceHandle, ServiceRunner } from '../core/service.ts';
import { VERSION } from '../core/version.ts';
import type { ClaimedTask, Store } from '../store/contract.ts';
import { ClaimLoop } from './claim-loop.ts';
import { Executors } from './executors/executors.ts';
import type { PoolSnapshot } from './executors/member-pool.ts';
import { GracePeriod } from './grace-period.ts';
import { HeldTasks } from './held-tasks.ts';
import { IncidentLog } from './incident-log.ts';
import { MemorySampler } from './memory-sampler.ts';
import type { RetentionRules } from './retention.ts';
import { RunningAttempt } from './run-attempt.ts';
import { SettleBatcher } from './settle-batcher.ts';
import { emitClaimed } from './status-events.ts';
import type { StepPreparer } from './step-plan.ts';
import type { WorkerOptions } from './types.ts';
import {
  type ResolvedWorkerOptions,
  resolveWorkerOptions,
  STOP_OPTIONS_SPEC,
} from './worker-options.ts';
import { workerServices } from './worker-services.ts';
import { WriteBuffer } from './write-buffer.ts';

export interface WorkerDeps {
  store: Store;
  bus: EventBus;
  clock: Clock;
  definitions: ReadonlyMap<string, AnyTaskDefinition>;
  dataDir: string;
  retention: RetentionRules;
  /** Where the worker's heartbeat, sweeper and retention run, from its start to its stop. */
  services: ServiceRunner;
  /** Prepares pipeline steps before their handlers run (src/worker/step-plan.ts). */
  steps?: StepPreparer;
}

/**
 * One worker: claims ready tasks up to its free slots, runs them, renews their leases on every
 * heartbeat, recovers tasks of dead workers, applies retention, and shuts down gracefully.
 */
export class Worker {
  readonly id = uuidv7();
  readonly options: ResolvedWorkerOptions;
  private readonly deps: WorkerDeps;
  /** Attempts until they are settled. */
  private readonly active = new Map<string, RunningAttempt>();
  /** Attempts whose handler still holds a slot. */
  private busy = 0;
  private readonly held: HeldTasks;
  /** Free slots the claims in flight may fill (see `claim`). */
  private promisedFree = 0;
  private readonly memory = new MemorySampler();
  private readonly buffer: WriteBuffer;
  private readonly batcher: SettleBatcher;
  private readonly loop: ClaimLoop;
  private readonly periodic: Service[];
  private running: ServiceHandle[] = [];
  private alarm: { at: number; timer: NodeJS.Timeout } | null = null;
  private stopping: Promise<void> | null = null;
  private grace: GracePeriod | null = null;
  private unsubscribeWakeups: (() => void) | null = null;
  private state: 'online' | 'draining' = 'online';
  private readonly incident: IncidentLog;
  private readonly executors: Executors;
  private lastClaimMs = 0;

  constructor(deps: WorkerDeps, options: WorkerOptions = {}) {
    this.deps = deps;
    this.options = resolveWorkerOptions(options);
    const now = () => deps.clock.now();
    this.incident = new IncidentLog(deps.bus, now, `taskmill worker ${this.options.name}`);
    this.executors = new Executors(this.options.executors, { ...deps, now }, (ms) => {
      for (const attempt of this.active.values()) attempt.blocked(ms);
    });
    const onError = (error: unknown) => this.incident.failure(error);
    this.buffer = new WriteBuffer({
      store: deps.store,
      now,
      onLost: (ids) => this.leaseLost(ids, 'progress/log'),
      onError,
    });
    this.batcher = new SettleBatcher({
      store: deps.store,
      now,
      workerId: this.id,
      claimPending: () => this.loop.pending,
    });
    this.held = new HeldTasks({
      batcher: this.batcher,
      bus: deps.bus,
      memory: this.memory,
      now,
      workerId: this.id,
      onError,
    });
    const { concurrency, prefetch } = this.options;
    this.loop = new ClaimLoop({
      claim: (limit) => this.claim(limit),
      wanted: () => concurrency + prefetch - this.busy - this.held.size,
      starving: () => this.busy < concurrency && this.held.size === 0,
      onClaimed: (tasks) => this.onClaimed(tasks),
      onError,
      pollMs: this.options.pollMs,
      maxInFlight: deps.store.capabilities.parallelClaims,
      minBatch: Math.max(1, Math.ceil(concurrency / 4)),
      maxBatch: Math.max(1, 2 * concurrency),
    });
    this.periodic = workerServices({
      ...deps,
      options: this.options,
      workerId: this.id,
      beat: () => this.beat(),
      onError,
    });
  }

  get load(): number {
    return this.busy;
  }

  /** Tasks claimed ahead of a free slot, not started yet. */
  get holding(): number {
    return this.held.size;
  }

  /** Remote task types are for remote workers: this worker has no handler for them. */
  private get types(): string[] {
    return [...this.deps.definitions.values()]
      .filter((d) => d.executor !== 'remote')
      .map((d) => d.name);
  }

  async start(): Promise<void> {
    await this.register();
    this.memory.start();
    this.executors.start();
    this.running = this.periodic.map((service) => this.deps.services.add(service));
    this.loop.start();
    this.unsubscribeWakeups =
      this.deps.store.wakeupSubscribe?.({
        listener: () => this.loop.wake(),
      }) ?? null;
    this.deps.bus.emit('worker.started', {
      workerId: this.id,
      concurrency: this.options.concurrency,
    });
  }

  /** The thread and process pools this worker started, with their members. */
  pools(): PoolSnapshot[] {
    return this.executors.snapshot();
  }

  /** Something may be ready: claim now rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /** Abort a task this worker is running (a cancel made in this process). */
  abortTask(taskId: string): boolean {
    const attempt = this.active.get(taskId);
    if (!attempt) return this.held.cancel(new Set([taskId])).length > 0;
    attempt.abort('cancel');
    return true;
  }

  /**
   * Stop gracefully. Called again while stopping with `graceMs`, the grace period ends that
   * long from now instead (a second SIGTERM: release what still runs at once, not wait).
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    checkOptions(STOP_OPTIONS_SPEC, options);
    const graceMs = options.graceMs ?? this.options.shutdownGraceMs;
    if (this.stopping) {
      if (options.graceMs !== undefined) this.grace?.shorten(graceMs);
      return this.stopping;
    }
    this.stopping = this.shutdown(graceMs);
    return this.stopping;
  }

  private async shutdown(graceMs: number): Promise<void> {
    // The grace period counts from the call, not from the store's answer: a slow database must
    // neither lengthen it nor lose a second stop's `shorten` that arrives meanwhile.
    this.grace = new GracePeriod(graceMs);
    this.state = 'draining';
    this.unsubscribeWakeups?.();
    await this.loop.stop();
    this.held.giveBackAll('released at shutdown (claimed ahead, not started)');
    await this.register().catch(() => undefined);
    const drained = Promise.all([...this.active.values()].map((a) => a.done));
    await Promise.race([drained, this.grace.over]);
    this.grace.clear();
    // Past the grace period: abort what still runs and give it back without using an attempt.
    for (const attempt of this.active.values()) attempt.abort('shutdown');
    await Promise.all([...this.active.values()].map((a) => a.done));
    await this.batcher.drain();
    await this.buffer.flush();
    if (this.alarm) clearTimeout(this.alarm.timer);
    this.alarm = null;
    await Promise.all(this.running.map((service) => service.stop()));
    this.running = [];
    this.memory.stop();
    await this.executors.close();
    await this.deps.store.workerDelete({ id: this.id }).catch(() => undefined);
    this.deps.bus.emit('worker.stopped', { workerId: this.id });
  }

  /** Claim, carrying the attempts that ended meanwhile: one round trip settles and claims. */
  private async claim(limit: number): Promise<ClaimedTask[]> {
    // Slots free now and not promised to another claim in flight: what this claim's first
    // tasks start in (a crashed task is taken only for those).
    const free = Math.min(
      limit,
      Math.max(0, this.options.concurrency - this.busy - this.held.size - this.promisedFree),
    );
    this.promisedFree += free;
    const claim = {
      limit,
      free,
      types: this.types,
      queues: this.options.queues,
      leaseMs: this.options.leaseMs,
    };
    const now = this.deps.clock.now();
    const started = performance.now();
    const taken = this.batcher.take();
    try {
      const { results, claimed } = taken
        ? await this.deps.store.taskSettleClaim({
            now,
            workerId: this.id,
            items: taken.items,
            claim,
          })
        : {
            results: [],
            claimed: await this.deps.store.taskClaim({ now, workerId: this.id, ...claim }),
          };
      taken?.settled(results);
      this.lastClaimMs = performance.now() - started;
      this.incident.success();
      if (claimed.length < limit) void this.alarmForNextDue(now);
      return claimed;
    } catch (error) {
      taken?.failed(error);
      throw error;
    } finally {
      this.promisedFree -= free;
    }
  }

  private onClaimed(tasks: ClaimedTask[]): void {
    if (this.stopping) {
      this.held.giveBack(tasks, 'released at shutdown (claimed as the worker stopped)');
      return;
    }
    this.deps.bus.emit('claim.batch', {
      workerId: this.id,
      count: tasks.length,
      ms: this.lastClaimMs,
    });
    this.held.push(tasks);
    this.startHeld();
  }

  /** Start claimed tasks, in claim order, while slots are free. */
  private startHeld(): void {
    const n = Math.min(this.options.concurrency - this.busy, this.held.size);
    if (n > 0) this.startAttempts(this.held.take(n));
  }

  private startAttempts(tasks: ClaimedTask[]): void {
    const { bus, definitions } = this.deps;
    const attemptDeps = {
      ...this.deps,
      now: () => this.deps.clock.now(),
      buffer: this.buffer,
      batcher: this.batcher,
      memory: this.memory,
      executors: this.executors,
      workerId: this.id,
      leaseMs: this.options.leaseMs,
      onStoreError: (error: unknown) => this.incident.failure(error),
    };
    for (const claimed of tasks) {
      const def = definitions.get(claimed.task.type);
      if (!def) continue; // cannot happen: claims name only known types
      emitClaimed(bus, this.id, claimed, this.deps.clock.now());
      this.busy++;
      const attempt = new RunningAttempt(claimed, def, attemptDeps, () => {
        this.busy--;
        this.startHeld();
        this.loop.wake();
      });
      this.active.set(claimed.task.id, attempt);
      void attempt.done.then((retryAt) => {
        this.active.delete(claimed.task.id);
        if (retryAt !== null) this.setAlarm(retryAt);
        this.loop.wake();
      });
    }
  }

  /**
   * Wake at `at` rather than at the next poll: a retry this process scheduled, or the next
   * delayed task the store knows of. One alarm, always the earliest.
   */
  private setAlarm(at: number): void {
    if (this.stopping || (this.alarm && this.alarm.at <= at)) return;
    if (this.alarm) clearTimeout(this.alarm.timer);
    const timer = setTimeout(
      () => {
        this.alarm = null;
        this.loop.wake();
      },
      Math.max(0, at - this.deps.clock.now()),
    );
    this.alarm = { at, timer };
  }

  /** After a claim that found less than it asked for: is something due before the next poll? */
  private async alarmForNextDue(now: number): Promise<void> {
    try {
      const next = await this.deps.store.taskGetNextRunAt({
        now,
        types: this.types,
        queues: this.options.queues,
      });
      if (next !== null && next - now < this.options.pollMs) this.setAlarm(next);
    } catch (error) {
      this.incident.failure(error);
    }
  }

  private leaseLost(taskIds: string[], what: string): void {
    this.held.drop(new Set(taskIds));
    for (const id of taskIds) {
      const attempt = this.active.get(id);
      // Once the handler has ended, its settle reports a lost lease itself ('result'); a renewal
      // or log write that lost only because that settle committed first has lost nothing.
      if (!attempt || attempt.handlerEnded) continue;
      this.deps.bus.emit('lease.lost', {
        taskId: id,
        type: attempt.claimed.task.type,
        workerId: this.id,
        what,
      });
      attempt.abort('lease_lost');
    }
  }

  private async beat(): Promise<void> {
    const leases = [...this.active.values()]
      // Until the outcome is stored: a settle retried through an outage needs its lease.
      .filter((a) => !a.settled && a.aborted !== 'lease_lost')
      .map((a) => ({ id: a.taskId, token: a.claimed.leaseToken }));
    leases.push(...this.held.leases());
    if (leases.length > 0) {
      const { lost, cancelRequested } = await this.deps.store.leaseRenew({
        now: this.deps.clock.now(),
        workerId: this.id,
        leaseMs: this.options.leaseMs,
        leases,
      });
      this.leaseLost(lost, 'heartbeat');
      for (const id of cancelRequested) this.active.get(id)?.abort('cancel');
      if (cancelRequested.length > 0) this.held.cancel(new Set(cancelRequested));
    }
    await this.register();
    this.incident.success();
  }

  private register(): Promise<void> {
    const o = this.options;
    return this.deps.store.workerUpsert({
      now: this.deps.clock.now(),
      worker: {
        id: this.id,
        name: o.name,
        host: hostname(),
        pid: process.pid,
        concurrency: o.concurrency,
        types: this.types,
        queues: o.queues,
        version: VERSION,
        load: this.busy,
        rssBytes: this.memory.current(),
        state: this.state,
      },
    });
  }
}
