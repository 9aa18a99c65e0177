/** Bulk submission: one statement inserts every row, whatever the batch size. */

import type { NewTask } from '../../core/new-task.ts';
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
import type { PgSession } from './connection.ts';

export { InsertRejected } from '../idempotency.ts';

function columns(now: number, tasks: NewTask[], deps: DependencyColumns[] | null): unknown[] {
  return [
    now,
    tasks.map((t) => t.id),
    tasks.map((t) => t.type),
    tasks.map((t) => t.queue),
    tasks.map((t) => t.priority),
    deps === null ? tasks.map((t) => t.status) : deps.map((d) => d.status),
    tasks.map((t) => t.inputJson ?? JSON.stringify(t.input ?? null)),
    tasks.map((t) => t.maxAttempts),
    tasks.map((t) => t.runAt),
    tasks.map((t) => t.idempotencyKey),
    tasks.map((t) => t.inputHash),
    deps === null ? null : deps.map((d) => d.waitingOn),
    deps === null ? null : deps.map((d) => d.dependents),
    ...timeoutColumns(tasks),
    ...pipelineColumns(tasks),
    tasks.some((t) => t.name != null) ? tasks.map((t) => t.name ?? null) : null,
  ];
}

/** The pipeline columns (run, step, item, step order, held); NULL arrays when no task is a
 * pipeline step's, as is usual. */
function pipelineColumns(tasks: NewTask[]): unknown[] {
  if (!tasks.some((t) => t.pipeline !== undefined)) return [null, null, null, null, null];
  return [
    tasks.map((t) => t.pipeline?.runId ?? null),
    tasks.map((t) => t.pipeline?.step ?? null),
    tasks.map((t) => t.pipeline?.item ?? null),
    tasks.map((t) => t.pipeline?.order ?? null),
    tasks.map((t) => t.pipeline?.held === true),
  ];
}

/** The soft and hard timeout columns; NULL arrays when no task has one, as is usual. */
function timeoutColumns(tasks: NewTask[]): [(number | null)[] | null, (number | null)[] | null] {
  if (!tasks.some((t) => t.timeout !== undefined)) return [null, null];
  return [tasks.map((t) => t.timeout?.softMs ?? null), tasks.map((t) => t.timeout?.hardMs ?? null)];
}

/** Lock the stored dependencies, count the new dependents on them, and decide each new task's
 * status (src/store/dependencies.ts). */
async function checkDependencies(
  s: PgSession,
  tasks: NewTask[],
  collected: CollectedDependencies,
): Promise<DependencyColumns[]> {
  const ids = [...collected.stored.keys()];
  const found = new Map<string, NewTask['status']>();
  if (ids.length > 0) {
    const counts = ids.map((id) => collected.stored.get(id) ?? 0);
    for (const r of await s.all<{ id: string; status: NewTask['status'] }>('dependents-add', [
      ids,
      counts,
    ])) {
      found.set(r.id, r.status);
    }
  }
  return resolveDependencies(tasks, collected, found);
}

/** Runs inside a transaction whenever a task carries an idempotency key or dependencies: a
 * conflict found after the insert must be able to undo it. `dependents`: how many tasks will
 * depend on each new one (a map step's items have their step), written with the row rather
 * than counted on it afterwards. */
export async function insertTasks(
  s: PgSession,
  now: number,
  tasks: NewTask[],
  dependents = 0,
): Promise<InsertResult> {
  const collected = hasDependencies(tasks) ? collectDependencies(tasks) : null;
  const deps =
    collected !== null
      ? await checkDependencies(s, tasks, collected)
      : dependents > 0
        ? tasks.map((t) => ({ status: t.status, waitingOn: 0, dependents }))
        : null;
  const rows = await s.all<{ id: string }>('task-insert-many', columns(now, tasks, deps));
  const createdIds = new Set(rows.map((r) => r.id));
  if (collected !== null) {
    const pairs = dependencyRows(tasks, collected, createdIds);
    if (pairs.length > 0) {
      await s.all('dependency-insert-many', [
        pairs.map((p) => p.taskId),
        pairs.map((p) => p.dependsOn),
      ]);
    }
  }
  const result =
    rows.length === tasks.length
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
