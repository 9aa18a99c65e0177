/** Retention: delete old tasks with everything recorded about them, in one transaction. */
import type { TaskStatus } from '../../core/status.ts';
import type { SqliteConnection } from './connection.ts';

export interface PurgeParams {
  status: TaskStatus;
  finishedBefore?: number;
  keepNewest?: number;
  limit: number;
}

/** Runs inside a write transaction. */
export function purgeTasks(
  conn: SqliteConnection,
  p: PurgeParams,
): { taskIds: string[]; artifactPaths: string[] } {
  const taskIds = conn
    .all<{ id: string }>(
      'task-purge-select',
      p.status,
      p.finishedBefore ?? null,
      p.keepNewest ?? null,
      p.limit,
    )
    .map((r) => r.id);
  if (taskIds.length === 0) return { taskIds, artifactPaths: [] };
  return { taskIds, artifactPaths: deleteTaskRows(conn, taskIds) };
}

/** Delete tasks and everything recorded about them; returns their artifact files' paths.
 * Runs inside a write transaction. */
export function deleteTaskRows(conn: SqliteConnection, taskIds: readonly string[]): string[] {
  const ids = JSON.stringify(taskIds);
  const artifactPaths = conn.all<{ path: string }>('artifact-paths', ids).map((r) => r.path);
  conn.run('artifact-delete-many', ids);
  conn.run('log-delete-many', ids);
  conn.run('history-delete-many', ids);
  conn.run('execution-delete-many', ids);
  conn.run('dependency-delete-many', ids);
  const runs = conn.all<{ run_id: string }>('task-run-ids', ids).map((r) => r.run_id);
  conn.run('task-delete-many', ids);
  if (runs.length > 0) conn.run('run-delete-emptied', JSON.stringify(runs));
  return artifactPaths;
}
