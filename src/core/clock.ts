/**
 * The one source of "now" (milliseconds since the epoch). The worker and the library pass it to
 * every store call, so a test that sets the clock moves time for the SQL as well.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to; for tests. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }
  now(): number {
    return this.current;
  }
  set(at: number | Date): void {
    this.current = typeof at === 'number' ? at : at.getTime();
  }
  advance(ms: number): number {
    this.current += ms;
    return this.current;
  }
}
