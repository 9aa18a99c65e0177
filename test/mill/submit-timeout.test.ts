/**
 * A timeout given at submit stands in for the type's, for that task alone: it is kept with the
 * task (and shown on it), and the worker that runs the task times it by it (issue 13).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask, type TaskmillEvents } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';

/** Runs until its signal aborts, or `ms`. */
const slow = defineTask({
  name: 'slow',
  input: z.object({ ms: z.number() }),
  timeout: { hardMs: 30_000 },
  retry: { kind: 'fixed', delayMs: 1, maxAttempts: 1 },
  run: ({ ms }, ctx) =>
    new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('slept'), ms);
      ctx.signal.addEventListener('abort', () => clearTimeout(timer));
    }),
});
const tasks = [slow] as const;

forEachBackend((backend) => {
  const open = useMills(backend);

  describe('a timeout given at submit', () => {
    it("times the task out at the submitted hard timeout, not the type's", async () => {
      const mill = await open(tasks);
      await mill.startWorker({ handleSignals: false, pollMs: 20 });
      const task = await mill.submit('slow', { ms: 20_000 }, { timeout: { hardMs: 150 } });
      expect(task.timeout).toEqual({ hardMs: 150 });
      const done = await mill.wait(task.id, { timeoutMs: 10_000 });
      expect(done).toMatchObject({
        status: 'timed_out',
        timeout: { hardMs: 150 },
        error: { code: 'TASK_TIMED_OUT', message: 'Attempt 1 passed its hard timeout of 150 ms.' },
      });
      const [attempt] = await mill.executions(task.id);
      expect(attempt?.metrics?.durationMs).toBeGreaterThanOrEqual(140);
      expect(attempt?.metrics?.durationMs).toBeLessThan(5_000);
    });

    it('warns at the submitted soft timeout, and the task goes on', async () => {
      const mill = await open(tasks);
      const warned: TaskmillEvents['task.soft_timeout'][] = [];
      mill.on('task.soft_timeout', (e) => warned.push(e));
      await mill.startWorker({ handleSignals: false, pollMs: 20 });
      const task = await mill.submit('slow', { ms: 300 }, { timeout: { softMs: 50 } });
      expect(await mill.wait(task.id, { timeoutMs: 10_000 })).toMatchObject({
        status: 'completed',
        output: 'slept',
        timeout: { softMs: 50 },
      });
      expect(warned.map((e) => [e.taskId, e.softMs])).toEqual([[task.id, 50]]);
      const logs = await mill.logs(task.id);
      expect(logs.map((l) => l.message)).toContain(
        'Passed its soft timeout of 50 ms; still running.',
      );
    });

    it('is kept for each task of a batch, and none is shown where none was given', async () => {
      const mill = await open(tasks);
      const [own, none] = await mill.submitMany([
        { type: 'slow', input: { ms: 1 }, options: { timeout: { softMs: 10, hardMs: 20 } } },
        { type: 'slow', input: { ms: 1 } },
      ]);
      expect(own?.timeout).toEqual({ softMs: 10, hardMs: 20 });
      expect(none?.timeout).toBeNull();
      expect((await mill.get(own?.id ?? '')).timeout).toEqual({ softMs: 10, hardMs: 20 });
      expect((await mill.get(none?.id ?? '')).timeout).toBeNull();
    });
  });
});
