import type { Settlement, SettleResult, Store } from '../store/contract.ts';

interface Pending {
  item: Settlement;
  resolve: (result: SettleResult) => void;
  reject: (error: unknown) => void;
}

function resolveAll(batch: Pending[], results: SettleResult[]): void {
  batch.forEach((p, i) => {
    const result = results[i];
    if (result) p.resolve(result);
    else p.reject(new Error('store returned fewer settle results than items'));
  });
}

/**
 * Attempts that end in the same turn of the event loop are settled in one store call. Batches
 * are written one after another; whatever arrives while one is written goes in the next.
 */
export class SettleBatcher {
  private pending: Pending[] = [];
  private scheduled = false;
  private writing: Promise<void> = Promise.resolve();
  private readonly store: Store;
  private readonly now: () => number;
  private readonly workerId: string;
  private readonly maxBatch: number;
  private readonly claimPending: () => boolean;

  constructor(opts: {
    store: Store;
    now: () => number;
    workerId: string;
    maxBatch?: number;
    claimPending?: () => boolean;
  }) {
    this.claimPending = opts.claimPending ?? (() => false);
    this.store = opts.store;
    this.now = opts.now;
    this.workerId = opts.workerId;
    this.maxBatch = opts.maxBatch ?? 500;
  }

  settle(item: Settlement): Promise<SettleResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flushSoon());
      }
    });
  }

  /**
   * Hand the pending items to a caller that writes them itself (the claim loop settles them in
   * the same transaction as its next claim) and reports back with `settled` or `failed`.
   */
  take(): {
    items: Settlement[];
    settled(results: SettleResult[]): void;
    failed(error: unknown): void;
  } | null {
    if (this.pending.length === 0) return null;
    const batch = this.pending.splice(0, this.maxBatch);
    return {
      items: batch.map((p) => p.item),
      settled: (results) => resolveAll(batch, results),
      failed: (error) => {
        for (const p of batch) p.reject(error);
      },
    };
  }

  /** While a claim is due or in flight it will take these items along (`take`) and save a
   * transaction; only what no claim takes is written here. */
  private flushSoon(): void {
    if (this.pending.length > 0 && this.claimPending()) {
      setImmediate(() => this.flushSoon());
      return;
    }
    this.scheduled = false;
    this.writing = this.writing.then(() => this.write());
  }

  /** Resolves once everything handed in so far is written. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.scheduled) {
      await new Promise<void>((r) => setImmediate(r));
      await this.writing;
    }
    await this.writing;
  }

  private async write(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        const results = await this.store.taskSettle({
          now: this.now(),
          workerId: this.workerId,
          items: batch.map((p) => p.item),
        });
        resolveAll(batch, results);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
  }
}
