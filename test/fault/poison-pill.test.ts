import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry, Task } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import type { ChildScript } from '../helpers/child-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import type { LedgerLine } from './fault-tasks.ts';
import {
  countByTask,
  type FaultEnv,
  listAll,
  readLedger,
  statusCounts,
  useFaultHarness,
} from './harness.ts';

const CRASH_LIMIT = 3;
const NORMAL_BEFORE = 5;
const NORMAL_AFTER = 25;
/** Children to try before giving up: one per death, one to finish, and a spare. */
const MAX_SPAWNS = CRASH_LIMIT + 3;

/**
 * `prefetch: 0`: a worker claims only for a free slot, so a finished task's result is stored (it
 * travels with the claim that takes the next task) before the next task starts. With prefetch
 * (the default), the next task may start before that result is stored: a crash can re-run a task
 * that had just finished, but must not fail it, and a task held ahead when the worker died is
 * never failed as a poison pill with the one that killed it.
 */
for (const prefetch of [0, undefined]) {
  forEachBackend((backend) => {
    const harness = useFaultHarness({ scope: 'all', backend });

    let env: FaultEnv;
    let poison: Task;
    let normalIds: string[];
    const spawned: ChildScript[] = [];
    let deaths: ChildScript[];
    let ledger: LedgerLine[];
    let poisonHistory: HistoryEntry[];

    const mode = prefetch === 0 ? 'prefetch 0' : 'default prefetch';
    describe(`poison pill (${mode}): fails with WORKER_CRASHED after ${CRASH_LIMIT} deaths while other tasks keep completing`, () => {
      beforeAll(async () => {
        env = await harness.env();
        const work = (n: number) =>
          Array.from({ length: n }, () => ({ type: 'fault.work' as const, input: { ms: 100 } }));
        const before = await env.mill.submitMany(work(NORMAL_BEFORE));
        poison = await env.mill.submit('fault.poison', {});
        const after = await env.mill.submitMany(work(NORMAL_AFTER));
        normalIds = [...before, ...after].map((t) => t.id);

        // One task at a time, so a death takes down only the poison, never a bystander with it.
        // The lease outlasts a child's start-up on a loaded machine, so each new child works on
        // other tasks before the poison is recovered and comes back to it.
        const options = {
          ...(prefetch === undefined ? {} : { prefetch }),
          concurrency: 1,
          leaseMs: 2000,
          sweepMs: 200,
          pollMs: 50,
          crashLimit: CRASH_LIMIT,
        };
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
            { timeoutMs: 15_000, everyMs: 100 },
          ).catch(async (error: unknown) => {
            throw new Error(
              `${String(error)}; statuses ${JSON.stringify(await statusCounts(env.mill))}; ` +
                `poison ${JSON.stringify(await env.mill.get(poison.id))}; stderr: ${child.stderr}`,
            );
          });
        }
        deaths = spawned.filter((c) => c.exit?.signal === 'SIGKILL');
        ledger = readLedger(env.ledger);
        poisonHistory = await env.mill.history(poison.id);
      }, 90_000);

      it('takes the poison down after the crash limit, and no worker after that', async () => {
        expect(deaths).toHaveLength(CRASH_LIMIT);
        // One child per death and the one that lives on: none ended any other way.
        expect(
          spawned.map((c) => (c.exit ? (c.exit.signal ?? `exit ${c.exit.code}`) : 'alive')),
        ).toEqual([...Array(CRASH_LIMIT).fill('SIGKILL'), 'alive']);
        expect(await env.mill.get(poison.id)).toMatchObject({
          status: 'failed',
          error: { code: 'WORKER_CRASHED', retryable: false },
        });
        const executions = await env.mill.executions(poison.id);
        expect(executions.map((e) => e.outcome)).toEqual(Array(CRASH_LIMIT).fill('crashed'));
        expect(poisonHistory.map((h) => h.to)).toEqual([
          'queued',
          'running',
          'queued',
          'running',
          'queued',
          'running',
          'failed',
        ]);
        expect(
          poisonHistory
            .filter((h) => h.from === 'running' && h.to === 'queued')
            .map((h) => h.reason),
        ).toEqual([
          expect.stringMatching(/recovered after its worker died \(1 of 3\)/),
          expect.stringMatching(/recovered after its worker died \(2 of 3\)/),
        ]);
        const poisonStarts = ledger.filter((l) => l.taskId === poison.id && l.event === 'start');
        expect(new Set(poisonStarts.map((l) => l.pid))).toEqual(new Set(deaths.map((c) => c.pid)));
      });

      it('completes every other task, once, and goes on working between the deaths', async () => {
        const ends = countByTask(ledger, (l) => l.event === 'end');
        for (const id of normalIds) {
          expect(ends.get(id), `ends of ${id}`).toBeGreaterThanOrEqual(1);
          expect(await env.mill.get(id)).toMatchObject({ status: 'completed', attempt: 1 });
          expect((await env.mill.history(id)).filter((h) => h.to === 'completed')).toHaveLength(1);
        }
        const firstDeath = Math.min(...deaths.map((c) => c.exit?.at ?? Number.POSITIVE_INFINITY));
        const failedAt = poisonHistory.at(-1)?.at.getTime() ?? 0;
        const inBetween = ledger.filter(
          (l) => l.event === 'end' && l.at > firstDeath && l.at < failedAt,
        );
        expect(inBetween.length).toBeGreaterThan(0);
        // Throughout: every child the poison killed had completed other tasks before it died
        // (the lease keeps the poison away from a new child long enough).
        const endsByPid = (pid: number | undefined) =>
          ledger.filter((l) => l.event === 'end' && l.pid === pid).length;
        expect(
          deaths.map((c) => endsByPid(c.pid)).filter((n) => n === 0),
          `children that died before completing anything (ends per child: ${spawned.map((c) => endsByPid(c.pid)).join(', ')})`,
        ).toEqual([]);
      });

      // The slot of a finished task is freed only as its settlement reaches the batcher, so the
      // claim that takes the next task (the poison) writes that result in the same transaction.
      it.runIf(prefetch === 0)(
        'never runs a bystander twice: a finished task is stored before the next one starts',
        async () => {
          const ends = countByTask(ledger, (l) => l.event === 'end');
          const twice = normalIds.filter((id) => ends.get(id) !== 1);
          const story = await Promise.all(
            twice.map(async (id) => ({
              id,
              ledger: ledger.filter((l) => l.taskId === id),
              deaths: deaths.map((c) => ({ pid: c.pid, at: c.exit?.at })),
              history: await env.mill.history(id),
            })),
          );
          // A finished task's result travels with the claim that takes the next task, so the poison
          // that kills the process never takes a bystander's result down with it.
          expect(story).toEqual([]);
        },
      );
    });
  });
}
