import type { ClaimedTask } from '../store/contract.ts';

const RETRY_AFTER_ERROR_MS = 1_000;

export interface ClaimLoopDeps {
  /** Claim up to `limit` ready tasks. */
  claim(limit: number): Promise<ClaimedTask[]>;
  freeSlots(): number;
  onClaimed(tasks: ClaimedTask[]): void;
  onError(error: unknown): void;
  pollMs: number;
}

/**
 * Modes:
 * - idle: nothing ready was found; waits for `wake()` (a submit in this process, a finished
 *   attempt, a due retry) or the fallback poll timer, whichever comes first.
 * - claiming: one claim is in flight; wakes that arrive meanwhile set `again`, so the loop
 *   claims once more right after instead of sleeping on a stale "nothing ready".
 * - full: no free slot; a finished attempt calls `wake()`.
 * A claim that filled every slot it asked for goes straight on with the next one, so a backlog
 * drains at the store's pace, not the poll's.
 */
export class ClaimLoop {
  private readonly deps: ClaimLoopDeps;
  private running = false;
  private inFlight: Promise<void> | null = null;
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
    await this.inFlight;
  }

  /** A claim is in flight or due this turn. */
  get pending(): boolean {
    return this.running && (this.inFlight !== null || this.scheduled);
  }

  wake(): void {
    if (!this.running) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    if (this.scheduled) return;
    // Coalesce the wakes of one turn (many attempts ending together) into one claim.
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.tick();
    });
  }

  private tick(): void {
    if (!this.running || this.inFlight) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const free = this.deps.freeSlots();
    if (free <= 0) return;
    this.again = false;
    this.inFlight = this.deps
      .claim(free)
      .then(
        (tasks) => {
          if (tasks.length > 0) this.deps.onClaimed(tasks);
          return tasks.length >= free;
        },
        (error) => {
          this.deps.onError(error);
          this.failed = true;
          return false;
        },
      )
      .then((filled) => {
        this.inFlight = null;
        if (!this.running) return;
        if (filled || this.again) this.wake();
        else this.sleep();
      });
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
