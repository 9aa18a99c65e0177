/**
 * New tasks that depend on others (`NewTask.dependsOn`), checked and counted the same way by every
 * adapter, inside the insert's transaction:
 * 1. `collectDependencies` splits each task's dependencies into tasks earlier in the same batch
 *    and tasks already stored (a dependency later in the batch, or the task itself, is refused:
 *    that is how a cycle would start);
 * 2. the adapter locks the stored ones, counting the new dependents on each
 *    (`dependents-add`), and reads their statuses;
 * 3. `resolveDependencies` refuses a missing dependency, or one that ended without completing,
 *    and gives each new task its status (pending while a dependency has not completed), how many
 *    dependencies it waits on, and how many new tasks of the batch depend on it.
 * Locking the stored dependencies first is what keeps this exact under concurrency: a dependency
 * that completes meanwhile either commits before the lock (and is seen completed) or after this
 * insert (and then finds, and releases, the new dependent).
 */

import type { NewTask } from '../core/new-task.ts';
import { isTerminal, type TaskStatus } from '../core/status.ts';
import type { InsertResult } from './contract.ts';
import { InsertRejected } from './idempotency.ts';

export interface CollectedDependencies {
  /** Stored tasks depended on, with how many new tasks depend on each. */
  stored: Map<string, number>;
  /** Per new task: its dependencies, each once. */
  perTask: string[][];
}

function refuse(result: InsertResult): never {
  throw new InsertRejected(result);
}

export function hasDependencies(tasks: readonly NewTask[]): boolean {
  return tasks.some((t) => t.dependsOn !== undefined && t.dependsOn.length > 0);
}

export function collectDependencies(tasks: readonly NewTask[]): CollectedDependencies {
  const position = new Map(tasks.map((t, i) => [t.id, i]));
  const stored = new Map<string, number>();
  const perTask = tasks.map((t, index) => {
    const deps = [...new Set(t.dependsOn ?? [])];
    for (const d of deps) {
      const at = position.get(d);
      if (at !== undefined && at >= index) {
        refuse({ ok: false, reason: 'dependency_not_found', index, dependsOn: d });
      }
      if (at === undefined) stored.set(d, (stored.get(d) ?? 0) + 1);
    }
    return deps;
  });
  return { stored, perTask };
}

export interface DependencyColumns {
  status: TaskStatus;
  waitingOn: number;
  dependents: number;
}

/** Throws InsertRejected (the adapter rolls back) for a missing or failed dependency. */
export function resolveDependencies(
  tasks: readonly NewTask[],
  collected: CollectedDependencies,
  found: ReadonlyMap<string, TaskStatus>,
): DependencyColumns[] {
  const inBatch = new Set(tasks.map((t) => t.id));
  const dependents = new Map<string, number>();
  const columns = tasks.map((t, index): DependencyColumns => {
    let waitingOn = 0;
    for (const d of collected.perTask[index] ?? []) {
      if (inBatch.has(d)) {
        dependents.set(d, (dependents.get(d) ?? 0) + 1);
        waitingOn++;
        continue;
      }
      const status = found.get(d);
      if (status === undefined) {
        refuse({ ok: false, reason: 'dependency_not_found', index, dependsOn: d });
      }
      if (isTerminal(status) && status !== 'completed') {
        refuse({ ok: false, reason: 'dependency_failed', index, dependsOn: d, status });
      }
      if (status !== 'completed') waitingOn++;
    }
    return { status: waitingOn > 0 ? 'pending' : t.status, waitingOn, dependents: 0 };
  });
  tasks.forEach((t, i) => {
    (columns[i] as DependencyColumns).dependents = dependents.get(t.id) ?? 0;
  });
  return columns;
}

/** The dependency rows of the tasks the insert created. */
export function dependencyRows(
  tasks: readonly NewTask[],
  collected: CollectedDependencies,
  created: ReadonlySet<string>,
): { taskId: string; dependsOn: string }[] {
  const rows: { taskId: string; dependsOn: string }[] = [];
  tasks.forEach((t, i) => {
    if (!created.has(t.id)) return;
    for (const d of collected.perTask[i] ?? []) rows.push({ taskId: t.id, dependsOn: d });
  });
  return rows;
}
