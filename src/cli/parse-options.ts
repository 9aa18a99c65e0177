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

/** An ISO 8601 time (`2026-12-24T18:00:00Z`, `2026-12-24`) or milliseconds since the epoch. */
export function parseTimeOption(option: string, text: string): Date {
  const trimmed = text.trim();
  const at = /^\d+$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
  if (!Number.isFinite(at) || trimmed === '') {
    throw cliInputError(
      `${option} expects a time, as ISO 8601 (2026-12-24T18:00:00Z) or milliseconds since 1970, got ${JSON.stringify(text)}.`,
      { option, value: text },
    );
  }
  return new Date(at);
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `90s`, `30m`, `12h`, `7d`, `2w`, or whole milliseconds. */
export function parseDurationOption(option: string, text: string): number {
  const match = /^(\d+)(ms|s|m|h|d|w)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * (DURATION_UNITS[match[2] ?? 'ms'] ?? 1) : Number.NaN;
  if (!Number.isSafeInteger(ms)) {
    throw cliInputError(
      `${option} expects a duration such as 90s, 30m, 12h, 7d or 2w (or whole milliseconds), got ${JSON.stringify(text)}.`,
      { option, value: text },
    );
  }
  return ms;
}
