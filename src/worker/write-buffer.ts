import type { LogLevel } from '../core/task.ts';
import type { Store } from '../store/contract.ts';

interface PendingLog {
  taskId: string;
  token: string;
  attempt: number;
  level: LogLevel;
  message: string;
}

interface PendingProgress {
  id: string;
  token: string;
  percent: number;
  message: string | null;
}

/**
 * Progress and log lines are written in batches: a handler that reports on every item should not
 * cost a transaction per call. Progress keeps only the latest value per task. A flush happens on
 * a short timer, and before an attempt is settled so its logs land before its end.
 */
export class WriteBuffer {
  private logs: PendingLog[] = [];
  private progress = new Map<string, PendingProgress>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<string>();
  private readonly store: Store;
  private readonly now: () => number;
  private readonly onLost: (taskIds: string[]) => void;
  private readonly delayMs: number;
  private readonly onError: (error: unknown) => void;

  constructor(opts: {
    store: Store;
    now: () => number;
    onLost: (ids: string[]) => void;
    onError: (error: unknown) => void;
    delayMs?: number;
  }) {
    this.onError = opts.onError;
    this.store = opts.store;
    this.now = opts.now;
    this.onLost = opts.onLost;
    this.delayMs = opts.delayMs ?? 50;
  }

  log(entry: PendingLog): void {
    this.logs.push(entry);
    this.schedule();
  }

  setProgress(entry: PendingProgress): void {
    this.progress.set(entry.id, entry);
    this.schedule();
  }

  /** Forget what a task still had pending (its lease is gone; nothing of it may be stored). */
  drop(taskId: string): void {
    this.progress.delete(taskId);
    if (this.logs.some((l) => l.taskId === taskId))
      this.logs = this.logs.filter((l) => l.taskId !== taskId);
  }

  /** Lines of this task not yet stored: waiting, or in a write under way. An attempt must not be
   * settled before they land, or the settle's commit would make the store refuse them. */
  hasPending(taskId: string): boolean {
    return (
      this.inFlight.has(taskId) ||
      this.progress.has(taskId) ||
      this.logs.some((l) => l.taskId === taskId)
    );
  }

  /** Write everything pending now; resolves when it is stored (or rejected as lost). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
  }

  private async write(): Promise<void> {
    const logs = this.logs;
    const progress = [...this.progress.values()];
    this.logs = [];
    this.progress.clear();
    for (const l of logs) this.inFlight.add(l.taskId);
    for (const p of progress) this.inFlight.add(p.id);
    const lost = new Set<string>();
    try {
      if (logs.length > 0) {
        for (const id of (await this.store.logInsert({ now: this.now(), items: logs })).lost)
          lost.add(id);
      }
      if (progress.length > 0) {
        for (const id of (await this.store.taskSetProgress({ now: this.now(), items: progress }))
          .lost)
          lost.add(id);
      }
    } catch (error) {
      // Logs and progress are best effort: a failed write must not take the attempt down.
      this.onError(error);
    } finally {
      this.inFlight.clear();
    }
    if (lost.size > 0) this.onLost([...lost]);
  }
}
