/**
 * What a bulk insert that skipped some rows means, the same for every adapter: each skipped task
 * is answered by the task already holding its idempotency key (a replay, when the fingerprints
 * match) or is a conflict; a task skipped because its own id exists is its own answer.
 */

import type { NewTask } from '../core/new-task.ts';
import type { InsertResult } from './contract.ts';

/** A row already holding an idempotency key. */
export interface KeyHolder {
  id: string;
  idempotency_key: string;
  input_hash: string | null;
}

/** Thrown inside the adapter's transaction so that it rolls back, then turned back into the
 * result. */
export class InsertRejected extends Error {
  readonly result: InsertResult;
  constructor(result: InsertResult) {
    super('idempotency conflict');
    this.result = result;
  }
}

/** The keys of the tasks that were not inserted: look up their holders with these. */
export function skippedKeys(tasks: readonly NewTask[], createdIds: ReadonlySet<string>): string[] {
  const keys = new Set<string>();
  for (const t of tasks) {
    if (!createdIds.has(t.id) && t.idempotencyKey !== null) keys.add(t.idempotencyKey);
  }
  return [...keys];
}

/** Throws InsertRejected on a conflicting reuse of a key. */
export function resolveInsert(
  tasks: readonly NewTask[],
  createdIds: ReadonlySet<string>,
  holders: ReadonlyMap<string, KeyHolder>,
): InsertResult {
  const ids: string[] = [];
  const created: boolean[] = [];
  tasks.forEach((t, index) => {
    const holder = t.idempotencyKey === null ? undefined : holders.get(t.idempotencyKey);
    if (createdIds.has(t.id) || holder === undefined) {
      // Not skipped, or skipped because its id already exists: that task is the answer.
      ids.push(t.id);
      created.push(createdIds.has(t.id));
      return;
    }
    if (holder.id !== t.id && holder.input_hash !== t.inputHash) {
      throw new InsertRejected({
        ok: false,
        reason: 'idempotency_conflict',
        index,
        key: holder.idempotency_key,
        existingId: holder.id,
      });
    }
    ids.push(holder.id);
    created.push(false);
  });
  return { ok: true, ids, created };
}
