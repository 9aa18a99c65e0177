/**
 * The checks of a pipeline's `steps`: each step's options, its name, its task, and the names in
 * its `dependsOn`. Every problem of every step is collected, so one error lists them all; the
 * cycle check runs after, on steps known to be well formed.
 */

import { closestName } from '../core/closest-name.ts';
import { isTaskDefinition } from '../core/define-task.ts';
import { type FieldIssue, ValidationError } from '../core/errors.ts';
import { checkOptions, is, OptionSpec, optionSpec, valueRule } from '../core/options-check.ts';
import { validateRetryPolicy } from '../core/retry-policy.ts';
import type { PipelineStep, StepOptions } from './pipeline-types.ts';

/** One thing wrong, with the sentence the error's message gives it. */
export interface StepProblem {
  readonly issues: readonly FieldIssue[];
  readonly sentence: string;
}

/** Pipeline and step names: what a task name may be, so both read alike in logs and URLs. */
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const NAME_RULE = '1..128 of [A-Za-z0-9._:-], starting with a letter or digit';

const STEP_SPEC = optionSpec<StepOptions>({
  task: valueRule('a task definition (what defineTask returns)', isTaskDefinition),
  dependsOn: is.array,
  input: is.function,
  when: is.function,
  whenParentSkipped: is.oneOf('skip', 'run'),
  map: new OptionSpec({ over: is.function, concurrency: is.whole(1) }),
  // A policy's keys depend on its kind: validateRetryPolicy checks them.
  retry: is.object,
  cache: new OptionSpec({ key: is.function, ttlMs: is.ms(1) }),
});

/** The steps, checked, in declaration order; what is wrong goes to `problems`. */
export function checkSteps(steps: unknown, problems: StepProblem[]): Map<string, PipelineStep> {
  const checked = new Map<string, PipelineStep>();
  if (steps === undefined || Object.keys(steps as object).length === 0) {
    problems.push(
      problem('steps', 'expected at least one step', 'A pipeline needs at least one step.'),
    );
    return checked;
  }
  const given = steps as Record<string, StepOptions>;
  const names = Object.keys(given);
  for (const name of names) {
    const step = checkStep(name, given[name], names, problems);
    if (step !== undefined) checked.set(name, step);
  }
  return checked;
}

function checkStep(
  name: string,
  options: StepOptions | undefined,
  names: readonly string[],
  problems: StepProblem[],
): PipelineStep | undefined {
  const path = `steps.${name}`;
  const before = problems.length;
  if (!NAME_RE.test(name)) {
    problems.push(
      problem(
        path,
        `expected ${NAME_RULE}`,
        `Step name ${JSON.stringify(name)} is not valid: use ${NAME_RULE}.`,
      ),
    );
  }
  if (!caught(() => checkOptions(STEP_SPEC, options ?? null, path, 'PIPELINE_INVALID'), problems)) {
    return undefined;
  }
  const step = options as StepOptions;
  if (step.task === undefined) {
    problems.push(
      problem(
        `${path}.task`,
        'expected a task definition',
        `Step "${name}" needs a "task" (what defineTask returns).`,
      ),
    );
  }
  if (step.map !== undefined && step.map.over === undefined) {
    problems.push(
      problem(
        `${path}.map.over`,
        'expected a function (ctx) => list',
        `Step "${name}" maps over nothing: give map.over, a function that returns the list.`,
      ),
    );
  }
  if (
    step.cache !== undefined &&
    (step.cache.key === undefined || step.cache.ttlMs === undefined)
  ) {
    problems.push(
      problem(
        `${path}.cache`,
        'expected { key, ttlMs }',
        `Step "${name}" caches with both cache.key and cache.ttlMs, or not at all.`,
      ),
    );
  }
  if (step.task !== undefined && isTaskDefinition(step.task) && step.task.executor === 'remote') {
    // A remote worker takes its task's stored input as it is: nothing would build a step's input
    // from its parents' outputs, nor carry the run's follow-ups with its result.
    problems.push(
      problem(
        `${path}.task`,
        'a remote task type cannot be a pipeline step',
        `Step "${name}" runs "${step.task.name}", a remote task type (executor: 'remote'); pipeline steps run on taskmill's own workers (inline, thread or process).`,
      ),
    );
  }
  const dependsOn = step.dependsOn ?? [];
  checkDependsOn(name, dependsOn, names, problems);
  // The task's own retry checks, under this step's path and the pipeline's code.
  if (step.retry !== undefined)
    caught(() => validateRetryPolicy(step.retry as never, `${path}.retry`), problems);
  if (problems.length > before) return undefined;
  return Object.freeze({
    name,
    task: step.task,
    dependsOn: Object.freeze([...dependsOn]),
    input: step.input as PipelineStep['input'],
    when: step.when as PipelineStep['when'],
    whenParentSkipped: step.whenParentSkipped ?? 'skip',
    map: step.map && Object.freeze({ over: step.map.over, concurrency: step.map.concurrency }),
    retry: step.retry,
    cache: step.cache && Object.freeze({ key: step.cache.key, ttlMs: step.cache.ttlMs }),
  }) as PipelineStep;
}

function checkDependsOn(
  name: string,
  dependsOn: readonly unknown[],
  names: readonly string[],
  problems: StepProblem[],
): void {
  dependsOn.forEach((parent, i) => {
    const path = `steps.${name}.dependsOn[${i}]`;
    if (typeof parent !== 'string') {
      problems.push(
        problem(
          path,
          'expected a step name',
          `Step "${name}" depends on ${JSON.stringify(parent) ?? String(parent)}, which is not a step name.`,
        ),
      );
    } else if (!names.includes(parent)) {
      const near = closestName(
        parent,
        names.filter((n) => n !== name),
      );
      const hint = near ? ` Did you mean "${near.name}"?` : '';
      problems.push(
        problem(
          path,
          `unknown step "${parent}"`,
          `Step "${name}" depends on "${parent}", which is not a step of this pipeline.${hint} Steps: ${names.join(', ')}.`,
        ),
      );
    } else if (dependsOn.indexOf(parent) !== i) {
      problems.push(
        problem(
          path,
          `"${parent}" is named twice`,
          `Step "${name}" names "${parent}" twice in dependsOn.`,
        ),
      );
    }
  });
}

/** Run a check that throws a ValidationError; what it refuses becomes problems. */
function caught(check: () => unknown, problems: StepProblem[]): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push({ issues: error.issues, sentence: error.message });
    return false;
  }
}

function problem(path: string, message: string, sentence: string): StepProblem {
  return { issues: [{ path, message }], sentence };
}
