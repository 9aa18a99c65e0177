/**
 * What starting a run writes: the run's row and one task per step, parents before children,
 * each step's task depending on its parents' tasks. A step's input is not known yet (it is built
 * from its parents' outputs when a worker claims it), so its task is stored with a null input.
 * Everything here is checked before the store is touched: a bad input starts nothing.
 */

import { zodIssues } from '../core/define-task.ts';
import { ValidationError } from '../core/errors.ts';
import { uuidv7 } from '../core/ids.ts';
import type { NewTask } from '../core/new-task.ts';
import { maxAttemptsOf } from '../core/retry-policy.ts';
import type { NewRun } from '../store/contract.ts';
import type { PipelineDefinition } from './define-pipeline.ts';
import type { PipelineStep } from './pipeline-types.ts';

export interface PlannedRun {
  run: NewRun;
  tasks: NewTask[];
}

/** The run's input, checked against the pipeline's schema (its parsed value is kept). */
export function parseRunInput(def: PipelineDefinition, input: unknown, path = 'input'): unknown {
  const result = def.inputSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = zodIssues(result.error, path);
  throw new ValidationError(
    'PIPELINE_INPUT_INVALID',
    `Input for pipeline "${def.name}" is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}. Nothing was started.`,
    issues,
    { pipeline: def.name },
  );
}

/** The map steps' bounds on items at once. */
export function limitsOf(def: PipelineDefinition): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const [name, step] of def.steps) {
    if (step.map?.concurrency !== undefined) limits[name] = step.map.concurrency;
  }
  return limits;
}

/** The task a step's work runs as: the step's task type, with the step's retry policy. */
export function stepTaskBase(step: PipelineStep) {
  const def = step.task;
  return {
    type: def.name,
    queue: def.queue,
    priority: def.priority,
    maxAttempts: maxAttemptsOf(step.retry ?? def.retry),
  };
}

export function planRun(
  def: PipelineDefinition,
  input: unknown,
  now: number,
  batch: { id: string; index: number } | null = null,
  runId: string = uuidv7(now),
): PlannedRun {
  const sequential = def.mode === 'sequential';
  const ids = new Map<string, string>();
  const tasks = def.graph.order.map((name, order): NewTask => {
    const step = def.steps.get(name) as PipelineStep;
    const id = uuidv7(now);
    ids.set(name, id);
    const dependsOn = step.dependsOn.map((parent) => ids.get(parent) as string);
    return {
      id,
      ...stepTaskBase(step),
      status: sequential ? 'pending' : 'queued',
      input: null,
      inputJson: 'null',
      runAt: now,
      idempotencyKey: null,
      inputHash: null,
      ...(dependsOn.length === 0 ? {} : { dependsOn }),
      pipeline: { runId, step: name, item: null, order, held: sequential },
    };
  });
  const run: NewRun = {
    id: runId,
    pipeline: def.name,
    input,
    mode: def.mode,
    onFailure: def.onFailure,
    limits: limitsOf(def),
    batch,
  };
  return { run, tasks };
}
