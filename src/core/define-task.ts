import { z } from 'zod';
import { callerModule } from './caller-module.ts';
import type { TaskContext } from './context.ts';
import { type FieldIssue, ValidationError } from './errors.ts';
import { checkOptions, is, type OptionSpec, optionSpec, valueRule } from './options-check.ts';
import { type Priority, priorityLevel } from './priority.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, validateRetryPolicy } from './retry-policy.ts';
import { registerTask } from './task-registry.ts';

/**
 * Where a task's handler runs: on a worker's event loop, in a thread pool, in a process pool, or
 * in a remote worker that speaks the HTTP worker protocol (no handler here; in-process workers
 * leave these tasks alone).
 */
export type ExecutorKind = 'inline' | 'thread' | 'process' | 'remote';

import { type TaskTimeout, TIMEOUT_SPEC } from './task-options.ts';

export type { TaskTimeout };
export { TIMEOUT_SPEC };

export const EXECUTOR_KINDS: readonly ExecutorKind[] = ['inline', 'thread', 'process', 'remote'];

export interface TaskDefinitionOptions<Name extends string, InSchema extends z.ZodType, Output> {
  name: Name;
  description?: string;
  input: InSchema;
  output?: z.ZodType<Output>;
  /** Required, except for `executor: 'remote'`, whose tasks a remote worker runs. */
  run?: (input: z.output<InSchema>, ctx: TaskContext) => Promise<Output> | Output;
  priority?: Priority;
  retry?: RetryPolicy;
  timeout?: TaskTimeout;
  queue?: string;
  /** Default `inline`. `thread` and `process` run the handler in a pool (CPU-bound work);
   * `remote`: a worker in any language runs it over HTTP (docs/guides/remote-workers.md). */
  executor?: ExecutorKind;
  /**
   * The module that defines this task, which a `thread` or `process` pool imports to find the
   * handler. Default: the file that calls `defineTask`; pass `import.meta.url` when a bundler
   * or a wrapper hides it.
   */
  module?: string | URL;
}

const DEFINITION = Symbol.for('taskmill.task-definition');

/** A task type: its schemas, its handler and its defaults. Made by `defineTask`. */
export interface TaskDefinition<Name extends string = string, Input = unknown, Output = unknown> {
  readonly [DEFINITION]: true;
  readonly name: Name;
  readonly description: string | undefined;
  readonly inputSchema: z.ZodType;
  readonly outputSchema: z.ZodType | undefined;
  /** Called with the parsed input (zod defaults and transforms applied). */
  readonly run: (input: unknown, ctx: TaskContext) => Promise<Output> | Output;
  readonly priority: number;
  readonly retry: RetryPolicy;
  readonly timeout: TaskTimeout;
  readonly queue: string;
  readonly executor: ExecutorKind;
  /** The defining module's URL; set for every task defined in a file. */
  readonly module: string | undefined;
  /** Type carrier only: the input as the caller writes it, and the handler's output. */
  readonly __types?: { input: Input; output: Output };
}

export type AnyTaskDefinition = TaskDefinition<string, unknown, unknown>;

export type InputOf<D> = D extends { readonly __types?: { input: infer I } } ? I : never;
export type OutputOf<D> = D extends { readonly __types?: { output: infer O } } ? O : never;

export const DEFAULT_QUEUE = 'default';
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function isTaskDefinition(value: unknown): value is AnyTaskDefinition {
  return typeof value === 'object' && value !== null && DEFINITION in value;
}

export function validateQueueName(queue: string, path = 'queue'): void {
  if (typeof queue !== 'string' || !NAME_RE.test(queue)) {
    throw new ValidationError(
      'QUEUE_NAME_INVALID',
      `Queue name ${JSON.stringify(queue)} is not valid: use 1..128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit.`,
      [{ path, message: 'expected 1..128 of [A-Za-z0-9._:-]' }],
    );
  }
}

/** What defineTask takes. Values are checked further below, where a message can say more. */
const DEFINITION_SPEC: OptionSpec = optionSpec<TaskDefinitionOptions<string, z.ZodType, unknown>>({
  name: is.string,
  description: is.string,
  input: is.any,
  output: is.any,
  run: is.function,
  priority: valueRule(
    'a priority name or number',
    (v) => typeof v === 'string' || typeof v === 'number',
  ),
  // A policy's keys depend on its kind: validateRetryPolicy checks them.
  retry: is.object,
  timeout: TIMEOUT_SPEC,
  queue: is.string,
  executor: is.string,
  module: valueRule('a file URL (string or URL)', (v) => typeof v === 'string' || v instanceof URL),
});

/** Define a task type. Bad options fail here, when the module loads, not at the first run. */
export function defineTask<const Name extends string, InSchema extends z.ZodType, Output = unknown>(
  options: TaskDefinitionOptions<Name, InSchema, Output>,
): TaskDefinition<Name, z.input<InSchema>, Output> {
  checkOptions(DEFINITION_SPEC, options ?? null, '', 'TASK_DEFINITION_INVALID');
  if (typeof options.name !== 'string' || !NAME_RE.test(options.name)) {
    throw new ValidationError(
      'TASK_DEFINITION_INVALID',
      `Task name ${JSON.stringify(options.name)} is not valid: use 1..128 letters, digits, ".", "_", ":" or "-".`,
      [{ path: 'name', message: 'expected 1..128 of [A-Za-z0-9._:-]' }],
    );
  }
  if (!(options.input instanceof z.ZodType)) {
    throw new ValidationError(
      'TASK_DEFINITION_INVALID',
      `Task "${options.name}" needs a zod schema as "input".`,
      [{ path: 'input', message: 'expected a zod schema' }],
    );
  }
  // Checked here because parseOutput would otherwise fail only after a run had done its work.
  if (options.output !== undefined && !(options.output instanceof z.ZodType)) {
    throw new ValidationError(
      'TASK_DEFINITION_INVALID',
      `Task "${options.name}" needs a zod schema as "output" (or no "output").`,
      [{ path: 'output', message: 'expected a zod schema' }],
    );
  }
  const remote = options.executor === 'remote';
  if (remote && options.run !== undefined) {
    throw new ValidationError(
      'TASK_DEFINITION_INVALID',
      `Task "${options.name}" runs on the remote executor, so it has no "run" here: a remote worker runs it. Remove "run", or choose another executor.`,
      [{ path: 'run', message: 'expected no handler for executor "remote"' }],
    );
  }
  if (!remote && typeof options.run !== 'function') {
    throw new ValidationError(
      'TASK_DEFINITION_INVALID',
      `Task "${options.name}" needs a "run" function (or executor: "remote" for a remote worker).`,
      [{ path: 'run', message: 'expected a function (input, ctx) => output' }],
    );
  }
  const retry =
    options.retry === undefined ? DEFAULT_RETRY_POLICY : validateRetryPolicy(options.retry);
  const queue = options.queue ?? DEFAULT_QUEUE;
  validateQueueName(queue);
  const executor = options.executor ?? 'inline';
  const module = definingModule(options, executor);
  const def = Object.freeze({
    [DEFINITION]: true as const,
    name: options.name,
    description: options.description,
    inputSchema: options.input,
    outputSchema: options.output,
    run: (options.run ?? remoteOnly(options.name)) as (
      input: unknown,
      ctx: TaskContext,
    ) => Promise<Output> | Output,
    priority: priorityLevel(options.priority ?? 'normal'),
    retry,
    timeout: { ...options.timeout },
    queue,
    executor,
    module,
  });
  if (module) registerTask(module, def);
  return def;
}

/** What a remote task type has for a handler: in-process workers never claim it, so this only
 * answers a direct call. */
function remoteOnly(name: string): () => never {
  return () => {
    throw new ValidationError(
      'TASK_DEFINITION_INVALID',
      `Task "${name}" runs on remote workers only; it has no handler in this process.`,
      [{ path: 'run', message: 'a remote task type has no handler here' }],
    );
  };
}

function definingModule(
  options: { name: string; module?: string | URL },
  executor: ExecutorKind,
): string | undefined {
  if (!EXECUTOR_KINDS.includes(executor)) {
    throw new ValidationError(
      'TASK_DEFINITION_INVALID',
      `Task "${options.name}" has executor ${JSON.stringify(executor)}: use "inline", "thread", "process" or "remote".`,
      [{ path: 'executor', message: 'expected "inline", "thread", "process" or "remote"' }],
    );
  }
  const given = options.module === undefined ? undefined : String(options.module);
  if (given !== undefined && !given.startsWith('file:')) {
    throw new ValidationError(
      'TASK_DEFINITION_INVALID',
      `Task "${options.name}" has module ${JSON.stringify(given)}: pass a file URL such as import.meta.url.`,
      [{ path: 'module', message: 'expected a file: URL' }],
    );
  }
  const module = given ?? callerModule(defineTask);
  if (module === undefined && (executor === 'thread' || executor === 'process')) {
    throw new ValidationError(
      'TASK_DEFINITION_INVALID',
      `Task "${options.name}" runs on the ${executor} executor, which loads it from its module, but it was not defined in a module file: define it in a .ts or .js file, or pass module: import.meta.url.`,
      [{ path: 'module', message: 'expected the defining module (import.meta.url)' }],
    );
  }
  return module;
}

/** The timeouts an attempt of a task runs under: each the task's own where it was given one at
 * submit, else its type's. */
export function timeoutFor(
  def: AnyTaskDefinition,
  task: { timeout: TaskTimeout | null },
): TaskTimeout {
  return task.timeout === null ? def.timeout : { ...def.timeout, ...task.timeout };
}

/** zod issues as field paths a person can find in their input. */
export function zodIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return {
      path: prefix && path ? `${prefix}.${path}` : prefix || path || '(root)',
      message: issue.message,
    };
  });
}

/** Parse a task's input against its schema; the error names every bad field. */
export function parseInput(def: AnyTaskDefinition, input: unknown): unknown {
  const result = def.inputSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = zodIssues(result.error, 'input');
  throw new ValidationError(
    'TASK_INPUT_INVALID',
    `Input for task type "${def.name}" is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`,
    issues,
    { type: def.name },
  );
}

/** Check a handler's result against the output schema, if the task has one. */
export function parseOutput(def: AnyTaskDefinition, output: unknown): unknown {
  if (!def.outputSchema) return output;
  const result = def.outputSchema.safeParse(output);
  if (result.success) return result.data;
  const issues = zodIssues(result.error, 'output');
  throw new ValidationError(
    'TASK_OUTPUT_INVALID',
    `Output of task type "${def.name}" does not match its schema: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`,
    issues,
    { type: def.name },
  );
}

const JSON_SCHEMA_OPTIONS_SPEC: OptionSpec = optionSpec<{ target?: string }>({
  target: is.oneOf('draft-2020-12', 'draft-7'),
});

/**
 * The JSON Schemas of a task type, for the API and the dashboard's submit form. `draft-7` is for
 * validators that read that dialect (the HTTP API's request validation).
 */
export function taskJsonSchemas(
  def: AnyTaskDefinition,
  options: { target?: 'draft-2020-12' | 'draft-7' } = {},
): { input: unknown; output: unknown } {
  checkOptions(JSON_SCHEMA_OPTIONS_SPEC, options, 'options');
  const target = options.target ?? 'draft-2020-12';
  return {
    input: z.toJSONSchema(def.inputSchema, { io: 'input', unrepresentable: 'any', target }),
    output: def.outputSchema
      ? z.toJSONSchema(def.outputSchema, { io: 'output', unrepresentable: 'any', target })
      : null,
  };
}
