/** Bulk submission: one multi-row insert and one history insert, whatever the batch size. */
import type { InsertResult, NewTask } from '../contract.ts';
import type { SqliteConnection } from './connection.ts';

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

/** Runs inside a write transaction. */
export function insertTasks(conn: SqliteConnection, now: number, tasks: NewTask[]): InsertResult {
  const rows = tasks.map((t) => [
    t.id,
    t.type,
    t.queue,
    t.priority,
    t.status,
    t.input ?? null,
    t.maxAttempts,
    t.runAt,
    t.idempotencyKey,
    t.inputHash,
  ]);
  const { changes, lastInsertRowid } = conn.run('task-insert-many', now, JSON.stringify(rows));
  // Rowids are handed out as max(rowid)+1 while we hold the write lock, so the rows this
  // statement inserted are exactly the contiguous range ending at the last one.
  const first = lastInsertRowid - changes + 1;
  if (changes > 0) conn.run('history-insert-submitted', now, first, lastInsertRowid);
  if (changes === tasks.length) {
    return { ok: true, ids: tasks.map((t) => t.id), created: tasks.map(() => true) };
  }
  return resolveSkipped(conn, tasks, changes > 0 ? [first, lastInsertRowid] : null);
}

/** Some rows were skipped: match each to the task already holding its key (or its id). */
function resolveSkipped(
  conn: SqliteConnection,
  tasks: NewTask[],
  range: [number, number] | null,
): InsertResult {
  const createdIds = new Set(
    range === null
      ? []
      : conn.all<{ id: string }>('task-ids-in-range', range[0], range[1]).map((r) => r.id),
  );
  const keys = new Set<string>();
  for (const t of tasks) {
    if (!createdIds.has(t.id) && t.idempotencyKey !== null) keys.add(t.idempotencyKey);
  }
  const holders = new Map<string, KeyRow>();
  if (keys.size > 0) {
    for (const r of conn.all<KeyRow>('task-find-by-keys', JSON.stringify([...keys]))) {
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
