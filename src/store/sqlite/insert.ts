/** Bulk submission: one multi-row insert, whatever the batch size (the first history entry is
 * read from the row). */
import type { InsertResult, NewTask } from '../contract.ts';
import { type KeyHolder, resolveInsert, skippedKeys } from '../idempotency.ts';
import type { SqliteConnection } from './connection.ts';

export { InsertRejected } from '../idempotency.ts';

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
  const keys = skippedKeys(tasks, createdIds);
  const holders = new Map<string, KeyHolder>();
  if (keys.length > 0) {
    for (const r of conn.all<KeyHolder>('task-find-by-keys', JSON.stringify(keys))) {
      holders.set(r.idempotency_key, r);
    }
  }
  return resolveInsert(tasks, createdIds, holders);
}
