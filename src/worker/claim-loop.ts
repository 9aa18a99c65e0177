import type { ClaimedTask } from '../store/contract.ts';

const RETRY_AFTER_ERROR_MS = 1_000;

export interface ClaimLoopDeps {
  /** Claim up to `limit` ready tasks. */
  claim(limit: number): Promise<ClaimedTask[]>;
  /** How many more tasks the worker would take now: its free slots plus its prefetch room,
   * minus the claimed tasks it holds that have not started. */
  wanted(): number;
  /** A slot is free and no claimed task waits for it: claim now, however few are wanted. */
  starving(): boolean;
  onClaimed(tasks: ClaimedTask[]): void;
  onError(error: unknown): void;
  pollMs: number;
  /** Claims that may be on their way to the store at once (one per claim connection). */
  maxInFlight: number;
  /** Below this many wanted, wait for more slots to free unless one starves: a claim per
   * finished task would cost a round trip each. */
  minBatch: number;
  /** At most this many per claim: what more is wanted goes in another claim, in flight at the
   * same time, so the store works on two while the worker runs what the last one brought. */
  maxBatch: number;
}

/**
 * Modes:
 * - idle: the last claim found fewer ready tasks than it asked for; waits for `wake()` (a submit
 *   in this process, a wake-up from another, a finished attempt, a due retry) or the fallback
 *   poll timer, whichever comes first.
 * - claiming: up to `maxInFlight` claims are on their way, each for what is wanted beyond what
 *   the others asked; wakes that arrive meanwhile set `again`, so the loop claims once more
 *   rather than sleeping on a stale "nothing ready".
 * - full: nothing wanted, or less than `minBatch` while every slot has work; a finished attempt
 *   calls `wake()`.
 * A claim that filled what it asked for goes straight on with the next one, so a backlog drains
 * at the store's pace, not the poll's.
 */
export class ClaimLoop {
  private readonly deps: ClaimLoopDeps;
  private running = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** Tasks asked for by the claims in flight. */
  private requested = 0;
  private idle = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;
  private failed = false;

  constructor(deps: ClaimLoopDeps) {
    this.deps = deps;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake();
  }

  /** Stop claiming; resolves when no claim is in flight. Safe to call twice or before start. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** A claim is in flight or due this turn. */
  get pending(): boolean {
    return this.running && (this.inFlight.size > 0 || this.scheduled);
  }

  /** Something may be ready, or a slot freed (which may also let a claim past a queue's
   * concurrency limit): claim soon, if enough is wanted. */
  wake(): void {
    if (!this.running) return;
    if (this.inFlight.size > 0) this.again = true;
    this.idle = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    // Coalesce the wakes of one turn (many attempts ending together) into one claim.
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.tick();
    });
  }

  private tick(): void {
    if (!this.running || this.idle) return;
    while (this.inFlight.size < this.deps.maxInFlight) {
      const want = this.deps.wanted() - this.requested;
      if (want <= 0 || (want < this.deps.minBatch && !this.deps.starving())) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.launch(Math.min(want, this.deps.maxBatch));
    }
  }

  private launch(limit: number): void {
    this.again = false;
    this.requested += limit;
    const flight: Promise<void> = this.deps
      .claim(limit)
      .then(
        (tasks) => {
          if (tasks.length > 0) this.deps.onClaimed(tasks);
          return tasks.length >= limit;
        },
        (error: unknown) => {
          this.deps.onError(error);
          this.failed = true;
          return false;
        },
      )
      .then((filled) => {
        this.requested -= limit;
        this.inFlight.delete(flight);
        if (!this.running) return;
        if (filled || this.again) {
          this.idle = false;
          this.schedule();
        } else if (this.inFlight.size === 0) {
          this.idle = true;
          this.sleep();
        }
      });
    this.inFlight.add(flight);
  }

  private sleep(): void {
    if (this.timer) clearTimeout(this.timer);
    // After a failed claim (the database is down) try again within a second, whatever the poll:
    // a wake-up that should have announced the database's return may itself have been lost.
    const delay = this.failed ? Math.min(this.deps.pollMs, RETRY_AFTER_ERROR_MS) : this.deps.pollMs;
    this.failed = false;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, delay);
  }
}
