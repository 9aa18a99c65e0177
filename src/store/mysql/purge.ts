/** Retention: delete old tasks with everything recorded about them, in one transaction. */
import type { TaskStatus } from '../../core/status.ts';
import type { MySession } from './connection.ts';

export interface PurgeParams {
  status: TaskStatus;
  finishedBefore?: number;
  keepNewest?: number;
  limit: number;
}

/** Runs inside a transaction. */
export async function purgeTasks(
  s: MySession,
  p: PurgeParams,
): Promise<{ taskIds: string[]; artifactPaths: string[] }> {
  const before = p.finishedBefore ?? null;
  const keep = p.keepNewest ?? null;
  const taskIds = (
    await s.all<{ id: string }>('task-purge-select', [
      p.status,
      keep ?? 0,
      p.status,
      before,
      keep,
      before,
      before,
      keep,
      p.limit,
    ])
  ).map((r) => r.id);
  if (taskIds.length === 0) return { taskIds, artifactPaths: [] };
  return { taskIds, artifactPaths: await deleteTaskRows(s, taskIds) };
}

/** Delete tasks and everything recorded about them; returns their artifact files' paths.
 * Runs inside a transaction; the tasks are locked first, in id order. */
export async function deleteTaskRows(s: MySession, taskIds: string[]): Promise<string[]> {
  // Sorted: task-lock-many locks in the order of its list, which must be id order.
  const ids = JSON.stringify([...taskIds].sort());
  await s.all('task-lock-many', [ids]);
  const artifactPaths = (await s.all<{ path: string }>('artifact-paths', [ids])).map((r) => r.path);
  await s.run('artifact-delete-many', [ids]);
  await s.run('log-delete-many', [ids]);
  await s.run('history-delete-many', [ids]);
  await s.run('execution-delete-many', [ids]);
  await s.run('dependency-delete-many', [ids]);
  await s.run('dependents-delete-many', [ids]);
  const runs = (await s.all<{ run_id: string }>('task-run-ids', [ids])).map((r) => r.run_id);
  await s.run('task-delete-many', [ids]);
  if (runs.length > 0) await s.run('run-delete-emptied', [JSON.stringify(runs)]);
  return artifactPaths;
}
