import type { WorkerOptions } from '../../src/index.ts';

/**
 * What the fault tests and their child processes say to each other: a config as JSON on argv,
 * and one line per fact on stdout (`ready {…}`, `ack <taskId>`, `lease.lost <taskId> <what>`,
 * `id <taskId>`). Errors a child did not expect go to its stderr.
 */

export interface ChildWorkerConfig {
  database: string;
  dataDir: string;
  ledger: string;
  capMs?: number;
  worker: WorkerOptions;
  /** Also submit `fault.work` tasks in small batches, printing `ack <id>` for each stored one. */
  submit?: { batches: number; maxBatch: number; maxMs: number; pauseMs: number };
}

export interface ChildSubmitConfig {
  database: string;
  dataDir: string;
  ledger: string;
  /** Submits made at once after the `go` line on stdin, all with `key` and `input`. */
  count: number;
  key: string;
  input: { ms: number; tag?: string; quiet?: boolean };
}

export interface ReadyInfo {
  pid: number;
  workerId: string | null;
}

export function readyLine(info: ReadyInfo): string {
  return `ready ${JSON.stringify(info)}`;
}

export function parseReady(line: string): ReadyInfo {
  return JSON.parse(line.slice('ready '.length)) as ReadyInfo;
}

/** `CODE: message (cause)` for an error of any kind, on one line. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause === undefined ? '' : ` (cause: ${describeError(error.cause)})`;
  return `${typeof code === 'string' ? code : error.name}: ${error.message}${cause}`.replace(
    /\n/g,
    ' ',
  );
}

/**
 * A scheduler process (child-scheduler.ts): it opens `database` with the simulated `tick` task
 * type and a clock that reads what the parent last told it. Each stdin line `pass <n> <clockMs>`
 * sets that clock and runs one scheduler pass; it answers `begin <n>` as the pass starts, then
 * `passed <n> <SchedulerPass as JSON>` or `failed <n> <error>`.
 */
export interface ChildSchedulerConfig {
  database: string;
  dataDir: string;
}

export function passLine(n: number, clockMs: number): string {
  return `pass ${n} ${clockMs}`;
}
