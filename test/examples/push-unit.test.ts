/**
 * examples/push-unit.py, a real Python process: it registers an endpoint, the server POSTs it a
 * task, it checks the signature, runs the task and reports through the worker API; a forged
 * delivery is refused.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTokens } from '../../src/server/auth.ts';
import { remoteTasks } from '../fixtures/remote-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { ChildScript } from '../helpers/child-process.ts';
import { useApi } from '../helpers/server.ts';

const SCRIPT = fileURLToPath(new URL('../../examples/push-unit.py', import.meta.url));
const WORKER_TOKEN = 'python-push-token-000001';
const tokens = parseTokens(`${WORKER_TOKEN}:worker`, 'test');

describe('examples/push-unit.py', () => {
  const start = useApi(SQLITE);
  const children: ChildScript[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await c.destroy();
  });

  it('takes a pushed task, checks its signature, completes it, and refuses a forged one', async () => {
    const api = await start(remoteTasks, {
      tokens,
      remoteWorkers: { leaseMs: 3_000, pollMs: 50 },
    });
    const env = { ...process.env, TASKMILL_TOKEN: WORKER_TOKEN, PYTHONUNBUFFERED: '1' };
    const unit = new ChildScript(SCRIPT, ['--server', api.server.url, '--id', 'py-push-1'], {
      program: 'python3',
      env,
    });
    children.push(unit);
    const line = await unit.waitForLine('registration', (l) => l.startsWith('registered '));
    const endpoint = line.split(' at ')[1] ?? '';

    const task = await api.mill.submit('py.wordcount', { text: 'one two\nthree' });
    const done = await api.mill.wait(task.id, { timeoutMs: 10_000 });
    expect(done).toMatchObject({ status: 'completed', output: { words: 3, lines: 2 } });
    const listed = (await api.mill.workers()).find((w) => w.id === 'py-push-1');
    expect(listed).toMatchObject({
      unitType: 'py.wordcount',
      endpoint,
      metadata: { language: 'python' },
      types: ['py.wordcount'],
    });

    const forged = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'taskmill-signature': `t=${Date.now()},v1=${'0'.repeat(64)}`,
      },
      body: JSON.stringify({ deliveryId: 'x', workerId: 'py-push-1', task: { id: task.id } }),
    });
    expect(forged.status).toBe(401);
    await unit.waitForLine('the refusal', (l) => l === 'refused a delivery: bad signature');

    unit.signal('SIGTERM');
    expect((await unit.closed).code).toBe(0);
    expect((await api.mill.workers()).some((w) => w.id === 'py-push-1')).toBe(false);
  });
});
