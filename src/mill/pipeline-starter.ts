/**
 * The task that starts a pipeline run, `taskmill:pipeline`: how a schedule (or anything that
 * submits tasks) starts a run. Its input names the pipeline and gives the run's input; its output
 * is the run's id. The run takes the task's id as its own, so an attempt that starts the run and
 * dies before it settles leaves one run, not two: the next attempt finds the run started.
 */
import { z } from 'zod';
import { defineTask } from '../core/define-task.ts';

export const PIPELINE_STARTER = 'taskmill:pipeline';

export interface RunStarter {
  /** Start a run of `pipeline` with the given id, or find it started already. */
  startWithId(id: string, pipeline: string, input: unknown): Promise<{ runId: string }>;
}

export function pipelineStarterTask(starter: () => RunStarter) {
  return defineTask({
    name: PIPELINE_STARTER,
    description: 'Starts a run of a pipeline (what a schedule of a pipeline submits).',
    input: z.object({ pipeline: z.string(), input: z.unknown() }).strict(),
    output: z.object({ runId: z.string() }),
    retry: { kind: 'fixed', delayMs: 1000, maxAttempts: 5 },
    run: ({ pipeline, input }, ctx) => starter().startWithId(ctx.task.id, pipeline, input),
  });
}
