/**
 * Finding the user's task and pipeline definitions. A tasks module may export them however it
 * likes (a default array or object, named exports, or arrays in named exports), so we collect
 * every value that is a definition rather than ask for one shape.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type AnyTaskDefinition, isTaskDefinition } from '../core/define-task.ts';
import { TaskmillError } from '../core/errors.ts';
import { isPipelineDefinition, type PipelineDefinition } from '../pipeline/define-pipeline.ts';

export const DEFAULT_TASKS_FILE = 'taskmill.tasks.ts';

export interface LoadedTasks {
  /** Absolute path of the module, or null when no module was loaded. */
  file: string | null;
  /** The task types: those exported, then those of the pipelines' steps not exported. */
  definitions: AnyTaskDefinition[];
  /** The `definePipeline` results exported, for `createTaskmill({ pipelines })`. */
  pipelines: PipelineDefinition[];
  /** The module's exports, for extras such as `demoSubmissions`. */
  exports: Record<string, unknown>;
}

export interface LoadTasksOptions {
  /** The `--tasks` value, if given. */
  file: string | undefined;
  cwd: string;
  /** Read-only commands can do without definitions when the default file is simply absent. */
  optional: boolean;
  /** Loaded instead of the default file when that is absent and `--tasks` was not given. */
  fallback?: string | undefined;
}

function invalid(file: string, message: string, cause?: unknown): TaskmillError {
  return new TaskmillError('TASKS_MODULE_INVALID', message, { details: { file }, cause });
}

function collect<T>(
  value: unknown,
  is: (value: unknown) => value is T,
  into: Set<T>,
  depth: number,
): void {
  if (is(value)) {
    into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) if (is(item)) into.add(item);
  } else if (depth === 0 && typeof value === 'object' && value !== null) {
    // Only the default export is searched one level deep: `export default { resize, email }`.
    for (const item of Object.values(value)) collect(item, is, into, depth + 1);
  }
}

function exported<T>(exports: Record<string, unknown>, is: (value: unknown) => value is T): T[] {
  const found = new Set<T>();
  for (const [name, value] of Object.entries(exports)) {
    collect(value, is, found, name === 'default' ? 0 : 1);
  }
  return [...found];
}

export function definitionsOf(exports: Record<string, unknown>): AnyTaskDefinition[] {
  return exported(exports, isTaskDefinition);
}

export function pipelinesOf(exports: Record<string, unknown>): PipelineDefinition[] {
  return exported(exports, isPipelineDefinition);
}

/** A module may export only pipelines: their steps' task types are the ones a worker runs. */
function withStepTasks(
  definitions: AnyTaskDefinition[],
  pipelines: readonly PipelineDefinition[],
): AnyTaskDefinition[] {
  const all = new Set(definitions);
  for (const pipeline of pipelines) for (const step of pipeline.steps.values()) all.add(step.task);
  return [...all];
}

export async function loadTasks(options: LoadTasksOptions): Promise<LoadedTasks> {
  const given = options.file !== undefined;
  let file = path.resolve(options.cwd, options.file ?? DEFAULT_TASKS_FILE);
  if (!given && !existsSync(file) && options.fallback !== undefined) file = options.fallback;
  const shown = path.relative(options.cwd, file) || file;
  if (!existsSync(file)) {
    if (!given && options.optional) {
      return { file: null, definitions: [], pipelines: [], exports: {} };
    }
    throw invalid(
      file,
      given
        ? `Tasks module ${shown} does not exist; check the --tasks path.`
        : `No tasks module: ${DEFAULT_TASKS_FILE} is not in ${options.cwd}. Pass --tasks FILE, or create ${DEFAULT_TASKS_FILE} exporting your defineTask(...) definitions.`,
    );
  }
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const reason =
      error instanceof TaskmillError
        ? `${error.code}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    throw invalid(file, `Tasks module ${shown} failed to load: ${reason}`, error);
  }
  const pipelines = pipelinesOf(exports);
  const definitions = withStepTasks(definitionsOf(exports), pipelines);
  if (definitions.length === 0) {
    throw invalid(
      file,
      `Tasks module ${shown} exports no task definitions; export the values returned by defineTask(...) or definePipeline(...) (as named exports or a default array).`,
    );
  }
  return { file, definitions, pipelines, exports };
}
