import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../helpers/backends.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { readLedger, useFaultHarness } from './harness.ts';

const GRACE_MS = 1500;
const SHORT_MS = 800;
const SHORTS = 3;
const LONGS = 3;
/** Shorts, longs, and one long task that ignores its signal. */
const SLOTS = SHORTS + LONGS + 1;

forEachBackend((backend) => {
  const harness = useFaultHarness({ backend });

  describe('SIGTERM', () => {
    it('stops claiming, lets short tasks finish, releases long ones at the grace period, exits', async () => {
      const env = await harness.env();
      const shorts = await env.mill.submitMany(
        Array.from({ length: SHORTS }, () => ({
          type: 'fault.work' as const,
          input: { ms: SHORT_MS },
          options: { priority: 'high' as const },
        })),
      );
      const longs = await env.mill.submitMany(
        Array.from({ length: LONGS }, () => ({
          type: 'fault.work' as const,
          input: { ms: 60_000 },
          options: { priority: 'high' as const },
        })),
      );
      // An inline handler cannot be killed: it must neither hold the process up nor keep its task.
      const deaf = await env.mill.submit(
        'fault.stubborn',
        { ms: 60_000, quiet: true },
        { priority: 'high' },
      );
      // Waiting for a slot: the short tasks free some during the grace period.
      const waiting = await env.mill.submitMany(
        Array.from({ length: 4 }, () => ({ type: 'fault.work' as const, input: { ms: 10 } })),
      );

      const child = harness.worker(env, {
        worker: {
          concurrency: SLOTS,
          shutdownGraceMs: GRACE_MS,
          leaseMs: 10_000,
          pollMs: 50,
          handleSignals: true,
        },
      });
      await child.waitForLine('ready', (l) => l.startsWith('ready '), 15_000);
      await waitFor(
        `${SLOTS} starts`,
        () => readLedger(env.ledger).filter((l) => l.event === 'start').length === SLOTS,
      );
      child.signal('SIGTERM');
      const signalledAt = Date.now();
      const lateSubmits = await env.mill.submitMany(
        Array.from({ length: 2 }, () => ({ type: 'fault.work' as const, input: { ms: 10 } })),
      );

      const exit = await child.closed;
      expect(exit.at - signalledAt, 'time from SIGTERM to exit').toBeLessThan(GRACE_MS + 2000);
      // The library re-raises the signal once shut down, so the process ends as a SIGTERM would.
      expect(exit.signal === 'SIGTERM' || exit.code === 0, `exit ${JSON.stringify(exit)}`).toBe(
        true,
      );

      const ledger = readLedger(env.ledger);
      // From the moment the child saw the signal: until its handler runs, it has not been told.
      const seen = await child.waitForLine('sigterm', (l) => l.startsWith('sigterm '), 1_000);
      const seenAt = Number(seen.split(' ')[1]);
      expect(
        ledger.filter((l) => l.event === 'start' && l.at > seenAt),
        'starts after SIGTERM',
      ).toEqual([]);

      for (const t of shorts) {
        expect(await env.mill.get(t.id)).toMatchObject({ status: 'completed', attempt: 1 });
        expect(ledger.filter((l) => l.taskId === t.id).map((l) => l.event)).toEqual([
          'start',
          'end',
        ]);
      }
      for (const t of longs) {
        const task = await env.mill.get(t.id);
        expect(task).toMatchObject({ status: 'queued', attempt: 0, leaseExpiresAt: null });
        const executions = await env.mill.executions(t.id);
        expect(executions.map((e) => e.outcome)).toEqual(['released']);
        const history = await env.mill.history(t.id);
        expect(history.map((h) => `${h.from}->${h.to}`)).toEqual([
          'null->queued',
          'queued->running',
          'running->queued',
        ]);
        const abort = ledger.find((l) => l.taskId === t.id && l.event === 'abort');
        expect(abort, `abort seen by ${t.id}`).toBeDefined();
        // Aborted at the end of the grace period: not before it, and not long after.
        expect(abort?.at ?? 0).toBeGreaterThanOrEqual(signalledAt + GRACE_MS - 100);
        expect(abort?.at ?? 0).toBeLessThan(signalledAt + GRACE_MS + 1000);
        expect(ledger.some((l) => l.taskId === t.id && l.event === 'end')).toBe(false);
      }
      expect(await env.mill.get(deaf.id)).toMatchObject({
        status: 'queued',
        attempt: 0,
        leaseExpiresAt: null,
      });
      expect((await env.mill.executions(deaf.id)).map((e) => e.outcome)).toEqual(['released']);
      for (const t of [...waiting, ...lateSubmits]) {
        expect(await env.mill.get(t.id)).toMatchObject({ status: 'queued', attempt: 0 });
        expect(await env.mill.executions(t.id)).toEqual([]);
      }
    }, 30_000);
  });
});
