/**
 * Every options object of the library is checked when it is given: a misspelt key is refused
 * naming its path and the key that was meant, a value of the wrong type is refused naming its
 * path, and options that are right still work (issue 13).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createTaskmill,
  defineTask,
  ManualClock,
  type Taskmill,
  taskJsonSchemas,
} from '../../src/index.ts';
import { SQLITE } from '../helpers/backends.ts';
import { refusalOf } from '../helpers/error-of.ts';
import { useMills } from '../helpers/mill.ts';

const echo = defineTask({
  name: 'echo',
  input: z.object({ n: z.number() }),
  run: (input) => input.n,
});
const flaky = defineTask({
  name: 'flaky',
  input: z.object({}),
  retry: { maxAttempts: 1 },
  run: () => {
    throw new Error('always');
  },
});
const tasks = [echo, flaky] as const;
type Mill = Taskmill<typeof tasks>;

const open = useMills(SQLITE);
const UNKNOWN_ID = '0190a000-0000-7000-8000-000000000001';
const def = (extra: Record<string, unknown>) => () =>
  defineTask({ name: 'd', input: z.object({}), run: () => 1, ...extra } as never);

/** [the call, the misspelt key's path, the key it was meant as] */
const misspelt: [string, (mill: Mill) => unknown, string, string][] = [
  [
    'createTaskmill',
    () => createTaskmill({ database: 'sqlite::memory:', tasks, datadir: '/tmp' } as never),
    'datadir',
    'dataDir',
  ],
  [
    'createTaskmill retention',
    () =>
      createTaskmill({
        database: 'sqlite::memory:',
        tasks,
        retention: { completed: { maxAge: 1 } },
      } as never),
    'retention.completed.maxAge',
    'maxAgeMs',
  ],
  ['defineTask', def({ prioirty: 'high' }), 'prioirty', 'priority'],
  ['defineTask retry', def({ retry: { maxRetries: 3 } }), 'retry.maxRetries', 'maxAttempts'],
  ['defineTask timeout', def({ timeout: { hard: 5000 } }), 'timeout.hard', 'hardMs'],
  [
    'taskJsonSchemas',
    () => taskJsonSchemas(echo, { traget: 'draft-7' } as never),
    'options.traget',
    'target',
  ],
  [
    'submit',
    (m) => m.submit('echo', { n: 1 }, { priorty: 'high' } as never),
    'options.priorty',
    'priority',
  ],
  [
    'submit timeout',
    (m) => m.submit('echo', { n: 1 }, { timeout: { hardMS: 5 } } as never),
    'options.timeout.hardMS',
    'hardMs',
  ],
  [
    'submitMany item',
    (m) => m.submitMany([{ type: 'echo', input: { n: 1 }, option: {} } as never]),
    'items[0].option',
    'options',
  ],
  [
    'submitMany item options',
    (m) => m.submitMany([{ type: 'echo', input: { n: 1 }, options: { delay: 5 } as never }]),
    'items[0].options.delay',
    'delayMs',
  ],
  [
    'submitMany options',
    (m) => m.submitMany([], { clinet: {} } as never),
    'options.clinet',
    'client',
  ],
  [
    'submitDetailed item options',
    (m) =>
      m.submitDetailed([
        { type: 'echo', input: { n: 1 } },
        { type: 'echo', input: { n: 2 }, options: { idempotency: 'k' } as never },
      ]),
    'items[1].options.idempotency',
    'idempotencyKey',
  ],
  ['startWorker', (m) => m.startWorker({ concurency: 2 } as never), 'concurency', 'concurrency'],
  [
    'startWorker executors',
    (m) => m.startWorker({ executors: { thread: { sise: 2 } } } as never),
    'executors.thread.sise',
    'size',
  ],
  [
    'worker stop',
    async (m) => (await m.startWorker({ handleSignals: false })).stop({ grace: 0 } as never),
    'grace',
    'graceMs',
  ],
  ['list', (m) => m.list({ limt: 5 } as never), 'limt', 'limit'],
  ['wait', (m) => m.wait(UNKNOWN_ID, { timeout: 5 } as never), 'options.timeout', 'timeoutMs'],
  ['logs', (m) => m.logs(UNKNOWN_ID, { after: 3 } as never), 'options.after', 'afterId'],
  [
    'retry',
    (m) => m.retry(UNKNOWN_ID, { maxAttempt: 2 } as never),
    'options.maxAttempt',
    'maxAttempts',
  ],
  ['stats', (m) => m.stats({ countOnly: true } as never), 'countOnly', 'countsOnly'],
  ['remoteWorkers', (m) => m.remoteWorkers({ leaseMS: 100 } as never), 'leaseMS', 'leaseMs'],
];

/** [the call, the path of the value of the wrong type] */
const mistyped: [string, (mill: Mill) => unknown, string][] = [
  [
    'createTaskmill',
    () => createTaskmill({ database: 'sqlite::memory:', tasks, workerTimeoutMs: '30s' } as never),
    'workerTimeoutMs',
  ],
  ['defineTask', def({ description: 42 }), 'description'],
  ['defineTask timeout', def({ timeout: { hardMs: '5s' } }), 'timeout.hardMs'],
  ['defineTask retry', def({ retry: { maxAttempts: '3' } }), 'retry.maxAttempts'],
  ['submit', (m) => m.submit('echo', { n: 1 }, { delayMs: '5' } as never), 'options.delayMs'],
  [
    'submit priority',
    (m) => m.submit('echo', { n: 1 }, { priority: 'urgent' } as never),
    'options.priority',
  ],
  [
    'submit timeout',
    (m) => m.submit('echo', { n: 1 }, { timeout: { hardMs: 0 } }),
    'options.timeout.hardMs',
  ],
  [
    'submit timeout object',
    (m) => m.submit('echo', { n: 1 }, { timeout: 300 } as never),
    'options.timeout',
  ],
  [
    'submitMany item options',
    (m) => m.submitMany([{ type: 'echo', input: { n: 1 }, options: 5 as never }]),
    'items[0].options',
  ],
  ['startWorker', (m) => m.startWorker({ concurrency: '4' } as never), 'concurrency'],
  [
    'startWorker handleSignals',
    (m) => m.startWorker({ handleSignals: 'no' } as never),
    'handleSignals',
  ],
  [
    'worker stop',
    async (m) => (await m.startWorker({ handleSignals: false })).stop({ graceMs: -1 }),
    'graceMs',
  ],
  ['list', (m) => m.list({ limit: '10' } as never), 'limit'],
  ['wait', (m) => m.wait(UNKNOWN_ID, { signal: 'stop' } as never), 'options.signal'],
  ['logs', (m) => m.logs(UNKNOWN_ID, { afterId: 'x' } as never), 'options.afterId'],
  ['retry', (m) => m.retry(UNKNOWN_ID, { maxAttempts: 0 }), 'options.maxAttempts'],
  ['stats', (m) => m.stats({ countsOnly: 1 } as never), 'countsOnly'],
  ['remoteWorkers', (m) => m.remoteWorkers({ pollMs: 0 }), 'pollMs'],
];

describe('options of the library', () => {
  it.each(misspelt)(
    '%s: refuses a misspelt key, naming it and the key meant',
    async (name, call, path, meant) => {
      const mill = await open(tasks);
      const e = await refusalOf(() => call(mill));
      const definition = name.startsWith('defineTask');
      expect(e.code).toBe(definition ? 'TASK_DEFINITION_INVALID' : 'OPTIONS_INVALID');
      expect(e.issues.map((i) => i.path)).toEqual([path]);
      expect(e.message).toContain(`Unknown option "${path}": did you mean "${meant}"`);
    },
  );

  it.each(mistyped)(
    '%s: refuses a value of the wrong type, naming it',
    async (name, call, path) => {
      const mill = await open(tasks);
      const e = await refusalOf(() => call(mill));
      const definition = name.startsWith('defineTask');
      expect(e.code).toBe(definition ? 'TASK_DEFINITION_INVALID' : 'OPTIONS_INVALID');
      expect(e.issues.map((i) => i.path)).toEqual([path]);
      expect(e.issues[0]?.message).toMatch(/^expected /);
    },
  );

  it('says which kind a retry option belongs to', async () => {
    const e = await refusalOf(def({ retry: { kind: 'fixed', factor: 2 } }));
    expect(e.issues).toEqual([
      {
        path: 'retry.factor',
        message:
          'unknown option: "factor" belongs to kind "exponential"; this policy\'s kind is "fixed"',
      },
    ]);
  });

  it('refuses the transaction on an item of a batch, saying where it goes', async () => {
    const mill = await open(tasks);
    const item = { type: 'echo', input: { n: 1 }, options: { client: {} } } as never;
    const e = await refusalOf(() => mill.submitMany([item]));
    expect(e.issues[0]).toEqual({
      path: 'items[0].options.client',
      message:
        'unknown option: the transaction is given for the whole batch: submitMany(items, { client })',
    });
  });
});

describe('options that are right still work', () => {
  it('createTaskmill and defineTask take every option they know', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const mill = await createTaskmill({
      database: 'sqlite::memory:',
      tasks,
      clock,
      workerTimeoutMs: 10_000,
      retention: { completed: { maxAgeMs: 1_000, maxCount: 10 }, failed: { maxCount: 5 } },
    });
    await mill.close();
    const full = defineTask({
      name: 'full',
      description: 'every option',
      input: z.object({}),
      output: z.number(),
      run: () => 1,
      priority: 'high',
      retry: { kind: 'linear', delayMs: 10, incrementMs: 5, maxAttempts: 2, jitter: 0.1 },
      timeout: { softMs: 100, hardMs: 200 },
      queue: 'full',
      executor: 'inline',
      module: import.meta.url,
    });
    expect(full.timeout).toEqual({ softMs: 100, hardMs: 200 });
  });

  it('a retry policy without a kind is exponential, as the default is', async () => {
    expect(flaky.retry).toEqual({ kind: 'exponential', maxAttempts: 1 });
    const mill = await open(tasks);
    await mill.startWorker({ handleSignals: false, pollMs: 20 });
    const task = await mill.submit('flaky', {});
    expect(await mill.wait(task.id, { timeoutMs: 5_000 })).toMatchObject({
      status: 'failed',
      attempt: 1,
      maxAttempts: 1,
    });
  });

  it('submit, the reads, the worker and its stop take every option they know', async () => {
    const mill = await open(tasks);
    const first = await mill.submit(
      'echo',
      { n: 1 },
      {
        priority: 1,
        runAt: new Date(),
        idempotencyKey: 'first',
        queue: 'default',
        maxAttempts: 2,
        timeout: { softMs: 1_000, hardMs: 2_000 },
        client: undefined,
      },
    );
    const second = await mill.submit('echo', { n: 2 }, { delayMs: 0, dependsOn: [first.id] });
    await mill.submitMany([{ type: 'echo', input: { n: 3 }, options: { priority: 'low' } }], {});
    const worker = await mill.startWorker({
      concurrency: 2,
      prefetch: 0,
      queues: ['default'],
      name: 'all-options',
      leaseMs: 5_000,
      heartbeatMs: 1_000,
      pollMs: 20,
      sweepMs: 2_000,
      crashLimit: 3,
      shutdownGraceMs: 1_000,
      handleSignals: false,
      retentionMs: 60_000,
      executors: {
        thread: { size: 1, maxTasks: 10, maxMemoryMb: 512, heapLimitMb: 256, killGraceMs: 100 },
        blockWarnMs: 0,
      },
    });
    const signal = new AbortController().signal;
    expect(await mill.wait(second.id, { timeoutMs: 5_000, signal })).toMatchObject({
      status: 'completed',
    });
    const page = await mill.list({
      status: 'completed',
      type: ['echo'],
      queue: 'default',
      search: 'echo',
      createdFrom: 0,
      createdTo: new Date(Date.now() + 60_000),
      sort: 'priority',
      order: 'asc',
      limit: 10,
      cursor: null,
    });
    expect(page.tasks.length).toBeGreaterThanOrEqual(2);
    expect(await mill.logs(first.id, { afterId: 0, limit: 10 })).toEqual([]);
    expect((await mill.stats({ countsOnly: true })).total).toBe(3);
    mill.remoteWorkers({ leaseMs: 1_000, heartbeatMs: 300, maxWaitMs: 100, pollMs: 50 }).close();
    await worker.stop({ graceMs: 100 });
    const failed = await mill.submit('flaky', {});
    await mill.cancel(failed.id);
    expect(await mill.retry(failed.id, { maxAttempts: 2 })).toMatchObject({ maxAttempts: 2 });
  });
});
