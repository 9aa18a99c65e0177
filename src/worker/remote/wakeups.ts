import type { EventBus } from '../../core/event-bus.ts';
import type { Store } from '../../store/contract.ts';

/**
 * What long-polling claims wait on: a task became ready in this process (a submit, a retry, a
 * release) or, where the store can tell, in another one. Listening starts with the first waiter
 * and lasts until `close`, so a burst of submits between two polls is not missed.
 */
export class Wakeups {
  private readonly bus: EventBus;
  private readonly store: Store;
  private readonly waiters = new Set<() => void>();
  private unsubscribe: (() => void)[] | null = null;
  private closed = false;

  constructor(bus: EventBus, store: Store) {
    this.bus = bus;
    this.store = store;
  }

  /** Resolves on the next wake-up, after `ms`, or when `signal` aborts, whichever is first. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    this.listen();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  wake(): void {
    for (const done of [...this.waiters]) done();
  }

  close(): void {
    this.closed = true;
    for (const off of this.unsubscribe ?? []) off();
    this.unsubscribe = null;
    this.wake();
  }

  private listen(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = [
      this.bus.on('task.status', (e) => {
        if (e.to === 'queued') this.wake();
      }),
    ];
    const fromStore = this.store.wakeupSubscribe?.({ listener: () => this.wake() });
    if (fromStore) this.unsubscribe.push(fromStore);
  }
}
