/** Retention: delete old tasks with everything recorded about them, in one transaction. */
import type { TaskStatus } from '../../core/status.ts';
import type { PgSession } from './connection.ts';

export interface PurgeParams {
  status: TaskStatus;
  finishedBefore?: number;
  keepNewest?: number;
  limit: number;
}

/** Runs inside a transaction. */
export async function purgeTasks(
  s: PgSession,
  p: PurgeParams,
): Promise<{ taskIds: string[]; artifactPaths: string[] }> {
  const taskIds = (
    await s.all<{ id: string }>('task-purge-select', [
      p.status,
      p.finishedBefore ?? null,
      p.keepNewest ?? null,
      p.limit,
    ])
  ).map((r) => r.id);
  if (taskIds.length === 0) return { taskIds, artifactPaths: [] };
  return { taskIds, artifactPaths: await deleteTaskRows(s, taskIds) };
}

/** Delete tasks and everything recorded about them; returns their artifact files' paths.
 * Runs inside a transaction. */
export async function deleteTaskRows(s: PgSession, taskIds: string[]): Promise<string[]> {
  const artifactPaths = (await s.all<{ path: string }>('artifact-paths', [taskIds])).map(
    (r) => r.path,
  );
  await s.all('artifact-delete-many', [taskIds]);
  await s.all('log-delete-many', [taskIds]);
  await s.all('history-delete-many', [taskIds]);
  await s.all('execution-delete-many', [taskIds]);
  await s.all('dependency-delete-many', [taskIds]);
  const runs = (await s.all<{ run_id: string }>('task-run-ids', [taskIds])).map((r) => r.run_id);
  await s.all('task-delete-many', [taskIds]);
  if (runs.length > 0) await s.all('run-delete-emptied', [runs]);
  return artifactPaths;
}
