/**
 * The soak's task type and what its child processes report. The submitter decides each task's
 * fate (`mode`), so the share of failures and timeouts is exact; the handler counts each task's
 * last attempt by how it ends, and its first attempt's submit-to-start time.
 */
import { z } from 'zod';
import { defineTask } from '../../src/index.ts';
import { wallMs } from './common.ts';

export const SOAK_TYPE = 'soak.task';

/** What the driver (bench/soak.ts) passes each child as its one JSON argument. */
export interface SoakChildConfig {
  url: string;
  /** `steady` runs the whole soak; `restarted` is SIGTERMed and started again. */
  role: 'steady' | 'restarted' | 'submitter';
  sampleMs: number;
  /** Workers. */
  concurrency: number;
  retainMs: number;
  retentionEveryMs: number;
  /** The submitter. */
  rate: number;
  durationMs: number;
  failRate: number;
  timeoutRate: number;
  timeoutMs: number;
}

/** A child's periodic line on stdout; the figures since its previous line, CPU and RSS as of now. */
export interface SoakLine {
  kind: 'ready' | 'sample' | 'final';
  role: SoakChildConfig['role'];
  pid: number;
  at: number;
  rssMb: number;
  /** V8's heap in use: whether RSS growth is the JavaScript heap or memory outside it. */
  heapMb: number;
  /**
   * The heap in use right after a forced full collection, from a process started with
   * `--expose-gc` (the submitter): what it keeps, without the garbage V8 has not collected yet.
   */
  liveHeapMb?: number;
  /** User + system CPU since the process started. */
  cpuMs: number;
  /** Workers: each claim statement's round trip (`claim.batch`). */
  claimMs?: number[];
  /** Workers: submit to the handler's first line, first attempts only. */
  startMs?: number[];
  ended?: number;
  purged?: number;
  reaped?: number;
  leaseLost?: number;
  /** The submitter: each `submit` call. */
  submitMs?: number[];
  submitted?: number;
  submitErrors?: number;
  /** The submitter: tasks due by the schedule but not yet submitted. */
  behind?: number;
}

/** The handler's counts, read and reset by the worker's report. */
export const tally = { starts: [] as number[], ended: 0 };

const round = (v: number) => Math.round(v * 100) / 100;

export const soakTask = defineTask({
  name: SOAK_TYPE,
  input: z.object({ i: z.number(), t: z.number(), mode: z.enum(['ok', 'fail', 'timeout']) }),
  // A failing task is tried twice, so retries (and their delayed wake-ups) are part of the load.
  retry: { kind: 'fixed', maxAttempts: 2, delayMs: 100 },
  run: async ({ i, t, mode }, ctx) => {
    if (ctx.attempt === 1) tally.starts.push(round(wallMs() - t));
    // One log line per attempt: the log table grows with the load, as in real use.
    ctx.log.info(`soak task ${i}, attempt ${ctx.attempt}`);
    const last = ctx.attempt >= ctx.task.maxAttempts;
    if (mode === 'fail') {
      if (last) tally.ended++;
      throw new Error(`planned failure of task ${i}`);
    }
    if (mode === 'timeout') {
      // Submitted with one attempt and a hard timeout: wait for the abort, then end with it.
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      tally.ended++;
      throw ctx.signal.reason;
    }
    tally.ended++;
    return null;
  },
});

/** A worker's or the submitter's line: its own memory and CPU, and what it counted. */
export function soakLine(
  kind: SoakLine['kind'],
  role: SoakLine['role'],
  figures: Partial<SoakLine>,
): string {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const gc = (globalThis as { gc?: () => void }).gc;
  // After the ordinary figures, so that RSS and heapMb are those of a process left to itself.
  gc?.();
  const line: SoakLine = {
    kind,
    role,
    pid: process.pid,
    at: wallMs(),
    rssMb: round(memory.rss / 2 ** 20),
    heapMb: round(memory.heapUsed / 2 ** 20),
    ...(gc ? { liveHeapMb: round(process.memoryUsage().heapUsed / 2 ** 20) } : {}),
    cpuMs: round((cpu.user + cpu.system) / 1000),
    ...figures,
  };
  return `${JSON.stringify(line)}\n`;
}
