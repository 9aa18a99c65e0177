/**
 * Following a pipeline run or a batch of runs from the CLI, as `watchTask` follows a task: read
 * it every `intervalMs` (the workers that move it are other processes, whose events never reach
 * this one) and report each change, until it has ended or the signal aborts.
 */
import type { PipelineBatch, PipelineRun, PipelineRunOperations } from '../core/pipeline-run.ts';
import { type LoopOptions, pollLoop } from './watch-task.ts';

function changeKey(run: PipelineRun): string {
  const steps = run.steps.map((s) => [s.status, s.progress.done, s.progress.total, s.attempt]);
  return JSON.stringify([run.status, run.cancelRequested, run.items, steps]);
}

/** Resolve with the run once it has ended; with null when the signal aborted first. */
export async function watchRun(
  pipelines: PipelineRunOperations,
  id: string,
  onChange: (run: PipelineRun) => void | Promise<void>,
  options: LoopOptions & { intervalMs: number },
): Promise<PipelineRun | null> {
  let last = '';
  let final: PipelineRun | null = null;
  const step = async () => {
    const run = await pipelines.get(id);
    const key = changeKey(run);
    if (key !== last) {
      last = key;
      await onChange(run);
    }
    if (run.status !== 'running') final = run;
    return final !== null;
  };
  const finished = await pollLoop(step, () => () => {}, options);
  return finished ? final : null;
}

/** Resolve with the batch once none of its runs is running; with null when aborted first. */
export async function watchBatch(
  pipelines: PipelineRunOperations,
  id: string,
  onChange: (batch: PipelineBatch) => void | Promise<void>,
  options: LoopOptions & { intervalMs: number },
): Promise<PipelineBatch | null> {
  let last = '';
  let final: PipelineBatch | null = null;
  const step = async () => {
    const batch = await pipelines.batch(id);
    const key = JSON.stringify([batch.completed, batch.failed, batch.cancelled, batch.running]);
    if (key !== last) {
      last = key;
      await onChange(batch);
    }
    if (batch.running === 0) final = batch;
    return final !== null;
  };
  const finished = await pollLoop(step, () => () => {}, options);
  return finished ? final : null;
}
