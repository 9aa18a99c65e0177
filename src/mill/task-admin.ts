/** Changes to a task that are not status transitions: its priority while it waits, deletion. */
import { TaskmillError, TaskNotFoundError } from '../core/errors.ts';
import { type Priority, priorityLevel } from '../core/priority.ts';
import type { Task } from '../core/task.ts';
import type { Store } from '../store/contract.ts';
import { removeArtifactFiles } from '../worker/artifact-file.ts';

export async function setPriority(
  store: Store,
  now: number,
  id: string,
  priority: Priority,
): Promise<Task> {
  const level = priorityLevel(priority);
  const result = await store.taskSetPriority({ now, id, priority: level });
  if (result.ok) return result.task;
  if (result.reason === 'not_found') throw new TaskNotFoundError(id);
  throw new TaskmillError(
    'TASK_ILLEGAL_TRANSITION',
    `Task ${id} is ${result.status}: only a task that waits (queued, retrying, pending or paused) can change its priority.`,
    { details: { id, status: result.status } },
  );
}

/** Delete a finished task, everything recorded about it, and its artifact files. */
export async function deleteTask(store: Store, dataDir: string, id: string): Promise<void> {
  const result = await store.taskDelete({ id });
  if (!result.ok) {
    if (result.reason === 'not_found') throw new TaskNotFoundError(id);
    throw new TaskmillError(
      'TASK_ILLEGAL_TRANSITION',
      `Task ${id} is ${result.status}: only a finished task can be deleted; cancel it first.`,
      { details: { id, status: result.status } },
    );
  }
  await removeArtifactFiles(dataDir, [id], result.artifactPaths);
}
