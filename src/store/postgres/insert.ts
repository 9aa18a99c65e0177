/** Bulk submission: one statement inserts every row and its history, whatever the batch size. */
import type { InsertResult, NewTask } from '../contract.ts';
import type { PgSession } from './connection.ts';

/** Thrown inside the transaction so that it rolls back, then turned back into the result. */
export class InsertRejected extends Error {
  readonly result: InsertResult;
  constructor(result: InsertResult) {
    super('idempotency conflict');
    this.result = result;
  }
}

interface KeyRow {
  id: string;
  idempotency_key: string;
  input_hash: string | null;
}

function columns(now: number, tasks: NewTask[]): unknown[] {
  return [
    now,
    tasks.map((t) => t.id),
    tasks.map((t) => t.type),
    tasks.map((t) => t.queue),
    tasks.map((t) => t.priority),
    tasks.map((t) => t.status),
    tasks.map((t) => JSON.stringify(t.input ?? null)),
    tasks.map((t) => t.maxAttempts),
    tasks.map((t) => t.runAt),
    tasks.map((t) => t.idempotencyKey),
    tasks.map((t) => t.inputHash),
  ];
}

/** Runs inside a transaction whenever a task carries an idempotency key: a conflict found after
 * the insert must be able to undo it. */
export async function insertTasks(
  s: PgSession,
  now: number,
  tasks: NewTask[],
): Promise<InsertResult> {
  const rows = await s.all<{ id: string }>('task-insert-many', columns(now, tasks));
  if (rows.length === tasks.length) {
    return { ok: true, ids: tasks.map((t) => t.id), created: tasks.map(() => true) };
  }
  return resolveSkipped(s, tasks, new Set(rows.map((r) => r.id)));
}

/** Some rows were skipped: match each to the task already holding its key (or its id). */
async function resolveSkipped(
  s: PgSession,
  tasks: NewTask[],
  createdIds: ReadonlySet<string>,
): Promise<InsertResult> {
  const keys = new Set<string>();
  for (const t of tasks) {
    if (!createdIds.has(t.id) && t.idempotencyKey !== null) keys.add(t.idempotencyKey);
  }
  const holders = new Map<string, KeyRow>();
  if (keys.size > 0) {
    for (const r of await s.all<KeyRow>('task-find-by-keys', [[...keys]])) {
      holders.set(r.idempotency_key, r);
    }
  }
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
