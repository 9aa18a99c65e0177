/** Bulk submission: one statement inserts every row, whatever the batch size. */

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
import type { MySession } from './connection.ts';

export { InsertRejected } from '../idempotency.ts';

/** Tasks per insert statement: a statement must fit the server's max_allowed_packet (16 MB by
 * default on MariaDB), and one JSON parameter holds every row of it. A batch of more runs in a
 * transaction (see `needsTransaction`), so it is still written whole or not at all. */
export const INSERT_CHUNK = 1000;

/** Whether a submit needs a transaction around it: a conflict found after the insert must be
 * able to undo it (idempotency keys), dependencies are locked first, and a big batch takes
 * several statements. */
export function needsTransaction(tasks: readonly NewTask[]): boolean {
  return (
    tasks.length > INSERT_CHUNK ||
    tasks.some((t) => t.idempotencyKey !== null) ||
    hasDependencies(tasks)
  );
}

/** One task as task-insert-many.sql reads it (a JSON array per row, in its column order). */
function tuple(t: NewTask, d: DependencyColumns | undefined, dependents: number): unknown[] {
  return [
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
    d?.dependents ?? dependents,
    t.timeout?.softMs ?? null,
    t.timeout?.hardMs ?? null,
    t.pipeline?.runId ?? null,
    t.pipeline?.step ?? null,
    t.pipeline?.item ?? null,
    t.pipeline?.order ?? null,
    t.pipeline?.held === true ? 1 : 0,
    t.name ?? null,
  ];
}

/** Lock the stored dependencies (in id order), count the new dependents on them, and decide each
 * new task's status (src/store/dependencies.ts). */
async function checkDependencies(
  s: MySession,
  tasks: NewTask[],
  collected: CollectedDependencies,
): Promise<DependencyColumns[]> {
  const found = new Map<string, TaskStatus>();
  if (collected.stored.size > 0) {
    // Sorted: task-lock-many locks in the order of its list, which must be id order.
    const ids = JSON.stringify([...collected.stored.keys()].sort());
    for (const r of await s.all<{ id: string; status: TaskStatus }>('task-lock-many', [ids])) {
      found.set(r.id, r.status);
    }
    await s.run('dependents-add', [JSON.stringify([...collected.stored])]);
  }
  return resolveDependencies(tasks, collected, found);
}

/** Runs inside a transaction whenever a task carries an idempotency key or dependencies: a
 * conflict found after the insert must be able to undo it. `dependents`: how many tasks will
 * depend on each new one (a map step's items have their step), written with the row. */
export async function insertTasks(
  s: MySession,
  now: number,
  tasks: NewTask[],
  dependents = 0,
): Promise<InsertResult> {
  const collected = hasDependencies(tasks) ? collectDependencies(tasks) : null;
  const deps = collected === null ? null : await checkDependencies(s, tasks, collected);
  let written = 0;
  for (let start = 0; start < tasks.length; start += INSERT_CHUNK) {
    const chunk = tasks.slice(start, start + INSERT_CHUNK);
    const rows = JSON.stringify(chunk.map((t, i) => tuple(t, deps?.[start + i], dependents)));
    written += (await s.run('task-insert-many', [now, now, rows])).affectedRows;
  }
  let createdIds: Set<string>;
  if (written === tasks.length) createdIds = new Set(tasks.map((t) => t.id));
  else {
    const ids = JSON.stringify(tasks.map((t) => t.id));
    const found = await s.all<{ id: string }>('task-created-ids', [ids, now]);
    createdIds = new Set(found.map((r) => r.id));
  }
  if (collected !== null) {
    const pairs = dependencyRows(tasks, collected, createdIds);
    if (pairs.length > 0) {
      await s.run('dependency-insert-many', [
        JSON.stringify(pairs.map((p) => [p.taskId, p.dependsOn])),
      ]);
    }
  }
  const result =
    createdIds.size === tasks.length
      ? { ok: true as const, ids: tasks.map((t) => t.id), created: tasks.map(() => true) }
      : await resolveSkipped(s, tasks, createdIds);
  if (collected === null || deps === null || !result.ok) return result;
  return {
    ...result,
    pending: deps.map((d, i) => result.created[i] === true && d.status === 'pending'),
  };
}

/** Some rows were skipped: match each to the task already holding its key (or its id). */
async function resolveSkipped(
  s: MySession,
  tasks: NewTask[],
  createdIds: ReadonlySet<string>,
): Promise<InsertResult> {
  const keys = skippedKeys(tasks, createdIds);
  const holders = new Map<string, KeyHolder>();
  if (keys.length > 0) {
    for (const r of await s.all<KeyHolder>('task-find-by-keys', [JSON.stringify(keys)])) {
      holders.set(r.idempotency_key, r);
    }
  }
  return resolveInsert(tasks, createdIds, holders);
}
