import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  currentTask,
  defineTask,
  NonRetryableError,
  type TaskmillEvents,
} from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';

forEachBackend((backend) => {
  const open = useMills(backend);

  describe('worker runs tasks', () => {
    it('completes a task, records the attempt and its metrics, and emits every transition', async () => {
      const double = defineTask({
        name: 'double',
        input: z.object({ n: z.number() }),
        output: z.number(),
        run: ({ n }) => n * 2,
      });
      const mill = await open([double]);
      const statuses: string[] = [];
      mill.on('task.status', (e) => statuses.push(`${e.from}->${e.to}`));
      const task = await mill.submit('double', { n: 21 });
      await mill.startWorker({ concurrency: 2, handleSignals: false });
      const done = await mill.wait(task.id, { timeoutMs: 5000 });
      expect(done).toMatchObject({ status: 'completed', output: 42, attempt: 1 });
      expect(done.finishedAt).toBeInstanceOf(Date);
      const [execution] = await mill.executions(task.id);
      expect(execution).toMatchObject({ attempt: 1, outcome: 'completed', error: null });
      expect(execution?.metrics?.durationMs).toBeGreaterThanOrEqual(0);
      expect(execution?.metrics?.peakRssBytes).toBeGreaterThan(1_000_000);
      expect(statuses).toEqual(['null->queued', 'queued->running', 'running->completed']);
      expect((await mill.history(task.id)).map((h) => h.to)).toEqual([
        'queued',
        'running',
        'completed',
      ]);
    });

    it('runs by priority, FIFO within a level', async () => {
      const order: string[] = [];
      const rec = defineTask({
        name: 'rec',
        input: z.object({ tag: z.string() }),
        run: ({ tag }) => void order.push(tag),
      });
      const mill = await open([rec]);
      await mill.submit('rec', { tag: 'low-1' }, { priority: 'low' });
      await mill.submit('rec', { tag: 'normal-1' });
      await mill.submit('rec', { tag: 'critical-1' }, { priority: 'critical' });
      await mill.submit('rec', { tag: 'normal-2' });
      await mill.submit('rec', { tag: 'high-1' }, { priority: 'high' });
      const last = await mill.submit('rec', { tag: 'low-2' }, { priority: 3 });
      await mill.startWorker({ concurrency: 1, handleSignals: false });
      await mill.wait(last.id, { timeoutMs: 5000 });
      expect(order).toEqual(['critical-1', 'high-1', 'normal-1', 'normal-2', 'low-1', 'low-2']);
    });

    for (const [prefetch, expected] of [
      [0, ['a', 'critical', 'b', 'c']],
      [1, ['a', 'b', 'critical', 'c']],
    ] as const) {
      it(`with prefetch ${prefetch}, starts a critical task submitted meanwhile ${prefetch === 0 ? 'next' : 'after the task it holds'}`, async () => {
        const order: string[] = [];
        let release: () => void = () => {};
        const gate = new Promise<void>((r) => (release = r));
        const rec = defineTask({
          name: 'rec',
          input: z.object({ tag: z.string() }),
          run: async ({ tag }) => {
            order.push(tag);
            if (tag === 'a') await gate;
          },
        });
        const mill = await open([rec]);
        const started = new Promise<void>((r) =>
          mill.on('task.status', (e) => e.to === 'running' && r()),
        );
        for (const tag of ['a', 'b', 'c']) await mill.submit('rec', { tag });
        await mill.startWorker({ concurrency: 1, prefetch, handleSignals: false });
        await started;
        const critical = await mill.submit('rec', { tag: 'critical' }, { priority: 'critical' });
        release();
        await mill.wait(critical.id, { timeoutMs: 5000 });
        await vi.waitFor(() => expect(order).toHaveLength(4));
        expect(order).toEqual(expected);
      });
    }

    it('refuses a prefetch that is not a whole number of tasks ≥ 0', async () => {
      const mill = await open([]);
      for (const prefetch of [-1, 1.5, Number.NaN]) {
        await expect(mill.startWorker({ prefetch, handleSignals: false })).rejects.toMatchObject({
          code: 'OPTIONS_INVALID',
          details: { issues: [{ path: 'prefetch' }] },
        });
      }
    });

    it('gives the handler progress, logs, metrics, artifacts and currentTask()', async () => {
      const deepHelper = () =>
        currentTask()?.log.info(`deep in the stack of ${currentTask()?.task.type}`);
      const report = defineTask({
        name: 'report',
        input: z.object({ rows: z.number() }),
        run: async ({ rows }, ctx) => {
          ctx.progress(50, 'halfway');
          ctx.log.info('starting');
          ctx.log.warn('careful');
          ctx.metric('rows', rows);
          deepHelper();
          const artifact = await ctx.artifacts.put('out.csv', 'a,b\n1,2\n');
          ctx.progress(100, 'done');
          return { artifact: artifact.id };
        },
      });
      const mill = await open([report]);
      const progress: TaskmillEvents['task.progress'][] = [];
      mill.on('task.progress', (e) => progress.push(e));
      const task = await mill.submit('report', { rows: 7 });
      await mill.startWorker({ handleSignals: false });
      const done = await mill.wait(task.id, { timeoutMs: 5000 });
      expect(done).toMatchObject({ status: 'completed', progress: 100, progressMessage: 'done' });
      expect(progress.map((p) => p.percent)).toEqual([50, 100]);
      const logs = await mill.logs(task.id);
      expect(logs.map((l) => [l.level, l.message])).toEqual([
        ['info', 'starting'],
        ['warn', 'careful'],
        ['info', 'deep in the stack of report'],
      ]);
      const [execution] = await mill.executions(task.id);
      expect(execution?.metrics?.['rows']).toBe(7);
      const [artifact] = await mill.artifacts(task.id);
      expect(artifact).toMatchObject({ name: 'out.csv', size: 8, attempt: 1 });
      const bytes = readFileSync(join(mill.dataDir, artifact?.path ?? ''));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(artifact?.sha256);
    });

    it('retries by the policy and keeps each attempt', async () => {
      let calls = 0;
      const flaky = defineTask({
        name: 'flaky',
        input: z.object({}),
        retry: { kind: 'fixed', delayMs: 0, maxAttempts: 3 },
        run: () => {
          calls++;
          if (calls < 3) throw Object.assign(new Error(`boom ${calls}`), { code: 'E_FLAKY' });
          return 'ok';
        },
      });
      const mill = await open([flaky]);
      const task = await mill.submit('flaky', {});
      await mill.startWorker({ handleSignals: false });
      const done = await mill.wait(task.id, { timeoutMs: 5000 });
      expect(done).toMatchObject({ status: 'completed', attempt: 3, output: 'ok' });
      // The task's outcome is success: the attempts' errors stay with the attempts.
      expect(done.error).toBeNull();
      expect((await mill.get(task.id)).error).toBeNull();
      const executions = await mill.executions(task.id);
      expect(executions.map((e) => [e.attempt, e.outcome, e.error?.code ?? null])).toEqual([
        [1, 'failed', 'E_FLAKY'],
        [2, 'failed', 'E_FLAKY'],
        [3, 'completed', null],
      ]);
      expect((await mill.history(task.id)).map((h) => h.to)).toEqual([
        'queued',
        'running',
        'retrying',
        'running',
        'retrying',
        'running',
        'completed',
      ]);
    });

    it('fails at once on an error the policy says not to retry', async () => {
      const strict = defineTask({
        name: 'strict',
        input: z.object({ kind: z.string() }),
        retry: {
          kind: 'fixed',
          delayMs: 0,
          maxAttempts: 5,
          retryIf: (e) => !(e instanceof TypeError),
        },
        run: ({ kind }) => {
          if (kind === 'type') throw new TypeError('bad type');
          throw new NonRetryableError('give up');
        },
      });
      const mill = await open([strict]);
      const a = await mill.submit('strict', { kind: 'type' });
      const b = await mill.submit('strict', { kind: 'permanent' });
      await mill.startWorker({ handleSignals: false });
      const [da, db] = await Promise.all([
        mill.wait(a.id, { timeoutMs: 5000 }),
        mill.wait(b.id, { timeoutMs: 5000 }),
      ]);
      expect(da).toMatchObject({
        status: 'failed',
        attempt: 1,
        error: { message: 'bad type', retryable: false },
      });
      expect(db).toMatchObject({
        status: 'failed',
        attempt: 1,
        error: { message: 'give up', retryable: false },
      });
      expect(db.error?.stack).toContain('give up');
    });

    it('fails an attempt whose output breaks the output schema', async () => {
      const liar = defineTask({
        name: 'liar',
        input: z.object({}),
        output: z.number(),
        retry: { kind: 'fixed', delayMs: 0, maxAttempts: 3 },
        run: () => 'nope' as unknown as number,
      });
      const mill = await open([liar]);
      const task = await mill.submit('liar', {});
      await mill.startWorker({ handleSignals: false });
      const done = await mill.wait(task.id, { timeoutMs: 5000 });
      // Retrying cannot fix output that breaks the schema: one attempt, then failed.
      expect(done).toMatchObject({
        status: 'failed',
        attempt: 1,
        error: { code: 'TASK_OUTPUT_INVALID', retryable: false },
      });
    });

    it('a listener that throws does not break the worker', async () => {
      const ok = defineTask({ name: 'ok', input: z.object({}), run: () => 1 });
      const mill = await open([ok]);
      const reported: unknown[] = [];
      mill.on('task.status', () => {
        throw new Error('listener bug');
      });
      mill.on('listener.error', (e) => reported.push(e.error));
      const task = await mill.submit('ok', {});
      await mill.startWorker({ handleSignals: false });
      expect((await mill.wait(task.id, { timeoutMs: 5000 })).status).toBe('completed');
      expect(reported.length).toBeGreaterThanOrEqual(3);
    });
  });
});
