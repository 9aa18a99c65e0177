/**
 * The client checks its options as the library does, before anything is sent: a misspelt key is
 * refused naming its path and the key meant, a value of the wrong type naming its path; right
 * options, a timeout of the task's own among them, reach the server (issue 13).
 */
import { describe, expect, it } from 'vitest';
import { createClient, type TaskmillClient } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { refusalOf } from '../helpers/error-of.ts';
import { useApi } from '../helpers/server.ts';

type Client = TaskmillClient<typeof apiTasks>;
const ID = '0190a000-0000-7000-8000-000000000001';
/** Nothing listens here: a call that sent a request would fail with SERVER_UNREACHABLE. */
const offline = () => createClient<typeof apiTasks>({ url: 'http://127.0.0.1:9', timeoutMs: 500 });

const misspelt: [string, (c: Client) => unknown, string, string][] = [
  ['createClient', () => createClient({ url: 'http://x', tokne: 't' } as never), 'tokne', 'token'],
  [
    'submit',
    (c) => c.submit('sleep', { ms: 1 }, { priorty: 'low' } as never),
    'options.priorty',
    'priority',
  ],
  [
    'submit timeout',
    (c) => c.submit('sleep', { ms: 1 }, { timeout: { sotfMs: 1 } } as never),
    'options.timeout.sotfMs',
    'softMs',
  ],
  [
    'submitMany',
    (c) => c.submitMany([{ type: 'sleep', input: { ms: 1 }, options: { queu: 'q' } as never }]),
    'items[0].options.queu',
    'queue',
  ],
  ['list', (c) => c.list({ sortBy: 'priority' } as never), 'sortBy', 'sort'],
  ['logs', (c) => c.logs(ID, { afterID: 1 } as never), 'options.afterID', 'afterId'],
  [
    'retry',
    (c) => c.retry(ID, { max_attempts: 2 } as never),
    'options.max_attempts',
    'maxAttempts',
  ],
  ['retryMany', (c) => c.retryMany({ statuses: ['failed'] } as never), 'statuses', 'status'],
  ['cancelMany', (c) => c.cancelMany({ reasons: 'x' } as never), 'reasons', 'reason'],
  ['events', (c) => c.events({ kind: ['task.status'] } as never), 'kind', 'kinds'],
  ['wait', (c) => c.wait(ID, { poll: 100 } as never), 'options.poll', 'pollMs'],
];

const mistyped: [string, (c: Client) => unknown, string][] = [
  ['createClient', () => createClient({ url: 'http://x', timeoutMs: '5s' } as never), 'timeoutMs'],
  [
    'submit',
    (c) => c.submit('sleep', { ms: 1 }, { maxAttempts: '2' } as never),
    'options.maxAttempts',
  ],
  [
    'submitMany',
    (c) =>
      c.submitMany([{ type: 'sleep', input: { ms: 1 }, options: { timeout: { hardMs: -1 } } }]),
    'items[0].options.timeout.hardMs',
  ],
  ['list', (c) => c.list({ order: 'up' } as never), 'order'],
  ['logs', (c) => c.logs(ID, { limit: '5' } as never), 'options.limit'],
  ['retry', (c) => c.retry(ID, { maxAttempts: 1.5 }), 'options.maxAttempts'],
  ['retryMany', (c) => c.retryMany({ limit: 0 }), 'limit'],
  ['cancelMany', (c) => c.cancelMany({ status: ['completed'] } as never), 'status'],
  ['cancelMany', (c) => c.cancelMany({ limit: 10_001 }), 'limit'],
  ['events', (c) => c.events({ lastEventId: '7' } as never), 'lastEventId'],
  ['wait', (c) => c.wait(ID, { timeoutMs: -1 }), 'options.timeoutMs'],
];

describe('client options', () => {
  it.each(misspelt)('%s: refuses a misspelt key before sending', async (_, call, path, meant) => {
    const e = await refusalOf(() => call(offline()));
    expect(e.code).toBe('OPTIONS_INVALID');
    expect(e.issues.map((i) => i.path)).toEqual([path]);
    expect(e.message).toContain(`Unknown option "${path}": did you mean "${meant}"`);
  });

  it.each(mistyped)(
    '%s: refuses a value of the wrong type before sending',
    async (_, call, path) => {
      const e = await refusalOf(() => call(offline()));
      expect(e.code).toBe('OPTIONS_INVALID');
      expect(e.issues.map((i) => i.path)).toEqual([path]);
    },
  );

  it('says why a transaction or a cursor is not taken', async () => {
    const client = offline();
    const tx = await refusalOf(() => client.submit('sleep', { ms: 1 }, { client: {} } as never));
    expect(tx.issues[0]?.message).toContain('a database transaction cannot cross HTTP');
    const cursor = await refusalOf(() => client.listAll({ cursor: 'c' } as never).next());
    expect(cursor.issues[0]?.message).toContain('listAll walks every page itself');
  });
});

describe('client options that are right reach the server', () => {
  const start = useApi(SQLITE);

  it('submits with a timeout of its own, and reads with every option', async () => {
    const api = await start(apiTasks);
    const client = createClient<typeof apiTasks>({ url: api.server.url, timeoutMs: 5_000 });
    const task = await client.submit('sleep', { ms: 1 }, { timeout: { softMs: 100, hardMs: 500 } });
    expect(task.timeout).toEqual({ softMs: 100, hardMs: 500 });
    const { tasks } = await client.submitMany([
      { type: 'sleep', input: { ms: 1 }, options: { timeout: { hardMs: 300 }, priority: 'low' } },
    ]);
    expect(tasks[0]).toMatchObject({ timeout: { hardMs: 300 }, priority: 'low' });
    expect((await client.get(task.id)).timeout).toEqual({ softMs: 100, hardMs: 500 });
    await api.mill.startWorker({ handleSignals: false, pollMs: 20 });
    const done = await client.wait(task.id, { timeoutMs: 5_000, pollMs: 50 });
    expect(done.status).toBe('completed');
    const page = await client.list({ type: 'sleep', sort: 'createdAt', order: 'asc', limit: 5 });
    expect(page.tasks[0]?.id).toBe(task.id);
    expect(await client.logs(task.id, { afterId: 0, limit: 5 })).toEqual([]);
  });
});
