import type { Task } from '../../src/index.ts';
import type { apiTasks } from '../fixtures/api-tasks.ts';
import type { Api } from './server.ts';

/** Run a `chatty` task to its end: about 8 MB of log events, more than the sockets' own buffers
 * can hide from a client that does not read. Needs a worker. */
export async function chatEightMegabytes(api: Api<typeof apiTasks>): Promise<void> {
  const task = (
    await api.request('POST', '/api/v1/tasks', {
      type: 'chatty',
      input: { lines: 4_000, size: 2_000 },
    })
  ).json as Task;
  await api.mill.wait(task.id, { timeoutMs: 30_000 });
}
