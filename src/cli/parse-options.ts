/**
 * Turning command-line strings into typed values. Every failure is a CLI_INPUT_INVALID error that
 * names the option and what it expected, raised before anything touches the database.
 */
import { TaskmillError } from '../core/errors.ts';
import { PRIORITIES, type Priority } from '../core/priority.ts';
import { isStatus, STATUSES, type TaskStatus } from '../core/status.ts';
import { jsonErrorPosition } from './json-error-position.ts';

export function cliInputError(
  message: string,
  details: Record<string, unknown> = {},
): TaskmillError {
  return new TaskmillError('CLI_INPUT_INVALID', message, { details });
}

/** The message names the offset, line and column, and what is there, whatever V8 said. */
export function parseJsonOption(option: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const position = jsonErrorPosition(text) ?? text.length;
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    const found =
      position >= text.length
        ? 'the input ends too early'
        : `found ${JSON.stringify(text[position])}`;
    throw cliInputError(
      `${option} is not valid JSON: at position ${position} (line ${line} column ${column}) ${found}; quote the JSON for your shell, e.g. --input '{"key":"value"}'.`,
      { option, position, line, column, reason },
    );
  }
}

export function parseIntegerOption(
  option: string,
  text: string,
  range: { min: number; max?: number },
): number {
  const value = Number(text);
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (
    !/^-?\d+$/.test(text.trim()) ||
    !Number.isSafeInteger(value) ||
    value < range.min ||
    value > max
  ) {
    const bounds = range.max === undefined ? `≥ ${range.min}` : `${range.min}..${range.max}`;
    throw cliInputError(
      `${option} expects a whole number ${bounds}, got ${JSON.stringify(text)}.`,
      {
        option,
        value: text,
      },
    );
  }
  return value;
}

/** Comma-separated values, blanks dropped: `--queues a,b` or `--status failed,timed_out`. */
export function parseListOption(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

export function parseStatusOption(text: string): TaskStatus[] {
  const statuses = parseListOption(text);
  for (const status of statuses) {
    if (!isStatus(status)) {
      throw cliInputError(
        `--status ${JSON.stringify(status)} is not a status; use one of ${STATUSES.join(', ')}.`,
        { option: '--status', value: status },
      );
    }
  }
  return statuses as TaskStatus[];
}

/** A name (`high`) or a level (`1`); the library checks the range and names the choices. */
export function parsePriorityOption(text: string): Priority {
  if ((PRIORITIES as readonly string[]).includes(text)) return text as Priority;
  if (/^\d$/.test(text)) return Number(text) as Priority;
  throw cliInputError(
    `--priority ${JSON.stringify(text)} is not a priority; use one of ${PRIORITIES.join(', ')} or 0..3.`,
    { option: '--priority', value: text },
  );
}
