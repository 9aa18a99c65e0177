/**
 * Pipelines as a user runs them: a real worker on each store runs a run's steps in dependency
 * order, each step's input built from its parents' stored outputs.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePipeline, defineTask } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';

forEachBackend((backend) => {
  const open = useMills(backend);
  const started: string[] = [];
  const add = defineTask({
    name: 'add',
    input: z.object({ label: z.string(), values: z.array(z.number()) }),
    retry: { kind: 'fixed', delayMs: 0, maxAttempts: 1 },
    run: async ({ label, values }) => {
      started.push(label);
      return values.reduce((a, b) => a + b, 0);
    },
  });
  const diamond = definePipeline({
    name: 'diamond',
    input: z.object({ x: z.number() }),
    steps: {
      a: { task: add, input: (c) => ({ label: 'a', values: [c.input.x] }) },
      b: {
        task: add,
        dependsOn: ['a'],
        input: (c) => ({ label: 'b', values: [c.outputs['a'] as number, 1] }),
      },
      c: {
        task: add,
        dependsOn: ['a'],
        input: (c) => ({ label: 'c', values: [c.outputs['a'] as number, 2] }),
      },
      d: {
        task: add,
        dependsOn: ['b', 'c'],
        input: (c) => ({
          label: 'd',
          values: [c.outputs['b'] as number, c.outputs['c'] as number],
        }),
      },
    },
  });

  const wide = definePipeline({
    name: 'wide',
    input: z.object({ width: z.number() }),
    steps: {
      root: { task: add, input: (c) => ({ label: 'root', values: [c.input.width] }) },
      ...Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [
          `w${i}`,
          {
            task: add,
            dependsOn: ['root'],
            input: (c: { outputs: Readonly<Record<string, unknown>> }) => ({
              label: `w${i}`,
              values: [c.outputs['root'] as number, i],
            }),
          },
        ]),
      ),
      join: {
        task: add,
        dependsOn: Array.from({ length: 40 }, (_, i) => `w${i}`),
        input: (c) => ({ label: 'join', values: Object.values(c.outputs) as number[] }),
      },
    },
  });

  describe('pipeline runs', () => {
    it('runs a wide graph: 40 steps at once after the root, one fan-in after all of them', async () => {
      started.length = 0;
      const mill = await open([], { pipelines: [wide] });
      const run = await mill.pipelines.run(wide, { width: 1 });
      await mill.startWorker({ concurrency: 16, handleSignals: false });
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 15_000 });
      expect(done.status).toBe('completed');
      // 40 × root (1) + 0 + 1 + … + 39
      expect(done.output).toEqual({ join: 40 + (39 * 40) / 2 });
      expect(started.filter((s) => s === 'join')).toEqual(['join']);
      expect(started.at(-1)).toBe('join');
      expect(started[0]).toBe('root');
      // The join ran after every parent: it started last, once, and its input held all 40
      // stored outputs. Its startedAt is not compared with the parents' finishedAt: each is
      // written from the writer's clock as its write began, and a claim waiting on the run's
      // lock behind the last parent's settle may carry an earlier time (guarantees.md#timestamps).
      expect(done.progress).toEqual({ done: 42, total: 42 });
    });

    it('runs a diamond: the fan-in starts once, after both parents, with their outputs', async () => {
      started.length = 0;
      const mill = await open([], { pipelines: [diamond] });
      const run = await mill.pipelines.run(diamond, { x: 10 });
      expect(run.status).toBe('running');
      expect(run.steps.map((s) => [s.name, s.status])).toEqual([
        ['a', 'queued'],
        ['b', 'pending'],
        ['c', 'pending'],
        ['d', 'pending'],
      ]);
      await mill.startWorker({ concurrency: 4, handleSignals: false });
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(done.status).toBe('completed');
      expect(done.output).toEqual({ d: 10 + 1 + 10 + 2 });
      expect(started.filter((s) => s === 'd')).toEqual(['d']);
      expect(started.indexOf('d')).toBe(3);
      expect(done.progress).toEqual({ done: 4, total: 4 });
      const d = done.steps.find((s) => s.name === 'd');
      expect((await mill.get(d?.taskId as string)).input).toEqual({ label: 'd', values: [11, 12] });
    });
  });
});
