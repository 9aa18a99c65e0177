import type { NewTask } from '../core/new-task.ts';
import type { InsertResult, Store } from '../store/contract.ts';

interface Waiting {
  row: NewTask;
  /** With the time the insert was made at (the task's creation time). */
  resolve(now: number): void;
  reject(error: unknown): void;
}

/**
 * Group commit for single submits. Submits that arrive in the same turn of the event loop (the
 * HTTP requests one poll of the sockets brought in, say) are inserted together, in one
 * transaction and one statement, instead of one transaction each: the commit, not the row, is
 * what a submit costs. Each caller still hears of its own task only once it is committed.
 *
 * Only rows without an idempotency key or dependencies come here: a key's conflict or a missing
 * dependency fails the whole insert, and one caller's refusal must not fail the others.
 */
export class SubmitGroup {
  private readonly store: Store;
  private readonly now: () => number;
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(store: Store, now: () => number) {
    this.store = store;
    this.now = now;
  }

  /** Insert `rows`, at the time it resolves with: a lone row without an idempotency key joins
   * the group, anything else (a batch, a key, the caller's transaction) goes alone. */
  async insertRows(
    rows: NewTask[],
    transaction: unknown,
  ): Promise<{ now: number; result: InsertResult }> {
    const [only] = rows;
    if (
      only &&
      rows.length === 1 &&
      transaction === undefined &&
      only.idempotencyKey === null &&
      only.dependsOn === undefined
    ) {
      return {
        now: await this.insert(only),
        result: { ok: true, ids: [only.id], created: [true] },
      };
    }
    const now = this.now();
    return { now, result: await this.store.taskInsert({ now, tasks: rows, transaction }) };
  }

  /** Resolves with the time of the insert that committed the row. */
  insert(row: NewTask): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const group = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    try {
      const now = await this.write(group.map((w) => w.row));
      for (const w of group) w.resolve(now);
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
      // Whatever failed the group, each row is tried alone so that it fails only its own caller.
      for (const w of group) {
        try {
          w.resolve(await this.write([w.row]));
        } catch (own) {
          w.reject(own);
        }
      }
    }
  }

  private async write(rows: NewTask[]): Promise<number> {
    const now = this.now();
    const result = await this.store.taskInsert({ now, tasks: rows });
    // Rows without a key cannot conflict; a store that says otherwise is not to be trusted.
    if (!result.ok) throw new Error('an insert without idempotency keys reported a conflict');
    return now;
  }
}
