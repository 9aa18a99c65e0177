/** Bulk submission: one statement inserts every row and its history, whatever the batch size. */
import type { InsertResult, NewTask } from '../contract.ts';
import { type KeyHolder, resolveInsert, skippedKeys } from '../idempotency.ts';
import type { PgSession } from './connection.ts';

export { InsertRejected } from '../idempotency.ts';

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
  const keys = skippedKeys(tasks, createdIds);
  const holders = new Map<string, KeyHolder>();
  if (keys.length > 0) {
    for (const r of await s.all<KeyHolder>('task-find-by-keys', [keys]))
      holders.set(r.idempotency_key, r);
  }
  return resolveInsert(tasks, createdIds, holders);
}
