/**
 * `definePipeline`: a named graph of steps, each running an ordinary task type. Everything that
 * can be wrong with a definition is refused here, when the module loads, with PIPELINE_INVALID
 * naming the step and the option: nothing about a bad pipeline is left to be found by a run.

 */
import { z } from 'zod';
import { type FieldIssue, ValidationError } from '../core/errors.ts';
import { checkOptions, is, OptionSpec, optionSpec, valueRule } from '../core/options-check.ts';
import { checkSteps, NAME_RE, NAME_RULE, type StepProblem } from './check-steps.ts';
import { buildGraph, findCycle, type PipelineGraph } from './pipeline-graph.ts';
import {
  FAILURE_POLICIES,
  type FailurePolicy,
  PIPELINE_MODES,
  type PipelineHooks,
  type PipelineMode,
  type PipelineStep,
  type StepOptions,
} from './pipeline-types.ts';

export * from './pipeline-types.ts';

export interface PipelineOptions<Name extends string, InSchema extends z.ZodType> {
  name: Name;
  description?: string;
  input: InSchema;
  steps: Readonly<Record<string, StepOptions<z.output<InSchema>>>>;
  /** `parallel` (default): every ready step at once; `sequential`: one at a time, in order. */
  mode?: PipelineMode;
  /** `failFast` (default): cancel what has not finished; `continue`: run what does not depend
   * on the failure. */
  onFailure?: FailurePolicy;
  /** Callbacks at each step's start and end and at the run's end. */
  hooks?: PipelineHooks;
}

const DEFINITION = Symbol.for('taskmill.pipeline-definition');

export interface PipelineDefinition<Name extends string = string, Input = unknown> {
  readonly [DEFINITION]: true;
  readonly name: Name;
  readonly description: string | undefined;
  readonly inputSchema: z.ZodType;
  /** In declaration order. */
  readonly steps: ReadonlyMap<string, PipelineStep>;
  readonly mode: PipelineMode;
  readonly onFailure: FailurePolicy;
  readonly graph: PipelineGraph;
  readonly hooks: PipelineHooks;
  /** Type carrier only: the input as the caller writes it. */
  readonly __types?: { input: Input };
}

export function isPipelineDefinition(value: unknown): value is PipelineDefinition {
  return typeof value === 'object' && value !== null && DEFINITION in value;
}

const PIPELINE_SPEC = optionSpec<PipelineOptions<string, z.ZodType>>({
  name: is.string,
  description: is.string,
  input: valueRule('a zod schema', (v) => v instanceof z.ZodType),
  steps: is.object,
  mode: is.oneOf(...PIPELINE_MODES),
  onFailure: is.oneOf(...FAILURE_POLICIES),
  hooks: new OptionSpec({
    onStepStart: is.function,
    onStepEnd: is.function,
    onRunEnd: is.function,
  }),
});

/** Define a pipeline. A bad definition fails here, with every problem found in one error. */
export function definePipeline<const Name extends string, InSchema extends z.ZodType>(
  options: PipelineOptions<Name, InSchema>,
): PipelineDefinition<Name, z.input<InSchema>> {
  checkOptions(PIPELINE_SPEC, options ?? null, '', 'PIPELINE_INVALID');
  const problems: StepProblem[] = [];
  if (typeof options.name !== 'string' || !NAME_RE.test(options.name)) {
    problems.push({
      issues: [{ path: 'name', message: `expected ${NAME_RULE}` }],
      sentence: `Pipeline name ${JSON.stringify(options.name)} is not valid: use ${NAME_RULE}.`,
    });
  }
  if (options.input === undefined) {
    problems.push({
      issues: [{ path: 'input', message: 'expected a zod schema' }],
      sentence: 'A pipeline needs a zod schema as "input".',
    });
  }
  const label = typeof options.name === 'string' ? options.name : '?';
  const steps = checkSteps(options.steps, problems);
  if (problems.length > 0) refuse(label, problems);
  const deps = new Map([...steps].map(([name, step]) => [name, step.dependsOn]));
  const cycle = findCycle(deps);
  if (cycle !== undefined) {
    const path = cycle.join(' → ');
    refuse(label, [
      {
        issues: [{ path: `steps.${cycle[1]}.dependsOn`, message: `cycle: ${path}` }],
        sentence: `The steps form a cycle, so none of them could ever start: ${path} (each step waits for the one before it).`,
      },
    ]);
  }
  return Object.freeze({
    [DEFINITION]: true as const,
    name: options.name,
    description: options.description,
    inputSchema: options.input,
    steps,
    mode: options.mode ?? 'parallel',
    onFailure: options.onFailure ?? 'failFast',
    graph: buildGraph(deps),
    hooks: Object.freeze({ ...(options.hooks ?? {}) }),
  });
}

function refuse(name: string, problems: readonly StepProblem[]): never {
  const issues: FieldIssue[] = problems.flatMap((p) => p.issues);
  throw new ValidationError(
    'PIPELINE_INVALID',
    `Pipeline "${name}" is not valid. ${problems.map((p) => p.sentence).join(' ')}`,
    issues,
  );
}
