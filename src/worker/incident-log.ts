import type { EventBus } from '../core/event-bus.ts';

/** How long the database must keep answering, with no failure between, to end an incident. */
export const RECOVERY_CONFIRM_MS = 1_000;

/**
 * While the database is down every claim, heartbeat and sweep fails, many times a second. One
 * warning when failures start and one when the database answers again is what a person needs;
 * the bus carries the same two moments for health checks.
 *
 * The end is told only once operations have kept succeeding for `RECOVERY_CONFIRM_MS`: after a
 * server restart the first query on a new connection can succeed while a pooled connection the
 * restart ended has yet to fail, and telling the end at that first success turned one outage
 * into two reports. The end is dated at that first success all the same.
 */
export class IncidentLog {
  private since: number | null = null;
  /** The first success of the current run of successes, while failing. */
  private answering: number | null = null;
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
    if (this.since !== null) {
      this.answering = null;
      return;
    }
    this.since = this.now();
    const message = error instanceof Error ? error.message : String(error);
    process.emitWarning(
      `${this.label}: the database is failing (${message}); retrying until it answers`,
    );
    this.bus.emit('database.unavailable', { error, at: new Date(this.since) });
  }

  success(): void {
    if (this.since === null) return;
    const now = this.now();
    if (this.answering === null) this.answering = now;
    if (now - this.answering < RECOVERY_CONFIRM_MS) return;
    const at = this.answering;
    const downMs = at - this.since;
    this.since = null;
    this.answering = null;
    process.emitWarning(
      `${this.label}: the database answers again after ${Math.round(downMs / 100) / 10} s`,
    );
    this.bus.emit('database.recovered', { downMs, at: new Date(at) });
  }
}
