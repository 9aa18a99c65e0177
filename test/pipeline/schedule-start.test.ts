/**
 * A schedule starts a pipeline: it submits the task `taskmill:pipeline`, whose worker starts the
 * run, whose id is the task's (so a retried start finds it: store conformance, pipelines).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/core/clock.ts';
import { definePipeline, defineTask } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
// The scheduler runs only when a test asks for it.
const MANUAL = { enabled: false, pollMs: 2_147_483_647 };

forEachBackend((backend) => {
  const open = useMills(backend);
  const echo = defineTask({
    name: 'echo',
    input: z.object({ day: z.string() }),
    run: async ({ day }) => day,
  });
  const nightly = definePipeline({
    name: 'nightly',
    input: z.object({ day: z.string() }),
    steps: { only: { task: echo } },
  });

  describe('a schedule of a pipeline', () => {
    it('starts a run each time the schedule fires, with the schedule input', async () => {
      const clock = new ManualClock(T0);
      const mill = await open([], { pipelines: [nightly], clock, scheduler: MANUAL });
      await mill.schedules.add({
        name: 'nightly-run',
        cron: '0 3 * * *',
        task: 'taskmill:pipeline',
        input: { pipeline: 'nightly', input: { day: 'today' } },
      });
      const tick = await mill.schedules.runNow('nightly-run');
      await mill.startWorker({ concurrency: 2, handleSignals: false });
      const starter = await mill.wait(tick.taskId as string, { timeoutMs: 10_000 });
      expect(starter.status).toBe('completed');
      const runId = (starter.output as { runId: string }).runId;
      expect(runId).toBe(starter.id);
      const run = await mill.pipelines.wait(runId, { timeoutMs: 10_000 });
      expect(run).toMatchObject({
        pipeline: 'nightly',
        status: 'completed',
        output: { only: 'today' },
      });
    });

    it('refuses a schedule whose input does not name a pipeline and its input', async () => {
      const mill = await open([], { pipelines: [nightly], scheduler: MANUAL });
      await expect(
        mill.schedules.add({
          name: 'bad',
          cron: '0 3 * * *',
          task: 'taskmill:pipeline',
          input: { pipe: 'x' },
        }),
      ).rejects.toMatchObject({ code: 'TASK_INPUT_INVALID' });
    });
  });
});
