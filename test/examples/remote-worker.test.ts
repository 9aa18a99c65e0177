import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTokens } from '../../src/server/auth.ts';
import { remoteTasks } from '../fixtures/remote-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { ChildScript } from '../helpers/child-process.ts';
import { useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

const SCRIPT = fileURLToPath(new URL('../../examples/remote-worker.py', import.meta.url));
const WORKER_TOKEN = 'python-worker-token-0001';
const ADMIN_TOKEN = 'python-admin-token-00001';
const tokens = parseTokens(`${WORKER_TOKEN}:worker ${ADMIN_TOKEN}:admin`, 'test');
/** Short, so the failover comes within a second or two. */
const REMOTE = { leaseMs: 1_200, pollMs: 50 };

forEachBackend((backend) => {
  const start = useApi(backend);
  const children: ChildScript[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await c.destroy();
  });

  function python(url: string, name: string): ChildScript {
    const env = { ...process.env, TASKMILL_TOKEN: WORKER_TOKEN, PYTHONUNBUFFERED: '1' };
    const child = new ChildScript(SCRIPT, ['--server', url, '--name', name], {
      program: 'python3',
      env,
    });
    children.push(child);
    return child;
  }

  describe('examples/remote-worker.py', () => {
    it('runs tasks with progress and logs, shows in the worker list, and leaves on SIGTERM', async () => {
      const api = await start(remoteTasks, { tokens, remoteWorkers: REMOTE });
      const worker = python(api.server.url, 'py-one');
      await worker.waitForLine('registration', (l) => l.startsWith('registered '));
      const task = await api.mill.submit('py.wordcount', { text: 'one two\nthree' });
      const done = await api.mill.wait(task.id, { timeoutMs: 10_000 });
      expect(done).toMatchObject({
        status: 'completed',
        output: { words: 3, lines: 2 },
        progress: 100,
      });
      expect((await api.mill.logs(task.id)).map((l) => l.message)).toContain(
        'counted 3 words in 2 lines',
      );
      const listed = (await api.mill.workers()).find((w) => w.name === 'py-one');
      expect(listed).toMatchObject({
        pid: worker.pid,
        state: 'online',
        version: 'remote-worker.py 1',
      });
      expect(listed?.types).toEqual(['py.sleep', 'py.wordcount']);

      worker.signal('SIGTERM');
      const exit = await worker.closed;
      expect(exit.code).toBe(0);
      expect(worker.lines).toContain('stopped');
      expect((await api.mill.workers()).find((w) => w.name === 'py-one')).toBeUndefined();
    });

    it('fails over: a worker killed mid-task loses it to another, which completes it', async () => {
      const api = await start(remoteTasks, { tokens, remoteWorkers: REMOTE });
      // The lease sweeper of an in-process worker finds dead workers, remote ones too.
      await api.mill.startWorker({ handleSignals: false, sweepMs: 100 });
      const first = python(api.server.url, 'py-first');
      await first.waitForLine('registration', (l) => l.startsWith('registered '));
      const task = await api.mill.submit('py.sleep', { seconds: 1.5 });
      await first.waitForLine('the claim', (l) => l.startsWith(`claimed ${task.id}`));
      await waitFor('progress from the first worker', async () =>
        ((await api.mill.get(task.id)).progress ?? 0) > 0 ? true : undefined,
      );
      await first.destroy();

      const second = python(api.server.url, 'py-second');
      const done = await api.mill.wait(task.id, { timeoutMs: 15_000 });
      expect(done).toMatchObject({ status: 'completed', output: { slept: 1.5 } });
      await second.waitForLine('the completion', (l) => l === `complete ${task.id} -> completed`);
      const executions = await api.mill.executions(task.id);
      expect(executions.map((e) => e.outcome)).toEqual(['crashed', 'completed']);
      const workers = await api.mill.workers();
      const byName = (name: string) => workers.find((w) => w.name === name)?.id;
      expect(executions.map((e) => e.workerId)).toEqual([byName('py-first'), byName('py-second')]);
      // A worker's death does not use up an attempt.
      expect(done.attempt).toBe(1);
    });
  });
});
