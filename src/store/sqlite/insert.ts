/** Bulk submission: one multi-row insert, whatever the batch size (the first history entry is
 * read from the row). */
import type { TaskStatus } from '../../core/status.ts';
import type { InsertResult, NewTask } from '../contract.ts';
import {
  type CollectedDependencies,
  collectDependencies,
  type DependencyColumns,
  dependencyRows,
  hasDependencies,
  resolveDependencies,
} from '../dependencies.ts';
import { type KeyHolder, resolveInsert, skippedKeys } from '../idempotency.ts';
import type { SqliteConnection } from './connection.ts';

export { InsertRejected } from '../idempotency.ts';

/** Count the new dependents on the stored dependencies and decide each new task's status
 * (src/store/dependencies.ts); the write lock keeps them as read. */
function checkDependencies(
  conn: SqliteConnection,
  tasks: NewTask[],
  collected: CollectedDependencies,
): DependencyColumns[] {
  const found = new Map<string, TaskStatus>();
  if (collected.stored.size > 0) {
    const counts = JSON.stringify([...collected.stored]);
    for (const r of conn.all<{ id: string; status: TaskStatus }>('dependents-add', counts)) {
      found.set(r.id, r.status);
    }
  }
  return resolveDependencies(tasks, collected, found);
}

/** Runs inside a write transaction. */
export function insertTasks(conn: SqliteConnection, now: number, tasks: NewTask[]): InsertResult {
  const collected = hasDependencies(tasks) ? collectDependencies(tasks) : null;
  const deps = collected === null ? null : checkDependencies(conn, tasks, collected);
  const rows = tasks.map((t, i) => [
    t.id,
    t.type,
    t.queue,
    t.priority,
    deps?.[i]?.status ?? t.status,
    t.input ?? null,
    t.maxAttempts,
    t.runAt,
    t.idempotencyKey,
    t.inputHash,
    deps?.[i]?.waitingOn ?? 0,
    deps?.[i]?.dependents ?? 0,
  ]);
  const { changes, lastInsertRowid } = conn.run('task-insert-many', now, JSON.stringify(rows));
  // Rowids are handed out as max(rowid)+1 while we hold the write lock, so the rows this
  // statement inserted are exactly the contiguous range ending at the last one.
  const first = lastInsertRowid - changes + 1;
  const all = changes === tasks.length;
  const result: InsertResult = all
    ? { ok: true, ids: tasks.map((t) => t.id), created: tasks.map(() => true) }
    : resolveSkipped(conn, tasks, changes > 0 ? [first, lastInsertRowid] : null);
  if (collected === null || deps === null || !result.ok) return result;
  const created = new Set(tasks.filter((_, i) => result.created[i]).map((t) => t.id));
  const pairs = dependencyRows(tasks, collected, created);
  if (pairs.length > 0) {
    conn.run('dependency-insert-many', JSON.stringify(pairs.map((p) => [p.taskId, p.dependsOn])));
  }
  return {
    ...result,
    pending: deps.map((d, i) => result.created[i] === true && d.status === 'pending'),
  };
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
