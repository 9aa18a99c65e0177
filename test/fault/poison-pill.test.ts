import { describe, expect, it } from 'vitest';
import type { ChildScript } from '../helpers/child-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { countByTask, listAll, readLedger, statusCounts, useFaultHarness } from './harness.ts';

const harness = useFaultHarness();

const CRASH_LIMIT = 3;
const NORMAL_BEFORE = 5;
const NORMAL_AFTER = 25;
/** Children to try before giving up: one per death, one to finish, and a spare. */
const MAX_SPAWNS = CRASH_LIMIT + 3;

describe('poison pill', () => {
  it(`fails with WORKER_CRASHED after ${CRASH_LIMIT} deaths while other tasks keep completing`, async () => {
    const env = await harness.env();
    const work = (n: number) =>
      Array.from({ length: n }, () => ({ type: 'fault.work' as const, input: { ms: 100 } }));
    const before = await env.mill.submitMany(work(NORMAL_BEFORE));
    const poison = await env.mill.submit('fault.poison', {});
    const after = await env.mill.submitMany(work(NORMAL_AFTER));
    const normalIds = [...before, ...after].map((t) => t.id);

    // One task at a time, so a death takes down only the poison, never a bystander with it.
    const options = {
      concurrency: 1,
      leaseMs: 1000,
      sweepMs: 200,
      pollMs: 50,
      crashLimit: CRASH_LIMIT,
    };
    const spawned: ChildScript[] = [];
    const finished = async () => {
      const p = await env.mill.get(poison.id);
      if (p.status !== 'failed') return false;
      return (await listAll(env.mill, ['completed'])).length === normalIds.length;
    };
    while (!(await finished())) {
      if (spawned.length >= MAX_SPAWNS) {
        throw new Error(
          `gave up after ${spawned.length} children; statuses ${JSON.stringify(await statusCounts(env.mill))}`,
        );
      }
      const child = harness.worker(env, { worker: options });
      spawned.push(child);
      // Until it dies, or everything is done while it lives.
      await waitFor(
        `child ${spawned.length} to die or the run to finish`,
        async () => !child.alive || (await finished()),
        {
          timeoutMs: 15_000,
          everyMs: 100,
        },
      );
    }

    const deaths = spawned.filter((c) => c.exit?.signal === 'SIGKILL');
    expect(deaths).toHaveLength(CRASH_LIMIT);
    const survivor = spawned.at(-1);
    expect(survivor?.alive).toBe(true);

    const failed = await env.mill.get(poison.id);
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'WORKER_CRASHED', retryable: false },
    });
    const executions = await env.mill.executions(poison.id);
    expect(executions.map((e) => e.outcome)).toEqual(Array(CRASH_LIMIT).fill('crashed'));
    const history = await env.mill.history(poison.id);
    expect(history.map((h) => h.to)).toEqual([
      'queued',
      'running',
      'queued',
      'running',
      'queued',
      'running',
      'failed',
    ]);
    expect(
      history.filter((h) => h.from === 'running' && h.to === 'queued').map((h) => h.reason),
    ).toEqual([
      expect.stringMatching(/recovered after its worker died \(1 of 3\)/),
      expect.stringMatching(/recovered after its worker died \(2 of 3\)/),
    ]);

    const ledger = readLedger(env.ledger);
    const poisonStarts = ledger.filter((l) => l.taskId === poison.id && l.event === 'start');
    expect(new Set(poisonStarts.map((l) => l.pid))).toEqual(new Set(deaths.map((c) => c.pid)));

    const ends = countByTask(ledger, (l) => l.event === 'end');
    for (const id of normalIds) {
      expect(ends.get(id), `ends of ${id}`).toBe(1);
      const task = await env.mill.get(id);
      expect(task).toMatchObject({ status: 'completed', attempt: 1 });
      expect((await env.mill.history(id)).filter((h) => h.to === 'completed')).toHaveLength(1);
    }
    // Work went on between the first death and the poison's failure, not only after it.
    const firstDeath = Math.min(...deaths.map((c) => c.exit?.at ?? Number.POSITIVE_INFINITY));
    const failedAt = history.at(-1)?.at.getTime() ?? 0;
    const inBetween = ledger.filter(
      (l) => l.event === 'end' && l.at > firstDeath && l.at < failedAt,
    );
    expect(inBetween.length).toBeGreaterThan(0);
  }, 90_000);
});
