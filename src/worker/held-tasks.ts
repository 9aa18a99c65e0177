import type { EventBus } from '../core/event-bus.ts';
import type { ClaimedTask, LeaseRef, Settlement } from '../store/contract.ts';
import type { MemorySampler } from './memory-sampler.ts';
import type { SettleBatcher } from './settle-batcher.ts';
import { emitSettled } from './status-events.ts';

/**
 * Tasks a worker claimed ahead of a free slot (`prefetch`), in claim order. Their leases run
 * from the claim and are renewed with the running ones; their handlers have not started. Ended
 * without running when they are cancelled, given back (refunding the attempt) when the worker
 * stops, dropped when their lease is lost.
 */
export class HeldTasks {
  private readonly tasks: ClaimedTask[] = [];
  private readonly deps: {
    batcher: SettleBatcher;
    bus: EventBus;
    memory: MemorySampler;
    now: () => number;
    workerId: string;
    onError(error: unknown): void;
  };

  constructor(deps: HeldTasks['deps']) {
    this.deps = deps;
  }

  get size(): number {
    return this.tasks.length;
  }

  push(tasks: readonly ClaimedTask[]): void {
    for (const t of tasks) this.tasks.push(t);
  }

  /** The first `n`, to start now. */
  take(n: number): ClaimedTask[] {
    return this.tasks.splice(0, n);
  }

  leases(): LeaseRef[] {
    return this.tasks.map((c) => ({ id: c.task.id, token: c.leaseToken }));
  }

  /** Forget those whose lease is gone: nothing of theirs may be written. */
  drop(ids: ReadonlySet<string>): void {
    this.remove(ids);
  }

  /** End the held ones among `ids` as cancelled, without running them. Returns those found. */
  cancel(ids: ReadonlySet<string>): ClaimedTask[] {
    const found = this.remove(ids);
    const reason = 'cancelled before it started';
    for (const c of found) {
      this.settle(c, {
        to: 'cancelled',
        outcome: 'cancelled',
        reason,
        error: {
          code: 'TASK_CANCELLED',
          message: 'Cancelled before it started.',
          retryable: false,
        },
      });
    }
    return found;
  }

  /** Give back `tasks` (held, or claimed as the worker stopped): their claim is undone, as if
   * it had not happened (no attempt used, no execution, no history entry). */
  giveBack(tasks: readonly ClaimedTask[], reason: string): void {
    for (const c of tasks) {
      this.settle(c, { to: 'queued', outcome: 'released', reason, unstarted: true });
    }
  }

  /** Give back every held task (the worker stops). */
  giveBackAll(reason: string): void {
    this.giveBack(this.tasks.splice(0), reason);
  }

  private remove(ids: ReadonlySet<string>): ClaimedTask[] {
    const found: ClaimedTask[] = [];
    for (let i = this.tasks.length - 1; i >= 0; i--) {
      const c = this.tasks[i] as ClaimedTask;
      if (!ids.has(c.task.id)) continue;
      this.tasks.splice(i, 1);
      found.push(c);
    }
    return found;
  }

  private settle(
    c: ClaimedTask,
    end: Pick<Settlement, 'to' | 'outcome' | 'reason' | 'error' | 'unstarted'>,
  ): void {
    const { batcher, bus, memory, now, workerId, onError } = this.deps;
    batcher
      .settle({
        id: c.task.id,
        token: c.leaseToken,
        ...end,
        metrics: { durationMs: 0, peakRssBytes: memory.current() },
      })
      .then((result) => {
        if (!result.ok) return;
        const { from, to } = result;
        emitSettled(bus, { task: c.task, from, to, reason: end.reason, workerId, now: now() });
      })
      .catch(onError);
  }
}
