/** Bulk submission: a prepared insert per row, in one write transaction (the first history
 * entry is read from the row). */

import type { NewTask } from '../../core/new-task.ts';
import type { TaskStatus } from '../../core/status.ts';
import type { InsertResult } from '../contract.ts';
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
  const createdIds = new Set<string>();
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i] as NewTask;
    const d = deps?.[i];
    const { changes } = conn.run(
      'task-insert-many',
      now,
      t.id,
      t.type,
      t.queue,
      t.priority,
      d?.status ?? t.status,
      t.inputJson ?? JSON.stringify(t.input ?? null),
      t.maxAttempts,
      t.runAt,
      t.idempotencyKey,
      t.inputHash,
      d?.waitingOn ?? 0,
      d?.dependents ?? 0,
      t.timeout?.softMs ?? null,
      t.timeout?.hardMs ?? null,
      t.pipeline?.runId ?? null,
      t.pipeline?.step ?? null,
      t.pipeline?.item ?? null,
      t.pipeline?.order ?? null,
      t.pipeline?.held === true ? 1 : 0,
      t.name ?? null,
    );
    if (changes === 1) createdIds.add(t.id);
  }
  const result: InsertResult =
    createdIds.size === tasks.length
      ? { ok: true, ids: tasks.map((t) => t.id), created: tasks.map(() => true) }
      : resolveSkipped(conn, tasks, createdIds);
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
  createdIds: ReadonlySet<string>,
): InsertResult {
  const keys = skippedKeys(tasks, createdIds);
  const holders = new Map<string, KeyHolder>();
  if (keys.length > 0) {
    for (const r of conn.all<KeyHolder>('task-find-by-keys', JSON.stringify(keys))) {
      holders.set(r.idempotency_key, r);
    }
  }
  return resolveInsert(tasks, createdIds, holders);
}
