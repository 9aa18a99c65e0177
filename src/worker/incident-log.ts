import type { EventBus } from '../core/event-bus.ts';

/**
 * While the database is down every claim, heartbeat and sweep fails, many times a second. One
 * warning when failures start and one when an operation succeeds again is what a person needs;
 * the bus carries the same two moments for health checks.
 */
export class IncidentLog {
  private since: number | null = null;
  private readonly bus: EventBus;
  private readonly now: () => number;
  private readonly label: string;

  constructor(bus: EventBus, now: () => number, label: string) {
    this.bus = bus;
    this.now = now;
    this.label = label;
  }

  get failing(): boolean {
    return this.since !== null;
  }

  failure(error: unknown): void {
    if (this.since !== null) return;
    this.since = this.now();
    const message = error instanceof Error ? error.message : String(error);
    process.emitWarning(
      `${this.label}: the database is failing (${message}); retrying until it answers`,
    );
    this.bus.emit('database.unavailable', { error, at: new Date(this.since) });
  }

  success(): void {
    if (this.since === null) return;
    const downMs = this.now() - this.since;
    this.since = null;
    process.emitWarning(
      `${this.label}: the database answers again after ${Math.round(downMs / 100) / 10} s`,
    );
    this.bus.emit('database.recovered', { downMs, at: new Date(this.now()) });
  }
}
