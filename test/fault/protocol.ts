import type { WorkerOptions } from '../../src/index.ts';

/**
 * What the fault tests and their child processes say to each other: a config as JSON on argv,
 * and one line per fact on stdout (`ready {…}`, `started <workerId> <ms>`, `claimed <ms>`,
 * `ack <taskId>`, `lease.lost <taskId> <what>`, `database.unavailable <at> <error>`,
 * `database.recovered <at> <downMs>`, `id <taskId>`). Times are the child's wall clock, which is
 * the test's: they run on one machine. Errors a child did not expect go to its stderr.
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

/** The worker began: its sweeper and claim loop run from `at` (ms). */
export function startedLine(workerId: string, at: number): string {
  return `started ${workerId} ${at}`;
}

/** The worker's first claim returned tasks at `at` (ms); printed once. */
export function claimedLine(at: number): string {
  return `claimed ${at}`;
}

/** `started` and `claimed` as printed by a child, if it printed them. */
export function parseLife(lines: readonly string[]): {
  workerId: string | null;
  startedAt: number | null;
  firstClaimAt: number | null;
} {
  const started = lines.find((l) => l.startsWith('started '))?.split(' ');
  const claimed = lines.find((l) => l.startsWith('claimed '))?.split(' ');
  return {
    workerId: started?.[1] ?? null,
    startedAt: started ? Number(started[2]) : null,
    firstClaimAt: claimed ? Number(claimed[1]) : null,
  };
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
