/**
 * This process's scheduler: started with the first `startWorker()` (unless the `scheduler`
 * option says `enabled: false`) or by `startScheduler()`, run by the service host, stopped on
 * close with the other services.
 */
import { is, type OptionSpec, optionSpec } from '../core/options-check.ts';
import type { ServiceHandle } from '../core/service.ts';
import {
  Scheduler,
  type SchedulerDeps,
  type SchedulerOptions,
  type SchedulerPass,
} from '../scheduler/scheduler.ts';
import { TickRetention } from '../scheduler/tick-retention.ts';
import type { ServiceHost } from './service-host.ts';

export interface SchedulerSettings {
  /** Start the scheduler with this process's first `startWorker()`. Default true;
   * `startScheduler()` starts it either way. */
  enabled?: boolean;
  /** Time between passes. Default 1,000 ms. */
  pollMs?: number;
  /** A tick older than this when a pass sees it was missed while no scheduler ran: the
   * schedule's catch-up policy decides what becomes of it. Default 60,000 ms. */
  lateAfterMs?: number;
  /** Tick records (`runs`, and the stats and daily report made from them) are kept this long,
   * then deleted by a retention service that runs with the scheduler. Default 30 days. */
  keepRunsMs?: number;
}

/** The scheduler of this process, once started. */
export interface SchedulerHandle {
  /** Run a pass now (after one in flight), and say what it did. */
  pass(): Promise<SchedulerPass>;
  /** Stop its passes (waiting for one in flight); the schedules stay. */
  stop(): Promise<void>;
}

export const SCHEDULER_SPEC: OptionSpec = optionSpec<SchedulerSettings>({
  enabled: is.boolean,
  pollMs: is.ms(1),
  lateAfterMs: is.ms(0),
  keepRunsMs: is.ms(1),
});

export class SchedulerControl {
  readonly scheduler: Scheduler;
  readonly retention: TickRetention;
  /** Whether the first worker starts it. */
  readonly withWorkers: boolean;
  private readonly services: ServiceHost;
  private handles: ServiceHandle[] | null = null;

  constructor(deps: SchedulerDeps, services: ServiceHost, settings: SchedulerSettings = {}) {
    const options: SchedulerOptions = {};
    if (settings.pollMs !== undefined) options.pollMs = settings.pollMs;
    if (settings.lateAfterMs !== undefined) options.lateAfterMs = settings.lateAfterMs;
    this.scheduler = new Scheduler(deps, options);
    this.retention = new TickRetention(deps.store, deps.clock, settings.keepRunsMs);
    this.services = services;
    this.withWorkers = settings.enabled ?? true;
  }

  get running(): boolean {
    return this.handles !== null;
  }

  /** Start it (and the retention of its tick records) once; a second call returns a handle to
   * the same scheduler. */
  start(): SchedulerHandle {
    this.handles ??= [
      this.services.add(this.scheduler.service()),
      this.services.add(this.retention.service()),
    ];
    return {
      pass: () => this.scheduler.pass(),
      stop: async () => {
        const handles = this.handles ?? [];
        this.handles = null;
        await Promise.all(handles.map((h) => h.stop()));
      },
    };
  }
}
