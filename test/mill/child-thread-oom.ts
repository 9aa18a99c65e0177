/**
 * The thread executor's out-of-memory case, in a process of its own:
 * `child-thread-oom.ts <database url> <data dir>`. A thread that passes its heap limit should end
 * only itself, but Node's resource limits are best effort (nodejs/node#47224) and now and then
 * the whole process aborts; here that fails this one case instead of the test runner's fork.
 * Prints one JSON line: the crashed task's status and error, and whether the echo before and
 * after ran in different members.
 */
import { createTaskmill } from '../../src/index.ts';
import { executorTasks } from '../fixtures/executor-tasks.ts';

const [database = 'sqlite::memory:', dataDir] = process.argv.slice(2);
const mill = await createTaskmill({
  database,
  ...(dataDir ? { dataDir } : {}),
  tasks: executorTasks,
  scheduler: { enabled: false },
});
await mill.startWorker({
  concurrency: 4,
  handleSignals: false,
  executors: { thread: { size: 1, heapLimitMb: 64, killGraceMs: 200 } },
});
async function run(type: (typeof executorTasks)[number]['name'], input: unknown) {
  const task = await mill.submit(type, input as never);
  return mill.wait(task.id, { timeoutMs: 20_000 });
}
async function memberOf(id: string): Promise<string> {
  const metrics: Record<string, number> = (await mill.executions(id)).at(-1)?.metrics ?? {};
  return `${metrics['executorPid']}/${metrics['executorThreadId'] ?? 0}`;
}
const before = await run('echo.thread', { n: 1 });
const crashed = await run('crash.thread', { how: 'oom' });
const after = await run('echo.thread', { n: 2 });
const result = {
  crashed: { status: crashed.status, code: crashed.error?.code, message: crashed.error?.message },
  after: after.status,
  replaced: (await memberOf(after.id)) !== (await memberOf(before.id)),
};
await mill.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
