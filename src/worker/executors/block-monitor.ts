import { performance } from 'node:perf_hooks';

/**
 * Notices when the event loop was blocked: a timer that should tick every `tickMs` comes late.
 * The first and the last part of an inline handler are timed where they run (see Executors);
 * this catches the blocks in between and hands them to `onBlocked` with the moment the block
 * began, so that a block already pinned on one handler is not blamed on others.
 */
export class BlockMonitor {
  private timer: NodeJS.Timeout | null = null;
  private last = 0;
  private readonly thresholdMs: number;
  private readonly tickMs: number;
  private readonly onBlocked: (ms: number, since: number) => void;

  constructor(thresholdMs: number, onBlocked: (ms: number, since: number) => void) {
    this.thresholdMs = thresholdMs;
    this.tickMs = Math.max(10, Math.min(100, Math.floor(thresholdMs / 4)));
    this.onBlocked = onBlocked;
  }

  start(): void {
    if (this.timer || this.thresholdMs <= 0) return;
    this.last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = now - this.last - this.tickMs;
      if (late >= this.thresholdMs) this.onBlocked(late, this.last);
      this.last = now;
    }, this.tickMs);
    this.timer.unref();
  }

  /** How late the next tick already is: the time the current turn has held the loop. */
  lateness(): number {
    return this.timer ? performance.now() - this.last - this.tickMs : 0;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
