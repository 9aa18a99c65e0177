/**
 * What a run does when a step fails (`failFast`, `continue`), one step at a time (`sequential`),
 * and when a step's `when` says no (`skipped`), as a user runs it on each store.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePipeline, defineTask, type StepOptions } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { gate, useMills } from '../helpers/mill.ts';

forEachBackend((backend) => {
  const open = useMills(backend);
  const ran: string[] = [];
  let running = 0;
  let peak = 0;
  const slowGate = { current: gate() };
  const work = defineTask({
    name: 'work',
    input: z.object({
      name: z.string(),
      fail: z.boolean().default(false),
      slow: z.boolean().default(false),
    }),
    retry: { kind: 'fixed', delayMs: 0, maxAttempts: 1 },
    run: async ({ name, fail, slow }, ctx) => {
      ran.push(name);
      running++;
      peak = Math.max(peak, running);
      try {
        await new Promise((r) => setImmediate(r));
        if (slow) {
          // Held until the test opens the gate, or cancelled by the run failing fast.
          await Promise.race([
            slowGate.current.promise,
            new Promise((_, reject) =>
              ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
            ),
          ]);
        }
        if (fail) throw new Error(`${name} broke`);
        return name;
      } finally {
        running--;
      }
    },
  });
  const step = (
    name: string,
    extra: Partial<StepOptions> = {},
    flags: { fail?: boolean; slow?: boolean } = {},
  ) => ({
    task: work,
    input: () => ({ name, ...flags }),
    ...extra,
  });
  const reset = () => {
    ran.length = 0;
    running = 0;
    peak = 0;
    slowGate.current = gate();
  };

  describe('failure policies', () => {
    // a → b (fails) → c; a → slow; failFast cancels the slow branch, continue lets it finish.
    const branching = (onFailure: 'failFast' | 'continue') =>
      definePipeline({
        name: `branching-${onFailure}`,
        input: z.object({}),
        onFailure,
        steps: {
          a: step('a'),
          b: step('b', { dependsOn: ['a'] }, { fail: true }),
          c: step('c', { dependsOn: ['b'] }),
          slow: step('slow', { dependsOn: ['a'] }, { slow: true }),
          after: step('after', { dependsOn: ['slow'] }),
        },
      });

    it('failFast: a failed step cancels what has not finished, running steps included', async () => {
      reset();
      const pipeline = branching('failFast');
      const mill = await open([], { pipelines: [pipeline] });
      const run = await mill.pipelines.run(pipeline, {});
      await mill.startWorker({ concurrency: 4, handleSignals: false, heartbeatMs: 50 });
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 15_000 });
      expect(done.status).toBe('failed');
      expect(done.error).toMatchObject({ step: 'b', message: 'b broke' });
      const status = Object.fromEntries(done.steps.map((s) => [s.name, s.status]));
      expect(status).toMatchObject({ a: 'completed', b: 'failed', after: 'cancelled' });
      expect(['cancelled', 'completed']).toContain(status['slow']);
      expect(['cancelled', 'failed']).toContain(status['c']);
      expect(ran).not.toContain('c');
      expect(ran).not.toContain('after');
    });

    it('continue: runs every step that does not depend on the failure, and fails the run', async () => {
      reset();
      const pipeline = branching('continue');
      const mill = await open([], { pipelines: [pipeline] });
      const run = await mill.pipelines.run(pipeline, {});
      await mill.startWorker({ concurrency: 4, handleSignals: false });
      // The slow branch goes on after b has failed.
      const b = run.steps.find((s) => s.name === 'b')?.taskId as string;
      await mill.wait(b, { timeoutMs: 10_000 });
      slowGate.current.open();
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 15_000 });
      expect(done.status).toBe('failed');
      const status = Object.fromEntries(done.steps.map((s) => [s.name, s.status]));
      expect(status).toEqual({
        a: 'completed',
        b: 'failed',
        c: 'failed',
        slow: 'completed',
        after: 'completed',
      });
      const c = done.steps.find((s) => s.name === 'c');
      expect(c?.error?.code).toBe('DEPENDENCY_FAILED');
      expect(ran).not.toContain('c');
    });
  });

  describe('sequential mode', () => {
    it('runs one step (or map item) at a time, in topological order', async () => {
      reset();
      const pipeline = definePipeline({
        name: 'one-by-one',
        input: z.object({}),
        mode: 'sequential',
        steps: {
          a: step('a'),
          b: step('b', { dependsOn: ['a'] }),
          c: step('c', { dependsOn: ['a'] }),
          m: {
            task: work,
            dependsOn: ['b'],
            map: { over: () => ['m0', 'm1', 'm2'], concurrency: 3 },
            input: (ctx) => ({ name: ctx.item as string }),
          },
          d: step('d', { dependsOn: ['m', 'c'] }),
        },
      });
      const mill = await open([], { pipelines: [pipeline] });
      const run = await mill.pipelines.run(pipeline, {});
      expect(run.steps.filter((s) => s.status === 'queued').map((s) => s.name)).toEqual(['a']);
      await mill.startWorker({ concurrency: 8, handleSignals: false });
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 15_000 });
      expect(done.status).toBe('completed');
      expect(peak).toBe(1);
      expect(ran).toEqual(['a', 'b', 'c', 'm0', 'm1', 'm2', 'd']);
    });
  });

  describe('when', () => {
    it('skips a step whose when says no, and the steps after it, unless they run after a skip', async () => {
      reset();
      const pipeline = definePipeline({
        name: 'branch',
        input: z.object({ big: z.boolean() }),
        steps: {
          a: step('a'),
          big: step('big', { dependsOn: ['a'], when: (c) => (c.input as { big: boolean }).big }),
          small: step('small', {
            dependsOn: ['a'],
            when: (c) => !(c.input as { big: boolean }).big,
          }),
          afterBig: step('afterBig', { dependsOn: ['big'] }),
          join: {
            task: work,
            dependsOn: ['big', 'small'],
            whenParentSkipped: 'run',
            input: (c) => ({
              name: `join:${Object.keys(c.outputs).join(',')}:${c.skipped.join(',')}`,
            }),
          },
        },
      });
      const mill = await open([], { pipelines: [pipeline] });
      const run = await mill.pipelines.run(pipeline, { big: false });
      await mill.startWorker({ concurrency: 4, handleSignals: false });
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(done.status).toBe('completed');
      const status = Object.fromEntries(done.steps.map((s) => [s.name, s.status]));
      expect(status).toEqual({
        a: 'completed',
        big: 'skipped',
        small: 'completed',
        afterBig: 'skipped',
        join: 'completed',
      });
      expect(ran).toEqual(['a', 'small', 'join:small:big']);
      expect(done.steps.find((s) => s.name === 'big')?.message).toBe(
        'skipped: when returned false',
      );
      expect(done.output).toEqual({ afterBig: null, join: 'join:small:big' });
      const history = await mill.history(
        done.steps.find((s) => s.name === 'big')?.taskId as string,
      );
      expect(history.at(-1)).toMatchObject({ from: 'running', to: 'skipped' });
    });
  });
});
