/** A task's schedule link (`task.schedule`), read apart from the task: one query for a page of
 * tasks, none of the task statements joined (the hot paths read tasks without it). */
import type { Task } from '../core/task.ts';
import type { Store } from '../store/contract.ts';

export async function withScheduleLinks(store: Store, tasks: Task[]): Promise<Task[]> {
  if (tasks.length === 0) return tasks;
  const links = await store.scheduleLinkList({ taskIds: tasks.map((t) => t.id) });
  if (links.length === 0) return tasks;
  const byTask = new Map(links.map((l) => [l.taskId, l.link]));
  return tasks.map((t) => {
    const link = byTask.get(t.id);
    return link === undefined ? t : { ...t, schedule: link };
  });
}
