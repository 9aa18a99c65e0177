/**
 * Seed 004's plugin callbacks (hooks) and the `pipeline.*` events, as a user listens to them: each
 * step's start and end, the run's end once; a hook that throws changes nothing about the run.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePipeline, defineTask, type TaskmillEvents } from '../../src/index.ts';
import { openStore } from '../../src/store/open.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';

forEachBackend((backend) => {
  const open = useMills(backend);
  const one = defineTask({ name: 'one', input: z.unknown(), run: async () => 1 });

  describe('pipeline hooks and events', () => {
    it('reports a run that crash recovery ended, once, in the process whose sweeper ended it', async () => {
      const ended: string[] = [];
      const single = definePipeline({
        name: 'single',
        input: z.object({}),
        steps: { only: { task: one } },
        hooks: { onRunEnd: (e) => void ended.push(`hook ${e.status}`) },
      });
      const mill = await open([], { pipelines: [single] });
      const run = await mill.pipelines.run(single, {});
      // A worker of another process claims the step and dies: its lease runs out.
      const ghost = await openStore(mill.dbUrl);
      try {
        const claimed = await ghost.taskClaim({
          now: Date.now(),
          workerId: 'ghost',
          limit: 1,
          types: ['one'],
          queues: null,
          leaseMs: 100,
        });
        expect(claimed.map((c) => c.task.id)).toEqual([run.steps[0]?.taskId]);
      } finally {
        await ghost.close();
      }
      const event = new Promise<TaskmillEvents['pipeline.run.ended']>((resolve) => {
        mill.on('pipeline.run.ended', resolve);
      });
      await mill.startWorker({ handleSignals: false, crashLimit: 1, sweepMs: 50 });
      expect(await event).toMatchObject({ runId: run.id, pipeline: 'single', status: 'failed' });
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(done.error).toMatchObject({ step: 'only', code: 'WORKER_CRASHED' });
      expect(ended).toEqual(['hook failed']);
    });

    it('calls onStepStart, onStepEnd and onRunEnd, and emits the pipeline events', async () => {
      const seen: string[] = [];
      const pipeline = definePipeline({
        name: 'hooked',
        input: z.object({}),
        steps: {
          a: { task: one },
          m: { task: one, dependsOn: ['a'], map: { over: () => [1, 2] } },
        },
        hooks: {
          onStepStart: (e) => {
            seen.push(`start ${e.step}${e.item === null ? '' : `[${e.item}]`}`);
          },
          onStepEnd: (e) => {
            seen.push(`end ${e.step}${e.item === null ? '' : `[${e.item}]`} ${e.status}`);
            if (e.step === 'a') throw new Error('a hook that breaks');
          },
          onRunEnd: async (e) => {
            seen.push(`run ${e.status}`);
          },
        },
      });
      const mill = await open([], { pipelines: [pipeline] });
      const events: string[] = [];
      const errors: TaskmillEvents['listener.error'][] = [];
      mill.on('pipeline.run.started', (e) => events.push(`run.started ${e.pipeline}`));
      mill.on('pipeline.step.ended', (e) => events.push(`step.ended ${e.step} ${e.status}`));
      mill.on('pipeline.run.ended', (e) => events.push(`run.ended ${e.status}`));
      mill.on('listener.error', (e) => errors.push(e));
      const run = await mill.pipelines.run(pipeline, {});
      await mill.startWorker({ concurrency: 1, prefetch: 0, handleSignals: false });
      const done = await mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(done.status).toBe('completed');
      // The next task may start before the end of the one before it is reported.
      expect([...seen].sort()).toEqual(
        [
          'start a',
          'end a completed',
          'end m pending',
          'start m[0]',
          'end m[0] completed',
          'start m[1]',
          'end m[1] completed',
          'end m completed',
          'run completed',
        ].sort(),
      );
      const at = (entry: string) => seen.indexOf(entry);
      expect(at('start a')).toBeLessThan(at('end a completed'));
      expect(at('end a completed')).toBeLessThan(at('end m pending'));
      expect(at('end m pending')).toBeLessThan(at('start m[0]'));
      expect(Math.max(at('end m[0] completed'), at('end m[1] completed'))).toBeLessThan(
        at('end m completed'),
      );
      expect(seen.at(-1)).toBe('run completed');
      expect(events).toEqual([
        'run.started hooked',
        'step.ended a completed',
        'step.ended m pending',
        'step.ended m completed',
        'step.ended m completed',
        'step.ended m completed',
        'run.ended completed',
      ]);
      expect(errors.map((e) => (e.error as Error).message)).toEqual(['a hook that breaks']);
    });
  });
});
