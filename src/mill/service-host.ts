import type { Clock } from '../core/clock.ts';
import { TaskmillError } from '../core/errors.ts';
import type {
  Service,
  ServiceHandle,
  ServiceRunner,
  ServiceStatus,
  Timers,
} from '../core/service.ts';
import { systemTimers } from '../core/service.ts';

export interface ServiceHostOptions {
  clock: Clock;
  timers?: Timers;
  /** Told of a failed run of a service that has no `onError` of its own. */
  onError?: (service: string, error: unknown) => void;
}

/**
 * The one owner of a process's periodic services. Each service runs every `everyMs`, never two
 * runs of it at once; a failed run is reported and the next one still happens. `stop()` stops
 * every service and waits for the runs in flight; a worker's services leave with the worker.
 */
export class ServiceHost implements ServiceRunner {
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly onError: (service: string, error: unknown) => void;
  private readonly running = new Set<ScheduledService>();
  private stopped = false;

  constructor(options: ServiceHostOptions) {
    this.clock = options.clock;
    this.timers = options.timers ?? systemTimers;
    this.onError =
      options.onError ??
      ((service, error) => {
        const message = error instanceof Error ? error.message : String(error);
        console.error(`taskmill: service ${service} failed: ${message}`);
      });
  }

  add(service: Service): ServiceHandle {
    if (this.stopped) {
      throw new TaskmillError(
        'MILL_CLOSED',
        `Service "${service.name}" cannot start: its process is shutting down.`,
      );
    }
    const scheduled = new ScheduledService(service, this.clock, this.timers, (error) =>
      service.onError ? service.onError(error) : this.onError(service.name, error),
    );
    this.running.add(scheduled);
    scheduled.start();
    return {
      runNow: () => scheduled.runNow(),
      stop: async () => {
        this.running.delete(scheduled);
        await scheduled.stop();
      },
    };
  }

  /** The services running now, in the order they were added. */
  status(): ServiceStatus[] {
    return [...this.running].map((s) => s.status());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.running];
    this.running.clear();
    await Promise.all(all.map((s) => s.stop()));
  }
}

class ScheduledService {
  private readonly service: Service;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly report: (error: unknown) => void;
  private timer: unknown = null;
  private inFlight: Promise<void> | null = null;
  private active = false;
  private readonly counts: Omit<ServiceStatus, 'name' | 'everyMs'> = {
    runs: 0,
    failures: 0,
    lastRunAt: null,
    lastError: null,
  };

  constructor(service: Service, clock: Clock, timers: Timers, report: (error: unknown) => void) {
    this.service = service;
    this.clock = clock;
    this.timers = timers;
    this.report = report;
  }

  start(): void {
    this.active = true;
    if (this.service.immediately) void this.runNow();
    else this.schedule();
  }

  runNow(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.cancelTimer();
    this.inFlight = this.runOnce().finally(() => {
      this.inFlight = null;
      if (this.active) this.schedule();
    });
    return this.inFlight;
  }

  async stop(): Promise<void> {
    this.active = false;
    this.cancelTimer();
    await this.inFlight;
  }

  status(): ServiceStatus {
    return { name: this.service.name, everyMs: this.service.everyMs, ...this.counts };
  }

  private async runOnce(): Promise<void> {
    this.counts.runs++;
    try {
      await this.service.run();
      this.counts.lastError = null;
    } catch (error) {
      this.counts.failures++;
      this.counts.lastError = error instanceof Error ? error.message : String(error);
      this.report(error);
    } finally {
      this.counts.lastRunAt = this.clock.now();
    }
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.runNow();
    }, this.service.everyMs);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
