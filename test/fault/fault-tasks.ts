import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTask, type TaskContext } from '../../src/index.ts';

/** `abort`: the handler saw its signal fire (cancel, lease loss, end of a shutdown's grace). */
export type LedgerEvent = 'start' | 'end' | 'abort';

/** One line of the ledger: what a handler did, in which process, and when (wall clock, ms). */
export interface LedgerLine {
  taskId: string;
  attempt: number;
  pid: number;
  event: LedgerEvent;
  at: number;
}

export interface FaultTaskOptions {
  /** The file every handler of every process appends to. */
  ledger: string;
  /** Caps every run's duration in this process, so a rescuing worker finishes quickly what the
   * victim would have held for a minute. */
  capMs?: number;
}

/** Pause between the writes of `fault.stubborn`. */
export const STUBBORN_STEP_MS = 25;

function record(ledger: string, ctx: TaskContext, event: LedgerEvent): void {
  const line: LedgerLine = {
    taskId: ctx.task.id,
    attempt: ctx.attempt,
    pid: process.pid,
    event,
    at: Date.now(),
  };
  // One short O_APPEND write is atomic across processes, so the ledger needs no lock.
  appendFileSync(ledger, `${JSON.stringify(line)}\n`);
}

/** The task types of the fault tests; every process of a test builds them with its own options. */
export function faultTasks(options: FaultTaskOptions) {
  const cap = (ms: number) => Math.min(ms, options.capMs ?? ms);

  const work = defineTask({
    name: 'fault.work',
    input: z.object({
      ms: z.number().int().min(0),
      tag: z.string().optional(),
      /** No log line and no progress: only the ledger, the sleep and the result. */
      quiet: z.boolean().optional(),
    }),
    output: z.object({ pid: z.number(), tag: z.string().nullable() }),
    run: async ({ ms, tag, quiet }, ctx) => {
      record(options.ledger, ctx, 'start');
      if (!quiet) ctx.log.info(`pid ${process.pid} started`);
      try {
        await sleep(cap(ms), undefined, { signal: ctx.signal });
      } catch (error) {
        record(options.ledger, ctx, 'abort');
        throw error;
      }
      if (!quiet) ctx.progress(100, `pid ${process.pid} done`);
      record(options.ledger, ctx, 'end');
      return { pid: process.pid, tag: tag ?? null };
    },
  });

  // Ignores its signal on purpose: a process frozen past its lease wakes up believing it still
  // owns the task, and every write it then makes must be refused by the store itself. A `quiet`
  // one writes nothing but its result, so that result goes to the store before any refused
  // progress or log line could tell the worker its lease is gone. A noisy one also stores an
  // artifact at the end.
  const stubborn = defineTask({
    name: 'fault.stubborn',
    input: z.object({ ms: z.number().int().min(0), quiet: z.boolean().optional() }),
    output: z.object({ pid: z.number() }),
    run: async ({ ms, quiet }, ctx) => {
      record(options.ledger, ctx, 'start');
      const note = (text: string, percent: number) => {
        if (quiet) return;
        const message = `pid ${process.pid} ${text} t=${Date.now()}`;
        ctx.progress(percent, message);
        ctx.log.info(message);
      };
      const deadline = Date.now() + cap(ms);
      for (let step = 1; Date.now() < deadline; step++) {
        note(`step ${step}`, Math.min(99, step));
        await sleep(STUBBORN_STEP_MS);
      }
      if (!quiet) {
        try {
          await ctx.artifacts.put(`by-${process.pid}.txt`, `written by pid ${process.pid}`);
        } catch {
          // Refused (the lease is gone): what is tested is that nothing of it stays behind.
        }
      }
      note('done', 100);
      record(options.ledger, ctx, 'end');
      return { pid: process.pid };
    },
  });

  const poison = defineTask({
    name: 'fault.poison',
    input: z.object({}),
    retry: { kind: 'fixed', delayMs: 0, maxAttempts: 5 },
    run: async (_input, ctx) => {
      record(options.ledger, ctx, 'start');
      process.kill(process.pid, 'SIGKILL');
      // The signal lands asynchronously; never settle anything in between.
      await new Promise<never>(() => undefined);
    },
  });

  return [work, stubborn, poison] as const;
}

export type FaultTasks = ReturnType<typeof faultTasks>;
