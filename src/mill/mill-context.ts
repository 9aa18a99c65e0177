import { rm } from 'node:fs/promises';
import { ClosedError } from '../core/errors.ts';
import type { TaskStatus } from '../core/status.ts';
import type { Store } from '../store/contract.ts';
import type { Worker, WorkerDeps } from '../worker/worker.ts';
import type { EventBridge } from './event-bridge.ts';
import { SchedulerControl, type SchedulerSettings } from './scheduler-control.ts';
import type { ServiceHost } from './service-host.ts';

/** What a worker needs, and what the library adds around it. */
export interface MillDeps extends WorkerDeps {
  /** Runs the periodic services of this process (each worker's heartbeat, sweeper, retention). */
  services: ServiceHost;
  workerTimeoutMs?: number;
  /** Carries task events to and from other processes, where the store can. */
  bridge?: EventBridge | null;
  /** Delete `dataDir` on close (made for an in-memory database). */
  temporaryDataDir?: boolean;
  /** The `scheduler` option of createTaskmill. */
  scheduler?: SchedulerSettings;
}

/**
 * What every part of the library API shares: the dependencies, the workers this process runs,
 * the time, and being open or closed. Each concern (tasks, queues, workers, stats, …) is a file
 * of its own that takes this context; `createTaskmill` puts them together.
 */
export class MillContext {
  readonly deps: MillDeps;
  /** Workers started in this process: woken by submits here, stopped on close. */
  readonly localWorkers = new Set<Worker>();
  /** Set once a worker asked for SIGINT/SIGTERM handling. */
  removeSignals: (() => void) | null = null;
  /** This process's scheduler (not running until a worker or `startScheduler` starts it). */
  readonly scheduler: SchedulerControl;
  private closing: Promise<void> | null = null;

  constructor(deps: MillDeps) {
    this.deps = deps;
    this.scheduler = new SchedulerControl(
      { ...deps, onTasks: () => this.wakeWorkers() },
      deps.services,
      deps.scheduler,
    );
  }

  get store(): Store {
    return this.deps.store;
  }

  now(): number {
    return this.deps.clock.now();
  }

  assertOpen(): void {
    if (this.closing) throw new ClosedError('taskmill instance');
  }

  /** Something may be ready now: local workers claim without waiting for their next poll. */
  wakeWorkers(): void {
    for (const worker of this.localWorkers) worker.wake();
  }

  /** A status change made here, not by a worker (submit, cancel of a waiting task, retry). */
  emitStatus(
    task: { id: string; type: string; queue: string },
    from: TaskStatus | null,
    to: TaskStatus,
    reason: string,
  ): void {
    if (!this.deps.bus.has('task.status')) return;
    this.deps.bus.emit('task.status', {
      taskId: task.id,
      type: task.type,
      queue: task.queue,
      from,
      to,
      at: new Date(this.now()),
      reason,
      workerId: null,
    });
  }

  /** Workers first (with their grace period), then the services, the events, the database. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.removeSignals?.();
      await Promise.all([...this.localWorkers].map((w) => w.stop()));
      this.localWorkers.clear();
      await this.deps.services.stop();
      this.deps.bridge?.detach();
      await this.deps.store.close();
      this.deps.bus.clear();
      if (this.deps.temporaryDataDir) await rm(this.deps.dataDir, { recursive: true, force: true });
    })();
    return this.closing;
  }
}
