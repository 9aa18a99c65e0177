/**
 * Map steps as a user runs them: one task per item of a list from an earlier step, at most
 * `concurrency` at once, the results in item order for the step after.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePipeline, defineTask } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';

forEachBackend((backend) => {
  const open = useMills(backend);
  let running = 0;
  let peak = 0;
  const list = defineTask({
    name: 'list',
    input: z.object({ n: z.number().int() }),
    run: async ({ n }) => Array.from({ length: n }, (_, i) => i),
  });
  const square = defineTask({
    name: 'square',
    input: z.object({ value: z.number() }),
    run: async ({ value }) => {
      running++;
      peak = Math.max(peak, running);
      // Let other items start meanwhile, if the bound allowed them.
      await new Promise((r) => setImmediate(r));
      running--;
      return value * value;
    },
  });
  const total = defineTask({
    name: 'total',
    input: z.object({ values: z.array(z.number()) }),
    run: async ({ values }) => ({
      sum: values.reduce((a, b) => a + b, 0),
      first: values.slice(0, 3),
    }),
  });
  const squares = (concurrency?: number) =>
    definePipeline({
      name: 'squares',
      input: z.object({ n: z.number().int() }),
      steps: {
        list: { task: list },
        square: {
          task: square,
          dependsOn: ['list'],
          map: {
            over: (c) => c.outputs['list'] as number[],
            ...(concurrency ? { concurrency } : {}),
          },
          input: (c) => ({ value: (c.item as number) + 1 }),
        },
        total: {
          task: total,
          dependsOn: ['square'],
          input: (c) => ({ values: c.outputs['square'] as number[] }),
        },
      },
    });

  describe('map steps', () => {
    it('runs a task per item, at most `concurrency` at once, and passes the results in item order', async () => {
      running = 0;
      peak = 0;
      const pipeline = squares(3);
      const mill = await open([], { pipelines: [pipeline] });
      const run = await mill.pipelines.run(pipeline, { n: 40 });
      await mill.startWorker({ concurrency: 10, handleSignals: false });
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 20_000 });
      expect(done.status).toBe('completed');
      const expected = Array.from({ length: 40 }, (_, i) => (i + 1) * (i + 1));
      expect(done.output).toEqual({
        total: { sum: expected.reduce((a, b) => a + b, 0), first: [1, 4, 9] },
      });
      expect(peak).toBeGreaterThan(1);
      expect(peak).toBeLessThanOrEqual(3);
      const step = done.steps.find((s) => s.name === 'square');
      expect(step?.items).toEqual({ completed: 40 });
      expect(step?.progress).toEqual({ done: 40, total: 40 });
      expect(step?.output).toEqual(expected);
      expect(done.items).toEqual({ done: 40, total: 40 });
    });

    it('maps 1,000 items', async () => {
      const pipeline = squares();
      const mill = await open([], { pipelines: [pipeline] });
      const run = await mill.pipelines.run(pipeline, { n: 1000 });
      await mill.startWorker({ concurrency: 50, handleSignals: false });
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 60_000 });
      expect(done.status).toBe('completed');
      const sum = Array.from({ length: 1000 }, (_, i) => (i + 1) * (i + 1)).reduce(
        (a, b) => a + b,
        0,
      );
      expect(done.output?.['total']).toMatchObject({ sum });
      expect(done.items).toEqual({ done: 1000, total: 1000 });
    });

    it('gives an empty list to the next step without running the task', async () => {
      const pipeline = squares(2);
      const mill = await open([], { pipelines: [pipeline] });
      const run = await mill.pipelines.run(pipeline, { n: 0 });
      await mill.startWorker({ concurrency: 2, handleSignals: false });
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(done.output).toEqual({ total: { sum: 0, first: [] } });
    });

    it('fails the step, naming it, when map.over gives something that is not a list', async () => {
      const bad = definePipeline({
        name: 'bad-map',
        input: z.object({}),
        steps: {
          list: { task: list, input: () => ({ n: 2 }) },
          square: {
            task: square,
            dependsOn: ['list'],
            map: { over: () => ({ not: 'a list' }) as unknown as number[] },
          },
        },
      });
      const mill = await open([], { pipelines: [bad] });
      const run = await mill.pipelines.run(bad, {});
      await mill.startWorker({ concurrency: 2, handleSignals: false });
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(done.status).toBe('failed');
      expect(done.error).toMatchObject({ step: 'square', code: 'PIPELINE_STEP_INVALID' });
      expect(done.error?.message).toMatch(/map\.over returned object, not a list/);
      const step = done.steps.find((s) => s.name === 'square');
      expect(step?.attempt).toBe(1);
    });
  });
});
