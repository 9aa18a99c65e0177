import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Execution, Task, TaskStatus } from '../../src/index.ts';
import { forEachBackend, repeats } from '../helpers/backends.ts';
import type { ChildScript } from '../helpers/child-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import {
  countByTask,
  countStatuses,
  type FaultEnv,
  listAll,
  readLedger,
  statusCounts,
  useFaultHarness,
} from './harness.ts';
import {
  executionOverlaps,
  handlerOverlaps,
  LEASE_READ_SLACK_MS,
  LeaseBook,
  medianAndMax,
  STAMP_SKEW_MS,
  stuckPastLease,
  type WorkerLife,
  workerLife,
} from './lease-oracle.ts';
import type { ChildWorkerConfig } from './protocol.ts';

/** On SQLite; fewer where the backend's share says so (20 on PostgreSQL). */
const FULL_KILLS = 50;
const LANES = 2;
const TERMINAL: TaskStatus[] = ['completed', 'failed', 'timed_out', 'cancelled'];
const CLAIMABLE: TaskStatus[] = ['queued', 'retrying'];
/** The storm's lives scale with the start-up time, which a loaded machine stretches several
 * times (about 30 s on SQLite when idle, over 100 s at a load average of 20 on 2 cores). */
const STORM_TIMEOUT_MS = 240_000;
/** What a recovery may take beyond one sweep interval: the sweep's own round trip and a loaded
 * machine's late timers (2 cores shared with the other tests). */
const SWEEP_SLACK_MS = 800;
/** A replacement worker's first claim: start-up, its first submits, the claim. Generous. */
const FIRST_CLAIM_WITHIN_MS = 15_000;

const childConfig: Omit<ChildWorkerConfig, 'database' | 'dataDir' | 'ledger'> = {
  // crashLimit is out of reach: a task caught in several kills in a row must still complete here.
  // Renewing every 200 ms, a live worker loses a lease only if it stalls for 800 ms: the lease
  // oracle counts a live worker's leases as held.
  worker: {
    concurrency: 4,
    leaseMs: 1000,
    heartbeatMs: 200,
    sweepMs: 200,
    pollMs: 50,
    crashLimit: 1000,
    handleSignals: false,
  },
  submit: { batches: 1000, maxBatch: 5, maxMs: 20, pauseMs: 20 },
};

interface Snapshot {
  all: Task[];
  terminal: Task[];
  claimable: Task[];
  running: Task[];
}

async function snapshot(env: FaultEnv): Promise<Snapshot> {
  const [all, terminal, claimable, running] = await Promise.all([
    listAll(env.mill),
    listAll(env.mill, TERMINAL),
    listAll(env.mill, CLAIMABLE),
    listAll(env.mill, ['running']),
  ]);
  return { all, terminal, claimable, running };
}

function expectConsistent(s: Snapshot): void {
  const terminalIds = new Set(s.terminal.map((t) => t.id));
  expect(terminalIds.size + s.claimable.length + s.running.length).toBe(s.all.length);
  for (const t of s.terminal) {
    expect(t.leaseExpiresAt, `lease of finished ${t.id}`).toBeNull();
    expect(t.finishedAt, `finishedAt of ${t.id}`).not.toBeNull();
  }
  for (const t of s.claimable) {
    expect(t, `claimable task ${t.id}`).toMatchObject({
      leaseExpiresAt: null,
      finishedAt: null,
      output: null,
    });
  }
  for (const t of s.running) expect(t.leaseExpiresAt, `lease of running ${t.id}`).not.toBeNull();
}

forEachBackend((backend) => {
  const harness = useFaultHarness({ scope: 'all', backend });
  const KILLS = repeats(backend, FULL_KILLS, 2 * LANES);

  let env: FaultEnv;
  const storm: ChildScript[] = [];
  const acked = new Set<string>();
  let afterStorm: Snapshot;
  let afterDrain: Snapshot;
  let drainer: ChildScript;
  /** Lease expiries read from the store after each kill, for the lease oracle. */
  const leases = new LeaseBook();
  let lives: WorkerLife[];
  let executions: Execution[][];
  const timings = { firstReadyMs: 0, stormMs: 0, totalMs: 0 };

  /** Spawn, let it live a random while (sometimes not even up to `ready`), kill -9; repeat. */
  async function lane(kills: number, readyMs: number): Promise<void> {
    for (let i = 0; i < kills; i++) {
      const child = harness.worker(env, childConfig);
      storm.push(child);
      await sleep(readyMs * 0.3 + Math.random() * (readyMs + 700));
      child.signal('SIGKILL');
      const exit = await child.closed;
      leases.sample(env.mill);
      if (exit.signal !== 'SIGKILL') {
        throw new Error(
          `child ${child.pid} ended on its own (${JSON.stringify(exit)}); stderr:\n${child.stderr}`,
        );
      }
    }
  }

  describe(`kill -9 at random moments, ${KILLS} times, while two processes submit and work`, () => {
    beforeAll(async () => {
      const started = Date.now();
      env = await harness.env();
      // The first pair comes up unharmed, so the schema exists and the lanes know the start-up time.
      const first = [harness.worker(env, childConfig), harness.worker(env, childConfig)];
      storm.push(...first);
      await Promise.all(
        first.map((c) => c.waitForLine('ready', (l) => l.startsWith('ready '), 15_000)),
      );
      timings.firstReadyMs = Date.now() - started;
      // Lives spread over start-up (open, migrate) and steady work, whatever this machine's speed.
      const readyMs = Math.max(400, timings.firstReadyMs);
      await Promise.all(first.map((c) => c.waitForLine('an ack', (l) => l.startsWith('ack '))));
      for (const c of first) c.signal('SIGKILL');
      await Promise.all(first.map((c) => c.closed));
      leases.sample(env.mill);
      await Promise.all(
        Array.from({ length: LANES }, () => lane(Math.ceil((KILLS - LANES) / LANES), readyMs)),
      );
      timings.stormMs = Date.now() - started;

      for (const child of storm) {
        for (const line of child.lines) if (line.startsWith('ack ')) acked.add(line.slice(4));
      }
      afterStorm = await snapshot(env);
      const replaced = storm.slice(first.length);
      const beforeReady = replaced.filter(
        (c) => !c.lines.some((l) => l.startsWith('ready ')),
      ).length;

      drainer = harness.worker(env, { worker: { ...childConfig.worker, concurrency: 50 } });
      await waitFor(
        'every task to finish after the storm',
        async () => (await listAll(env.mill, [...CLAIMABLE, 'running'])).length === 0,
        { timeoutMs: 30_000, everyMs: 200 },
      ).catch(async (error: unknown) => {
        throw new Error(
          `${String(error)}; statuses: ${JSON.stringify(await statusCounts(env.mill))}`,
        );
      });
      afterDrain = await snapshot(env);
      await drainer.destroy();
      await leases.settled();
      lives = [...storm, drainer].map(workerLife);
      executions = [];
      for (const t of afterDrain.all) executions.push(await env.mill.executions(t.id));
      timings.totalMs = Date.now() - started;
      console.info(
        `kill storm on ${backend.name}: ${storm.length} children killed (${beforeReady} before ready), ${acked.size} acknowledged tasks, ${afterStorm.all.length} stored; statuses after the storm ${JSON.stringify(countStatuses(afterStorm.all))}; timings ${JSON.stringify(timings)}`,
      );
    }, STORM_TIMEOUT_MS);

    it('kept every acknowledged submit', () => {
      expect(acked.size).toBeGreaterThan(100);
      const stored = new Set(afterStorm.all.map((t) => t.id));
      expect(
        [...acked].filter((id) => !stored.has(id)),
        'acknowledged but missing',
      ).toEqual([]);
    });

    it('never left a task both finished and claimable', () => {
      expectConsistent(afterStorm);
      expectConsistent(afterDrain);
      // Finished is final: what had finished when the storm ended is exactly as it was after the
      // drain (not claimed, run and finished again)…
      const drained = new Map(afterDrain.all.map((t) => [t.id, t]));
      const finish = (t: Task | undefined) =>
        t && { status: t.status, finishedAt: t.finishedAt, output: t.output };
      expect(afterStorm.terminal.length, 'tasks finished during the storm').toBeGreaterThan(0);
      expect(
        afterStorm.terminal
          .filter((t) => !isDeepStrictEqual(finish(drained.get(t.id)), finish(t)))
          .map((t) => t.id),
        'finished during the storm, changed by the drain',
      ).toEqual([]);
      // …and no handler started a task after it had finished.
      const finishedAt = new Map(afterDrain.all.map((t) => [t.id, t.finishedAt?.getTime() ?? 0]));
      expect(
        readLedger(env.ledger)
          .filter((l) => l.event === 'start' && l.at > (finishedAt.get(l.taskId) ?? 0))
          .map((l) => `${l.taskId} started by pid ${l.pid} after it finished`),
      ).toEqual([]);
    });

    it('completed every task exactly once in the end, none lost', () => {
      expect(afterDrain.all.length).toBe(afterStorm.all.length);
      expect(afterDrain.all.filter((t) => t.status !== 'completed')).toEqual([]);
      const ends = countByTask(readLedger(env.ledger), (l) => l.event === 'end');
      expect(
        afterDrain.all.filter((t) => !ends.has(t.id)).map((t) => t.id),
        'completed without a run',
      ).toEqual([]);
      // Each handler run belongs to an attempt the store recorded: the killed ones as crashed,
      // the last as completed. Runs beyond the recorded crashes + 1 would be double runs.
      const starts = countByTask(readLedger(env.ledger), (l) => l.event === 'start');
      const unaccounted: string[] = [];
      let reruns = 0;
      afterDrain.all.forEach((t, i) => {
        const outcomes = (executions[i] ?? []).map((e) => e.outcome);
        const crashed = outcomes.filter((o) => o === 'crashed').length;
        expect(
          outcomes.filter((o) => o === 'completed'),
          `completions of ${t.id}`,
        ).toHaveLength(1);
        expect(crashed + 1, `attempts of ${t.id}: ${outcomes.join(', ')}`).toBe(outcomes.length);
        const runs = starts.get(t.id) ?? 0;
        if (runs > crashed + 1) unaccounted.push(`${t.id}: ${runs} runs, ${crashed} crashes`);
        reruns += Math.max(0, runs - 1);
      });
      expect(unaccounted, 'handler runs beyond the recorded crashes').toEqual([]);
      console.info(`kill storm on ${backend.name}: ${reruns} handler re-runs after crashes`);
    });

    it('no two executions of one task held it at once, in the store or in the handlers', () => {
      const leaseMs = childConfig.worker.leaseMs ?? 0;
      const ledger = readLedger(env.ledger);
      const store = executionOverlaps({ executions, lives, leases, leaseMs, ledger });
      const handlers = handlerOverlaps(ledger, lives);
      console.info(
        `kill storm on ${backend.name}: overlap of executions max ${store.maxOverlapMs} ms (${LEASE_READ_SLACK_MS} ms allowed, ${STAMP_SKEW_MS} ms more for unstarted ones; ${store.pairs} successive pairs, closest ${store.minGapMs} ms apart), of handler runs max ${handlers.maxOverlapMs} ms (${handlers.pairs} pairs, closest ${handlers.minGapMs} ms)`,
      );
      expect(store.pairs, 'tasks that ran more than once').toBeGreaterThan(0);
      expect(store.violations, 'executions overlapping a live lease').toEqual([]);
      expect(handlers.violations, 'handlers of one task running at once').toEqual([]);
    });

    it('left no task running longer than a sweep past its lease while a worker lived', () => {
      const sweepMs = childConfig.worker.sweepMs ?? 0;
      const stuck = stuckPastLease({ executions, lives, leases });
      console.info(
        `kill storm on ${backend.name}: ${stuck.crashed} crashed executions, ${stuck.measured} with their final lease read; running past the lease: max ${stuck.maxPastLeaseMs} ms, of it with a live sweeper max ${stuck.maxWithSweeperMs} ms (${stuck.worst})`,
      );
      // Leases are read right after each kill, long before they expire: nearly all are known.
      expect(stuck.measured, 'crashed executions with a known lease').toBeGreaterThanOrEqual(
        stuck.crashed / 2,
      );
      expect(stuck.crashed).toBeGreaterThan(0);
      expect(stuck.violations).toEqual([]);
      expect(stuck.maxWithSweeperMs, stuck.worst).toBeLessThanOrEqual(sweepMs + SWEEP_SLACK_MS);
    });

    it('a replacement worker claims its first tasks soon after it is spawned', () => {
      const replacements = lives.slice(2, storm.length);
      const waits = replacements.flatMap((l) =>
        l.firstClaimAt === null ? [] : [l.firstClaimAt - l.spawnedAt],
      );
      const { p50, max } = medianAndMax(waits);
      console.info(
        `kill storm on ${backend.name}: restart to first claim p50 ${p50} ms, max ${max} ms (${waits.length} of ${replacements.length} replacements lived to claim)`,
      );
      expect(waits.length, 'replacements that claimed').toBeGreaterThan(0);
      expect(max).toBeLessThanOrEqual(FIRST_CLAIM_WITHIN_MS);
    });

    it('no child reported an error: no SQLITE_BUSY / STORE_BUSY, nothing else either', () => {
      const children = [...storm, drainer];
      const busy = children.filter((c) =>
        /SQLITE_BUSY|STORE_BUSY|database is locked/i.test(c.stderr),
      );
      expect(busy.map((c) => `pid ${c.pid}: ${c.stderr}`)).toEqual([]);
      expect(
        children.filter((c) => c.stderr !== '').map((c) => `pid ${c.pid}: ${c.stderr}`),
      ).toEqual([]);
    });

    it.runIf(backend.integrityProblems !== undefined)(
      'left a database that passes its own integrity check',
      () => {
        expect(backend.integrityProblems?.(env.url)).toEqual([]);
      },
    );
  });
});
