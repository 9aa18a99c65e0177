/**
 * A rolling restart, as a deployment does it: four worker processes share 20,000 tasks, and
 * every five seconds one of them gets SIGTERM and a replacement starts, until every task is done.
 * Nothing is lost, nothing runs twice (the handlers' own ledger has one end per task), and the
 * work never stops for more than two seconds.
 */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../helpers/backends.ts';
import type { ChildScript } from '../helpers/child-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { readLedger, statusCounts, useFaultHarness } from './harness.ts';

const TASKS = 20_000;
const WORKERS = 4;
const RESTART_EVERY_MS = 5_000;

forEachBackend((backend) => {
  const harness = useFaultHarness({ backend });

  describe('rolling restart', () => {
    it(`completes ${TASKS} tasks once each while its ${WORKERS} workers restart in turn`, async () => {
      const env = await harness.env();
      for (let i = 0; i < TASKS; i += 1000) {
        await env.mill.submitMany(
          Array.from({ length: 1000 }, () => ({
            type: 'fault.work' as const,
            input: { ms: 40, quiet: true },
          })),
        );
      }
      const start = () =>
        harness.worker(env, {
          worker: { concurrency: 8, shutdownGraceMs: 3_000, pollMs: 50, handleSignals: true },
        });
      const ready = (c: ChildScript) =>
        c.waitForLine('ready', (l) => l.startsWith('ready '), 20_000);
      const workers = Array.from({ length: WORKERS }, start);
      await Promise.all(workers.map(ready));

      const done = async () =>
        (await env.mill.stats({ countsOnly: true })).byStatus.completed === TASKS;
      let restarts = 0;
      let exitsOk = 0;
      for (let turn = 0; !(await done()); turn++) {
        const finished = await waitFor(
          'the next restart or the end',
          async () => ((await done()) ? 'done' : undefined),
          { timeoutMs: RESTART_EVERY_MS },
        ).catch(() => 'restart');
        if (finished === 'done') break;
        const slot = turn % WORKERS;
        const old = workers[slot] as ChildScript;
        old.signal('SIGTERM');
        const exit = await old.closed;
        if (exit.code === 0 || exit.signal === 'SIGTERM') exitsOk++;
        const fresh = start();
        workers[slot] = fresh;
        await ready(fresh);
        restarts++;
      }

      expect(restarts, 'restarts before the work was done').toBeGreaterThanOrEqual(WORKERS);
      expect(exitsOk).toBe(restarts);
      expect(await statusCounts(env.mill)).toEqual({ completed: TASKS });
      const ledger = readLedger(env.ledger);
      const ends = ledger.filter((l) => l.event === 'end');
      expect(ends).toHaveLength(TASKS);
      expect(new Set(ends.map((l) => l.taskId)).size).toBe(TASKS);
      // Graceful stops: 40 ms tasks finish within the grace period, none is cut short.
      expect(ledger.filter((l) => l.event === 'abort')).toEqual([]);
      const times = ends.map((l) => l.at).sort((a, b) => a - b);
      let longestPause = 0;
      for (let i = 1; i < times.length; i++) {
        longestPause = Math.max(longestPause, (times[i] ?? 0) - (times[i - 1] ?? 0));
      }
      expect(longestPause, 'longest time without a task ending (ms)').toBeLessThanOrEqual(2_000);
    }, 300_000);
  });
});
