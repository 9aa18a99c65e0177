import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../helpers/backends.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { countByTask, listAll, readLedger, statusCounts, useFaultHarness } from './harness.ts';
import { parseReady } from './protocol.ts';

const TASKS = 100;
const LEASE_MS = 1500;
const SWEEP_MS = 250;
/** Scheduling slack on a busy two-core machine, on top of lease + one sweep. */
const SLACK_MS = 1000;

forEachBackend((backend) => {
  const harness = useFaultHarness({ backend });

  describe('SIGKILL of a worker holding many tasks', () => {
    it('another worker re-runs all of them within lease + one sweep; none lost, none completed twice', async () => {
      const env = await harness.env();
      const submitted = await env.mill.submitMany(
        Array.from({ length: TASKS }, (_, i) => ({
          type: 'fault.work' as const,
          input: { ms: 60_000, tag: `t${i}` },
        })),
      );
      const ids = new Set(submitted.map((t) => t.id));

      const victim = harness.worker(env, {
        worker: { concurrency: TASKS, leaseMs: LEASE_MS, sweepMs: SWEEP_MS, pollMs: 100 },
      });
      const victimInfo = parseReady(
        await victim.waitForLine('ready', (l) => l.startsWith('ready ')),
      );
      await waitFor(
        `${TASKS} starts in the victim`,
        () =>
          readLedger(env.ledger).filter((l) => l.pid === victim.pid && l.event === 'start')
            .length === TASKS,
        { timeoutMs: 15_000 },
      );

      // The rescuer is up before the kill, so its start-up time is not counted against recovery.
      const rescuer = harness.worker(env, {
        capMs: 50,
        worker: { concurrency: 25, leaseMs: LEASE_MS, sweepMs: SWEEP_MS, pollMs: 100 },
      });
      await rescuer.waitForLine('ready', (l) => l.startsWith('ready '), 15_000);
      const killedAt = Date.now();
      victim.signal('SIGKILL');
      expect((await victim.closed).signal).toBe('SIGKILL');

      await waitFor(
        `all ${TASKS} completed`,
        async () => (await listAll(env.mill, ['completed'])).length === TASKS,
        { timeoutMs: 20_000, everyMs: 100 },
      ).catch(async (error: unknown) => {
        throw new Error(
          `${String(error)}; statuses: ${JSON.stringify(await statusCounts(env.mill))}`,
        );
      });

      const ledger = readLedger(env.ledger);
      expect(new Set(ledger.map((l) => l.taskId))).toEqual(ids);
      const victimStarts = countByTask(ledger, (l) => l.pid === victim.pid && l.event === 'start');
      const rescuerEnds = countByTask(ledger, (l) => l.pid === rescuer.pid && l.event === 'end');
      const anyEnds = countByTask(ledger, (l) => l.event === 'end');
      for (const id of ids) {
        expect(victimStarts.get(id), `victim starts of ${id}`).toBe(1);
        expect(rescuerEnds.get(id), `rescuer ends of ${id}`).toBe(1);
        expect(anyEnds.get(id), `ends of ${id}`).toBe(1);
      }

      const deadline = killedAt + LEASE_MS + SWEEP_MS + SLACK_MS;
      for (const id of ids) {
        const task = await env.mill.get(id);
        expect(task).toMatchObject({
          status: 'completed',
          attempt: 1,
          crashCount: 0,
          leaseExpiresAt: null,
        });
        expect(task.output).toMatchObject({ pid: rescuer.pid });

        const history = await env.mill.history(id);
        expect(history.map((h) => `${h.from}->${h.to}`)).toEqual([
          'null->queued',
          'queued->running',
          'running->queued',
          'queued->running',
          'running->completed',
        ]);
        const recovery = history[2];
        expect(recovery?.reason).toMatch(/recovered after its worker died/);
        expect(recovery?.reason).toContain(victimInfo.workerId ?? 'no worker id');
        expect(recovery?.at.getTime(), `recovery time of ${id}`).toBeLessThanOrEqual(deadline);

        const executions = await env.mill.executions(id);
        expect(executions.map((e) => e.outcome)).toEqual(['crashed', 'completed']);
        expect(executions[0]?.workerId).toBe(victimInfo.workerId);
      }
    }, 60_000);
  });
});
