/**
 * A map step's items: one task of the step's task type per item of its list, each with the input
 * the step's `input` function builds for it (the item itself without one), checked against the
 * task's schema before anything is written. Items wait for a place when the step bounds how many
 * run at once, or the run is sequential.
 */
import { parseInput } from '../core/define-task.ts';
import { uuidv7 } from '../core/ids.ts';
import type { NewTask } from '../core/new-task.ts';
import { priorityLevel } from '../core/priority.ts';
import type { ClaimedTask, StoredRun } from '../store/contract.ts';
import type { PipelineStep, StepContext } from './pipeline-types.ts';
import { stepTaskBase } from './run-plan.ts';
import { stepInvalid } from './step-errors.ts';

export function expandItems(
  step: PipelineStep,
  ctx: StepContext,
  list: readonly unknown[],
  claimed: ClaimedTask,
  run: StoredRun,
  /** The step's place in the run's topological order. */
  order: number,
  now: number,
): NewTask[] {
  const held = run.mode === 'sequential' || run.limits[step.name] !== undefined;
  const base = stepTaskBase(step);
  return list.map((item, index): NewTask => {
    let input: unknown;
    try {
      input = step.input ? step.input({ ...ctx, item, index }) : item;
    } catch (error) {
      throw stepInvalid(step.name, `input threw for item ${index}`, error);
    }
    try {
      parseInput(step.task, input);
    } catch (error) {
      throw stepInvalid(
        step.name,
        `built an input for item ${index} that its task "${step.task.name}" refuses`,
        error,
      );
    }
    return {
      id: uuidv7(now),
      ...base,
      queue: claimed.task.queue,
      priority: priorityLevel(claimed.task.priority),
      status: held ? 'pending' : 'queued',
      input: input ?? null,
      runAt: now,
      idempotencyKey: null,
      inputHash: null,
      pipeline: { runId: run.id, step: step.name, item: index, order, held },
    };
  });
}
