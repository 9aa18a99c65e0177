/**
 * Steering runs as a user does on each store: cancel a run, resume a failed one from its failed
 * steps, reuse a cached step's output, and the refusals that start nothing.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePipeline, defineTask, type ValidationError } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { errorOf } from '../helpers/error-of.ts';
import { gate, useMills } from '../helpers/mill.ts';

forEachBackend((backend) => {
  const open = useMills(backend);
  const calls = new Map<string, number>();
  let breakB = true;
  let held = gate();
  const work = defineTask({
    name: 'work',
    input: z.object({ name: z.string(), n: z.number().default(0) }),
    retry: { kind: 'fixed', delayMs: 0, maxAttempts: 1 },
    run: async ({ name, n }, ctx) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      if (name === 'b' && breakB) throw new Error('b broke');
      if (name === 'hold') {
        await Promise.race([
          held.promise,
          new Promise((_, reject) =>
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
          ),
        ]);
      }
      return `${name}:${n}`;
    },
  });
  const chain = definePipeline({
    name: 'chain',
    input: z.object({ n: z.number() }),
    steps: {
      a: { task: work, input: (c) => ({ name: 'a', n: c.input.n }) },
      b: { task: work, dependsOn: ['a'], input: (c) => ({ name: 'b', n: c.input.n }) },
      c: { task: work, dependsOn: ['b'], input: (c) => ({ name: 'c', n: c.input.n }) },
    },
  });

  describe('cancel and resume', () => {
    it('resumes a failed run from its failed steps, keeping the completed ones', async () => {
      calls.clear();
      breakB = true;
      const mill = await open([], { pipelines: [chain] });
      const run = await mill.pipelines.run(chain, { n: 1 });
      await mill.startWorker({ concurrency: 2, handleSignals: false });
      const failed = await mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(failed.status).toBe('failed');
      expect(failed.steps.map((s) => s.status)).toEqual(['completed', 'failed', 'failed']);
      breakB = false;
      const resumed = await mill.pipelines.resume(run.id);
      expect(resumed.status).toBe('running');
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(done.status).toBe('completed');
      expect(done.output).toEqual({ c: 'c:1' });
      expect(Object.fromEntries(calls)).toEqual({ a: 1, b: 2, c: 1 });
      const b = done.steps.find((s) => s.name === 'b')?.taskId as string;
      expect((await mill.history(b)).map((h) => h.to)).toContain('pending');
      expect(await errorOf(mill.pipelines.resume(run.id))).toMatchObject({
        code: 'PIPELINE_RUN_STATE',
      });
    });

    it('cancels a run: running steps are stopped, waiting ones never start', async () => {
      calls.clear();
      held = gate();
      const holding = definePipeline({
        name: 'holding',
        input: z.object({}),
        steps: {
          hold: { task: work, input: () => ({ name: 'hold' }) },
          next: { task: work, dependsOn: ['hold'], input: () => ({ name: 'next' }) },
        },
      });
      const mill = await open([], { pipelines: [holding] });
      const run = await mill.pipelines.run(holding, {});
      const started = new Promise<void>((resolve) => {
        const off = mill.on('pipeline.step.started', (e) => {
          if (e.runId === run.id) {
            off();
            resolve();
          }
        });
      });
      await mill.startWorker({ concurrency: 2, handleSignals: false, heartbeatMs: 50 });
      await started;
      const cancelling = await mill.pipelines.cancel(run.id);
      expect(cancelling.cancelRequested).toBe(true);
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(done.status).toBe('cancelled');
      expect(done.steps.map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
      expect(calls.get('next')).toBeUndefined();
      expect(await errorOf(mill.pipelines.cancel(run.id))).toMatchObject({
        code: 'PIPELINE_RUN_STATE',
      });
    });
  });

  describe('resume of a map', () => {
    it('runs only the failed items again, and a step task cannot be retried on its own', async () => {
      calls.clear();
      breakB = true;
      const mapped = definePipeline({
        name: 'mapped',
        input: z.object({}),
        onFailure: 'continue',
        steps: {
          items: {
            task: work,
            map: { over: () => ['x', 'b', 'y'] },
            input: (c) => ({ name: c.item as string }),
          },
        },
      });
      const mill = await open([], { pipelines: [mapped] });
      const run = await mill.pipelines.run(mapped, {});
      await mill.startWorker({ concurrency: 3, handleSignals: false });
      const failed = await mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(failed.status).toBe('failed');
      expect(failed.steps[0]?.items).toEqual({ completed: 2, failed: 1 });
      expect(await errorOf(mill.retry(failed.steps[0]?.taskId as string))).toMatchObject({
        code: 'PIPELINE_RUN_STATE',
      });
      breakB = false;
      await mill.pipelines.resume(run.id);
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(done.output).toEqual({ items: ['x:0', 'b:0', 'y:0'] });
      expect(Object.fromEntries(calls)).toEqual({ x: 1, b: 2, y: 1 });
    });
  });

  describe('cache', () => {
    it('reuses a completed step output with the same key within its time to live, and says so', async () => {
      calls.clear();
      let now = Date.UTC(2026, 0, 1);
      const cached = definePipeline({
        name: 'cached',
        input: z.object({ key: z.string() }),
        steps: {
          fetch: {
            task: work,
            input: (c) => ({ name: `fetch-${c.input.key}` }),
            cache: { key: (c) => (c.input as { key: string }).key, ttlMs: 60_000 },
          },
        },
      });
      const mill = await open([], { pipelines: [cached], clock: { now: () => now } });
      await mill.startWorker({ concurrency: 2, handleSignals: false });
      const first = await mill.pipelines.wait((await mill.pipelines.run(cached, { key: 'k' })).id, {
        timeoutMs: 10_000,
      });
      expect(first.steps[0]?.cached).toBe(false);
      now += 30_000;
      const hit = await mill.pipelines.wait((await mill.pipelines.run(cached, { key: 'k' })).id, {
        timeoutMs: 10_000,
      });
      expect(hit.steps[0]).toMatchObject({
        cached: true,
        status: 'completed',
        output: 'fetch-k:0',
      });
      expect(hit.steps[0]?.message).toBe(`cache hit: output of task ${first.steps[0]?.taskId}`);
      const other = await mill.pipelines.wait((await mill.pipelines.run(cached, { key: 'j' })).id, {
        timeoutMs: 10_000,
      });
      expect(other.steps[0]?.cached).toBe(false);
      now += 31_000;
      const expired = await mill.pipelines.wait(
        (await mill.pipelines.run(cached, { key: 'k' })).id,
        { timeoutMs: 10_000 },
      );
      expect(expired.steps[0]?.cached).toBe(false);
      expect(calls.get('fetch-k')).toBe(2);
    });
  });

  describe('refusals', () => {
    it('refuses an input that fails the schema and an unknown pipeline, starting nothing', async () => {
      const mill = await open([], { pipelines: [chain] });
      const bad = await errorOf(mill.pipelines.run(chain, { n: 'x' }));
      expect(bad).toMatchObject({ code: 'PIPELINE_INPUT_INVALID' });
      expect((bad as ValidationError).issues[0]?.path).toBe('input.n');
      const many = await errorOf(mill.pipelines.runMany(chain, [{ n: 1 }, {}]));
      expect(many).toMatchObject({ code: 'PIPELINE_INPUT_INVALID' });
      expect((many as ValidationError).issues[0]?.path).toBe('inputs[1].n');
      expect(await errorOf(mill.pipelines.run('nope', {}))).toMatchObject({
        code: 'PIPELINE_NOT_FOUND',
      });
      expect((await mill.pipelines.list()).runs).toEqual([]);
      expect((await mill.list()).tasks).toEqual([]);
      expect(await errorOf(mill.pipelines.get('nope'))).toMatchObject({
        code: 'PIPELINE_RUN_NOT_FOUND',
      });
    });

    it('fails a step whose built input its task refuses, naming the step, without retries', async () => {
      const wrong = definePipeline({
        name: 'wrong',
        input: z.object({}),
        steps: { a: { task: work, input: () => ({ nome: 'typo' }) } },
      });
      const mill = await open([], { pipelines: [wrong] });
      const run = await mill.pipelines.run(wrong, {});
      await mill.startWorker({ concurrency: 1, handleSignals: false });
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(done.error).toMatchObject({ step: 'a', code: 'PIPELINE_STEP_INVALID' });
      expect(done.error?.message).toMatch(/Step "a" built an input that its task "work" refuses/);
    });
  });
});
