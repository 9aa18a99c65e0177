import { hostname } from 'node:os';
import type { Clock } from '../core/clock.ts';
import type { AnyTaskDefinition } from '../core/define-task.ts';
import type { EventBus } from '../core/event-bus.ts';
import { uuidv7 } from '../core/ids.ts';
import { VERSION } from '../core/version.ts';
import type { ClaimedTask, Store } from '../store/contract.ts';
import { ClaimLoop } from './claim-loop.ts';
import { Executors } from './executors/executors.ts';
import type { PoolSnapshot } from './executors/member-pool.ts';
import { IncidentLog } from './incident-log.ts';
import { reapExpiredLeases } from './lease-reaper.ts';
import { MemorySampler } from './memory-sampler.ts';
import { Periodic } from './periodic.ts';
import { applyRetention, type RetentionRules } from './retention.ts';
import { RunningAttempt } from './run-attempt.ts';
import { SettleBatcher } from './settle-batcher.ts';
import { emitClaimed } from './status-events.ts';
import type { WorkerOptions } from './types.ts';
import { WriteBuffer } from './write-buffer.ts';

export interface WorkerDeps {
  store: Store;
  bus: EventBus;
  clock: Clock;
  definitions: ReadonlyMap<string, AnyTaskDefinition>;
  dataDir: string;
  retention: RetentionRules;
}

type Resolved = Required<Omit<WorkerOptions, 'queues' | 'name'>> & {
  queues: string[] | null;
  name: string;
};

function resolveOptions(o: WorkerOptions): Resolved {
  const leaseMs = o.leaseMs ?? 30_000;
  return {
    concurrency: o.concurrency ?? 10,
    queues: o.queues && o.queues.length > 0 ? o.queues : null,
    name: o.name ?? `${hostname()}:${process.pid}`,
    leaseMs,
    // Cancels made in other processes arrive with the heartbeat, so it stays short.
    heartbeatMs: o.heartbeatMs ?? Math.max(10, Math.min(2000, Math.floor(leaseMs / 3))),
    pollMs: o.pollMs ?? 500,
    sweepMs: o.sweepMs ?? Math.max(10, Math.floor(leaseMs / 2)),
    crashLimit: o.crashLimit ?? 3,
    shutdownGraceMs: o.shutdownGraceMs ?? 10_000,
    handleSignals: o.handleSignals ?? true,
    retentionMs: o.retentionMs ?? 60_000,
    executors: o.executors ?? {},
  };
}

/**
 * One worker: claims ready tasks up to its free slots, runs them, renews their leases on every
 * heartbeat, recovers tasks of dead workers, applies retention, and shuts down gracefully.
 */
export class Worker {
  readonly id = uuidv7();
  readonly options: Resolved;
  private readonly deps: WorkerDeps;
  /** Attempts until they are settled. */
  private readonly active = new Map<string, RunningAttempt>();
  /** Attempts whose handler still holds a slot. */
  private busy = 0;
  private readonly memory = new MemorySampler();
  private readonly buffer: WriteBuffer;
  private readonly batcher: SettleBatcher;
  private readonly loop: ClaimLoop;
  private readonly heartbeat: Periodic;
  private readonly sweeper: Periodic;
  private readonly retention: Periodic;
  private alarm: { at: number; timer: NodeJS.Timeout } | null = null;
  private stopping: Promise<void> | null = null;
  private unsubscribeWakeups: (() => void) | null = null;
  private state: 'online' | 'draining' = 'online';
  private readonly incident: IncidentLog;
  private readonly executors: Executors;
  private lastClaimMs = 0;

  constructor(deps: WorkerDeps, options: WorkerOptions = {}) {
    this.deps = deps;
    this.options = resolveOptions(options);
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
    this.loop = new ClaimLoop({
      claim: (limit) => this.claim(limit),
      freeSlots: () => this.options.concurrency - this.busy,
      onClaimed: (tasks) => this.startAttempts(tasks),
      onError,
      pollMs: this.options.pollMs,
    });
    this.heartbeat = new Periodic(() => this.beat(), this.options.heartbeatMs, onError);
    this.sweeper = new Periodic(
      async () => {
        await reapExpiredLeases({
          store: deps.store,
          bus: deps.bus,
          now,
          workerId: this.id,
          crashLimit: this.options.crashLimit,
        });
      },
      this.options.sweepMs,
      onError,
    );
    this.retention = new Periodic(
      async () => {
        await applyRetention({
          store: deps.store,
          bus: deps.bus,
          now,
          rules: deps.retention,
          dataDir: deps.dataDir,
        });
      },
      this.options.retentionMs,
      onError,
    );
  }

  get load(): number {
    return this.busy;
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
    this.heartbeat.start();
    this.executors.start();
    this.sweeper.start({ immediately: true });
    if (Object.keys(this.deps.retention).length > 0) this.retention.start({ immediately: true });
    this.loop.start();
    this.unsubscribeWakeups = this.deps.store.wakeupSubscribe?.(() => this.loop.wake()) ?? null;
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
    if (!attempt) return false;
    attempt.abort('cancel');
    return true;
  }

  stop(options: { graceMs?: number } = {}): Promise<void> {
    this.stopping ??= this.shutdown(options.graceMs ?? this.options.shutdownGraceMs);
    return this.stopping;
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.state = 'draining';
    this.unsubscribeWakeups?.();
    await this.loop.stop();
    await this.register().catch(() => undefined);
    const drained = Promise.all([...this.active.values()].map((a) => a.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    // Past the grace period: abort what still runs and give it back without using an attempt.
    for (const attempt of this.active.values()) attempt.abort('shutdown');
    await Promise.all([...this.active.values()].map((a) => a.done));
    await this.batcher.drain();
    await this.buffer.flush();
    if (this.alarm) clearTimeout(this.alarm.timer);
    this.alarm = null;
    await Promise.all([this.heartbeat.stop(), this.sweeper.stop(), this.retention.stop()]);
    this.memory.stop();
    await this.executors.close();
    await this.deps.store.workerRemove({ id: this.id }).catch(() => undefined);
    this.deps.bus.emit('worker.stopped', { workerId: this.id });
  }

  /** Claim, carrying the attempts that ended meanwhile: one transaction settles and claims. */
  private async claim(limit: number): Promise<ClaimedTask[]> {
    const claim = {
      limit,
      types: this.types,
      queues: this.options.queues,
      leaseMs: this.options.leaseMs,
    };
    const now = this.deps.clock.now();
    const started = performance.now();
    const taken = this.batcher.take();
    if (!taken) {
      const claimed = await this.deps.store.taskClaim({ now, workerId: this.id, ...claim });
      this.lastClaimMs = performance.now() - started;
      this.incident.success();
      if (claimed.length < limit) void this.alarmForNextDue(now);
      return claimed;
    }
    try {
      const { results, claimed } = await this.deps.store.taskSettleClaim({
        now,
        workerId: this.id,
        items: taken.items,
        claim,
      });
      taken.settled(results);
      this.lastClaimMs = performance.now() - started;
      this.incident.success();
      if (claimed.length < limit) void this.alarmForNextDue(now);
      return claimed;
    } catch (error) {
      taken.failed(error);
      throw error;
    }
  }

  private startAttempts(tasks: ClaimedTask[]): void {
    if (this.stopping) {
      this.giveBack(tasks);
      return;
    }
    const { bus, definitions } = this.deps;
    bus.emit('claim.batch', { workerId: this.id, count: tasks.length, ms: this.lastClaimMs });
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
   * Tasks a claim took while the worker was told to stop (the claim was on its way to the
   * database): no handler may start after the signal, so they go straight back, without using
   * an attempt. Shutdown waits for these settles with the rest (`batcher.drain`).
   */
  private giveBack(tasks: ClaimedTask[]): void {
    for (const c of tasks) {
      void this.batcher
        .settle({
          id: c.task.id,
          token: c.leaseToken,
          to: 'queued',
          outcome: 'released',
          reason: 'released at shutdown (claimed as the worker stopped)',
          refundAttempt: true,
          metrics: { durationMs: 0, peakRssBytes: this.memory.current() },
        })
        .catch((error: unknown) => this.incident.failure(error));
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
      const next = await this.deps.store.taskNextRunAt({
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
    for (const id of taskIds) {
      const attempt = this.active.get(id);
      // Once the handler has ended, its settle reports a lost lease itself ('result'); a renewal
      // or log write that lost only because that settle committed first has lost nothing.
      if (!attempt || attempt.handlerEnded) continue;
      this.deps.bus.emit('lease.lost', { taskId: id, workerId: this.id, what });
      attempt.abort('lease_lost');
    }
  }

  private async beat(): Promise<void> {
    const leases = [...this.active.values()]
      // Until the outcome is stored: a settle retried through an outage needs its lease.
      .filter((a) => !a.settled && a.aborted !== 'lease_lost')
      .map((a) => ({ id: a.taskId, token: a.claimed.leaseToken }));
    if (leases.length > 0) {
      const { lost, cancelRequested } = await this.deps.store.leaseRenew({
        now: this.deps.clock.now(),
        workerId: this.id,
        leaseMs: this.options.leaseMs,
        leases,
      });
      this.leaseLost(lost, 'heartbeat');
      for (const id of cancelRequested) this.active.get(id)?.abort('cancel');
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
