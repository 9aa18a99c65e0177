import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { WorkerInfo } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import type { ChildScript } from '../helpers/child-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { countByTask, listAll, readLedger, statusCounts, useFaultHarness } from './harness.ts';
import { parseReady } from './protocol.ts';

const TASKS = 20_000;
const WORKERS = 3;
const CONCURRENCY = 32;
const HEARTBEAT_MS = 200;
const LEASE_MS = 2000;
const SWEEP_MS = 250;
/** Killed once this share of the tasks is completed: well into the run, far from its end. */
const KILL_AT = 0.3;
const SAMPLE_EVERY_MS = 50;
/** Scheduling slack on a busy two-core machine, on top of the timeout and one sample. */
const SLACK_MS = 500;

interface Sample {
  at: number;
  workers: WorkerInfo[];
}

/**
 * `workers()` as the test's handle sees it, sampled on a fixed cadence until `stop()`: the
 * record of every state each worker was shown in, not a wait on one condition.
 */
function sampleWorkers(read: () => Promise<WorkerInfo[]>): {
  samples: Sample[];
  stop(): Promise<void>;
} {
  const samples: Sample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      samples.push({ at: Date.now(), workers: await read() });
      await sleep(SAMPLE_EVERY_MS);
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** How old the live workers' last heartbeats were in the samples, and when one was not online. */
function heartbeatAges(
  samples: Sample[],
  ids: string[],
): { oldestMs: number; p99Ms: number; notOnline: { id: string; state: string; at: number }[] } {
  const ages: number[] = [];
  const notOnline: { id: string; state: string; at: number }[] = [];
  for (const sample of samples) {
    for (const id of ids) {
      const info = sample.workers.find((w) => w.id === id);
      if (info?.state !== 'online')
        notOnline.push({ id, state: info?.state ?? 'missing', at: sample.at });
      if (info) ages.push(sample.at - info.lastHeartbeatAt.getTime());
    }
  }
  ages.sort((a, b) => a - b);
  return {
    oldestMs: ages.at(-1) ?? 0,
    p99Ms: ages[Math.floor(ages.length * 0.99)] ?? 0,
    notOnline,
  };
}

forEachBackend((backend) => {
  /** The test's handle shows a worker offline after this much silence: a live worker's beat,
   * every 200 ms, lands late by up to the backend's lateBeatMs on a loaded two-core machine. */
  const WORKER_TIMEOUT_MS = backend.lateBeatMs + 500;
  const harness = useFaultHarness({ backend });

  describe(`${WORKERS} worker processes, ${TASKS} tasks, one killed with SIGKILL mid-run`, () => {
    it('every task completes once, none lost; the dead worker goes offline within its timeout, the others stay online', async () => {
      const started = Date.now();
      const env = await harness.env({ workerTimeoutMs: WORKER_TIMEOUT_MS });
      const submitted = await env.mill.submitMany(
        Array.from({ length: TASKS }, (_, i) => ({
          type: 'fault.work' as const,
          input: { ms: i % 3, quiet: true },
        })),
      );
      const ids = new Set(submitted.map((t) => t.id));
      expect(ids.size).toBe(TASKS);
      const submittedMs = Date.now() - started;

      const children: ChildScript[] = Array.from({ length: WORKERS }, () =>
        harness.worker(env, {
          worker: {
            concurrency: CONCURRENCY,
            leaseMs: LEASE_MS,
            heartbeatMs: HEARTBEAT_MS,
            sweepMs: SWEEP_MS,
            pollMs: 100,
            handleSignals: false,
          },
        }),
      );
      const workerIds = await Promise.all(
        children.map(
          async (c) =>
            parseReady(await c.waitForLine('ready', (l) => l.startsWith('ready '), 15_000))
              .workerId ?? '',
        ),
      );
      const [victim, ...survivors] = children as [ChildScript, ...ChildScript[]];
      const [victimId, ...survivorIds] = workerIds as [string, ...string[]];
      const sampler = sampleWorkers(() => env.mill.workers());
      onTestFinished(() => sampler.stop());
      const runStarted = Date.now();

      await waitFor(
        `${KILL_AT * 100}% of the tasks completed`,
        async () => (await env.mill.stats()).byStatus.completed >= TASKS * KILL_AT,
        // Not too often: counting 20,000 tasks takes CPU the workers are short of.
        { timeoutMs: 30_000, everyMs: 250 },
      );
      const killedAt = Date.now();
      victim.signal('SIGKILL');
      expect((await victim.closed).signal).toBe('SIGKILL');
      const orphaned = (await listAll(env.mill, ['running'])).filter(
        (t) => t.workerId === victimId,
      );

      const offline = await waitFor(
        'the killed worker to be shown offline',
        () =>
          sampler.samples
            .filter((s) => s.at >= killedAt)
            .find((s) => s.workers.some((w) => w.id === victimId && w.state === 'offline')),
        { timeoutMs: WORKER_TIMEOUT_MS + 5000 },
      );
      await waitFor(
        `all ${TASKS} completed`,
        async () => (await env.mill.stats()).byStatus.completed === TASKS,
        { timeoutMs: 30_000, everyMs: 250 },
      ).catch(async (error: unknown) => {
        throw new Error(
          `${String(error)}; statuses: ${JSON.stringify(await statusCounts(env.mill))}`,
        );
      });
      const doneAt = Date.now();
      await sampler.stop();
      const beats = heartbeatAges(sampler.samples, survivorIds);
      console.info(
        `${backend.name}: ${TASKS} tasks submitted in ${submittedMs} ms; killed after ` +
          `${killedAt - runStarted} ms of work, holding ${orphaned.length}; shown offline ` +
          `${offline.at - killedAt} ms after the kill; all done ${doneAt - killedAt} ms after it; ` +
          `live workers' heartbeats up to ${beats.oldestMs} ms old (p99 ${beats.p99Ms} ms) ` +
          `in ${sampler.samples.length} samples`,
      );

      // The killed worker: online until it died, offline within its timeout, never back.
      expect(orphaned.length, 'tasks the killed worker held').toBeGreaterThan(0);
      const shownDead = offline.workers.find((w) => w.id === victimId);
      expect(shownDead?.lastHeartbeatAt.getTime()).toBeLessThanOrEqual(killedAt);
      expect(offline.at - killedAt, 'from SIGKILL to offline').toBeLessThanOrEqual(
        WORKER_TIMEOUT_MS + SAMPLE_EVERY_MS + SLACK_MS,
      );
      expect(offline.at).toBeGreaterThan(
        (shownDead?.lastHeartbeatAt.getTime() ?? 0) + WORKER_TIMEOUT_MS,
      );
      const victimStates = sampler.samples.map(
        (s) => s.workers.find((w) => w.id === victimId)?.state ?? 'missing',
      );
      const firstOffline = victimStates.indexOf('offline');
      expect(new Set(victimStates.slice(0, firstOffline))).toEqual(new Set(['online']));
      expect(new Set(victimStates.slice(firstOffline))).toEqual(new Set(['offline']));

      // The others: shown online in every sample, however busy the machine was.
      expect(
        beats.notOnline.map((n) => `${n.id} ${n.state} at ${n.at - killedAt} ms from the kill`),
        `live workers not shown online (heartbeat age up to ${beats.oldestMs} ms, p99 ${beats.p99Ms} ms)`,
      ).toEqual([]);
      expect((await env.mill.workers()).map((w) => [w.id, w.state]).sort()).toEqual(
        [[victimId, 'offline'], ...survivorIds.map((id) => [id, 'online'])].sort(),
      );

      // The store: every task completed; a crash refunds its attempt, so none took a second one.
      const completed = await listAll(env.mill, ['completed']);
      expect(completed).toHaveLength(TASKS);
      expect(completed.filter((t) => !ids.has(t.id))).toEqual([]);
      expect(completed.filter((t) => t.attempt !== 1).map((t) => t.id)).toEqual([]);

      // The ledger: every task ran to its end at least once; a second run only where the
      // killed worker ran it to the end and died before its result was stored.
      const ledger = readLedger(env.ledger);
      const survivorPids = new Set(survivors.map((c) => c.pid));
      const ends = countByTask(ledger, (l) => l.event === 'end');
      const survivorStarts = countByTask(
        ledger,
        (l) => l.event === 'start' && survivorPids.has(l.pid),
      );
      const victimStarts = countByTask(ledger, (l) => l.event === 'start' && l.pid === victim.pid);
      const victimEnds = countByTask(ledger, (l) => l.event === 'end' && l.pid === victim.pid);
      expect(
        [...ids].filter((id) => !ends.has(id)),
        'never ran to the end',
      ).toEqual([]);
      expect(
        [...survivorStarts].filter(([, n]) => n > 1).map(([id]) => id),
        'started twice by the workers that lived',
      ).toEqual([]);
      const ranTwice = [...ends].filter(([, n]) => n > 1).map(([id]) => id);
      expect(
        ranTwice.filter((id) => victimEnds.get(id) !== 1 || (ends.get(id) ?? 0) > 2),
        'ran to the end twice, not because of the kill',
      ).toEqual([]);
      for (const task of completed) {
        const output = task.output as { pid: number };
        const storedFromVictim = output.pid === victim.pid;
        // A result the killed worker managed to store is final: nobody runs that task again.
        if (storedFromVictim)
          expect(survivorStarts.has(task.id), `rerun of ${task.id}`).toBe(false);
        else expect(survivorPids.has(output.pid), `result of ${task.id}`).toBe(true);
      }

      // The handed-over tasks, one by one: recovered once, completed once, by a live worker.
      // Some the killed worker had claimed without starting them: its claim was stored, but the
      // kill came before the answer reached it.
      const handedOver = new Set([
        ...orphaned.map((t) => t.id),
        ...[...victimStarts.keys()].filter((id) => survivorStarts.has(id)),
      ]);
      // Every attempt the store recorded, all 20,000 tasks at once: one completion per task (a
      // task run and stored twice would add one), and beside them exactly one crashed attempt per
      // handed-over task (a crash not recorded, or recorded as something else, would not add up).
      const attempts = (await env.mill.stats()).hourly.reduce(
        (sum, h) => ({
          completed: sum.completed + h.completed,
          failed: sum.failed + h.failed,
          other: sum.other + h.total - h.completed - h.failed,
        }),
        { completed: 0, failed: 0, other: 0 },
      );
      expect(attempts, 'attempts recorded, by how they ended').toEqual({
        completed: TASKS,
        failed: 0,
        other: handedOver.size,
      });
      for (const id of handedOver) {
        const history = await env.mill.history(id);
        expect(
          history.filter((h) => h.to === 'completed'),
          `completions of ${id}`,
        ).toHaveLength(1);
        expect(
          history.filter((h) => /recovered after its worker died/.test(h.reason ?? '')),
          `recoveries of ${id}`,
        ).toHaveLength(1);
        const executions = await env.mill.executions(id);
        expect(executions.map((e) => e.outcome)).toEqual(['crashed', 'completed']);
        expect(survivorIds).toContain(executions[1]?.workerId);
      }
      console.info(
        `${backend.name}: ${ranTwice.length} tasks ran to the end twice (their result was lost ` +
          `with the killed worker); ${handedOver.size} handed over; ${Date.now() - started} ms in all`,
      );
    }, 60_000);
  });
});
