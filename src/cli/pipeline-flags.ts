/**
 * The flags of `taskmill pipelines`, turned into typed values before anything is opened: a bad
 * flag never starts a run, and its error (CLI_INPUT_INVALID) names the flag.
 */
import type { ListRunsOptions, PipelineRunStatus } from '../core/pipeline-run.ts';
import { RUN_STATUSES } from '../core/pipeline-run.ts';
import { inputText } from './input-source.ts';
import { cliInputError, parseIntegerOption, parseJsonOption } from './parse-options.ts';

export interface RunFlags {
  input?: string;
  inputs?: string;
  wait?: boolean;
  json?: boolean;
}

/** One run's input, or the inputs of a `runMany` (one run each). */
export type RunInput = { many: false; input: unknown } | { many: true; inputs: unknown[] };

export async function parseRunInput(flags: RunFlags): Promise<RunInput> {
  if (flags.input !== undefined && flags.inputs !== undefined) {
    throw cliInputError('Give --input (one run) or --inputs (one run per item), not both.', {
      option: '--inputs',
    });
  }
  if (flags.inputs === undefined) {
    const text = flags.input === undefined ? '{}' : await inputText(flags.input);
    return { many: false, input: parseJsonOption('--input', text) };
  }
  const inputs = parseJsonOption('--inputs', await inputText(flags.inputs));
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw cliInputError(
      `--inputs expects a JSON array with one input per run, e.g. --inputs '[10, 20]'; got ${Array.isArray(inputs) ? 'an empty array' : typeof inputs}.`,
      { option: '--inputs' },
    );
  }
  return { many: true, inputs };
}

export interface ListFlags {
  runs?: boolean;
  status?: string;
  pipeline?: string;
  limit?: string;
  json?: boolean;
}

export function parseListFlags(flags: ListFlags): ListRunsOptions & { limit: number } {
  const limit =
    flags.limit === undefined
      ? 20
      : parseIntegerOption('--limit', flags.limit, { min: 1, max: 1000 });
  const options: ListRunsOptions & { limit: number } = { limit };
  if (flags.status !== undefined) {
    if (!(RUN_STATUSES as readonly string[]).includes(flags.status)) {
      throw cliInputError(
        `--status ${JSON.stringify(flags.status)} is not a run status; use one of ${RUN_STATUSES.join(', ')}.`,
        { option: '--status', value: flags.status },
      );
    }
    options.status = flags.status as PipelineRunStatus;
  }
  if (flags.pipeline !== undefined) options.pipeline = flags.pipeline;
  return options;
}

/** Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org). */
export function useColor(
  stream: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const { NO_COLOR: noColor } = env;
  return stream.isTTY === true && (noColor === undefined || noColor === '');
}
