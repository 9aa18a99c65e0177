import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTask } from '../../src/index.ts';

/** One line per handler start and end, appended by every process of a test: the oracle that
 * survives the processes and the database. */
export interface PgLedgerLine {
  taskId: string;
  attempt: number;
  pid: number;
  event: 'start' | 'end';
  at: number;
}

/**
 * `pg.work` sleeps `ms` (waking early on its signal) and, with `chatty`, also writes progress and
 * a log line, so the pool carries the writes a real handler makes. `ledger: null` records nothing.
 */
export function pgTasks(ledger: string | null) {
  const record = (taskId: string, attempt: number, event: PgLedgerLine['event']): void => {
    if (ledger === null) return;
    const line: PgLedgerLine = { taskId, attempt, pid: process.pid, event, at: Date.now() };
    // A short O_APPEND write is atomic across processes: the ledger needs no lock.
    appendFileSync(ledger, `${JSON.stringify(line)}\n`);
  };
  const work = defineTask({
    name: 'pg.work',
    input: z.object({
      ms: z.number().int().min(0),
      chatty: z.boolean().optional(),
      // The submitter's own sequence number: two stored tasks with one number would be a
      // submit stored twice.
      seq: z.number().int().optional(),
    }),
    output: z.object({ pid: z.number() }),
    run: async ({ ms, chatty }, ctx) => {
      record(ctx.task.id, ctx.attempt, 'start');
      if (chatty) {
        ctx.progress(50, 'half');
        ctx.log.info(`pid ${process.pid}`);
      }
      await sleep(ms, undefined, { signal: ctx.signal });
      record(ctx.task.id, ctx.attempt, 'end');
      return { pid: process.pid };
    },
  });
  return [work] as const;
}

export function readPgLedger(text: string): PgLedgerLine[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as PgLedgerLine);
}
