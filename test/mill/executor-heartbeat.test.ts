import { describe, expect, it } from 'vitest';
import type { Taskmill } from '../../src/index.ts';
import { executorTasks } from '../fixtures/executor-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';

type Mill = Taskmill<typeof executorTasks>;

const HEARTBEAT_MS = 200;
const LEASE_MS = 600;
/** Five heartbeats (and more than the lease) of CPU on one core. */
const BURN_MS = 5 * HEARTBEAT_MS;

const workerOptions = {
  concurrency: 1,
  leaseMs: LEASE_MS,
  heartbeatMs: HEARTBEAT_MS,
  sweepMs: 100,
  handleSignals: false,
  executors: { thread: { size: 1 }, process: { size: 1 }, blockWarnMs: 0 },
} as const;

/**
 * The longest time between two heartbeats of `workerId` from before `during` starts until the
 * first heartbeat after it ends (a gap is only known once the beat that closes it is seen).
 */
async function heartbeatGap(
  mill: Mill,
  workerId: string,
  during: Promise<unknown>,
  minBeats: number,
): Promise<number> {
  let endedAt: number | null = null;
  void during.finally(() => {
    endedAt = Date.now();
  });
  const beats: number[] = [];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const me = (await mill.workers()).find((w) => w.id === workerId);
    const at = me?.lastHeartbeatAt.getTime();
    if (at !== undefined && beats.at(-1) !== at) beats.push(at);
    if (endedAt !== null && at !== undefined && at > endedAt) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  // A gap computed from one beat or none would be 0 and pass any upper bound.
  if (beats.length < minBeats)
    throw new Error(`only ${beats.length} heartbeats seen, need ${minBeats} to measure a gap`);
  let gap = 0;
  for (let i = 1; i < beats.length; i++) gap = Math.max(gap, (beats[i] ?? 0) - (beats[i - 1] ?? 0));
  return gap;
}

forEachBackend((backend) => {
  const open = useMills(backend);

  describe('CPU-bound work and the heartbeat', () => {
    async function burnBeside(type: 'burn.thread' | 'burn.process' | 'burn.inline') {
      const mill = await open(executorTasks);
      const lost: string[] = [];
      mill.on('lease.lost', (e) => lost.push(e.taskId));
      const worker = await mill.startWorker(workerOptions);
      if (type !== 'burn.inline') {
        // Started before the measure, so that starting a thread or process is not part of it.
        const warm = await mill.submit(type, { ms: 1 });
        await mill.wait(warm.id);
        // A second worker that takes over any lease that lapses. (An inline burn would block
        // it too: it shares this process.)
        const rival = await open(executorTasks, { dbUrl: mill.dbUrl });
        await rival.startWorker(workerOptions);
      }
      let finished: (v?: unknown) => void = () => undefined;
      // Beside the burn the worker keeps beating through its five heartbeat periods (the one
      // before, at least four during, the one closing it); inline it cannot beat until the burn
      // ends, so only the beat before it and the one after.
      const minBeats = type === 'burn.inline' ? 2 : BURN_MS / HEARTBEAT_MS;
      const measured = heartbeatGap(mill, worker.id, new Promise((r) => (finished = r)), minBeats);
      const task = await mill.submit(type, { ms: BURN_MS });
      const done = await mill.wait(task.id, { timeoutMs: 20_000 });
      finished();
      return { task: done, gap: await measured, lost, executions: await mill.executions(task.id) };
    }

    it.each(['burn.thread', 'burn.process'] as const)(
      '%s: heartbeats stay on time and nobody takes the task',
      async (type) => {
        const { task, gap, lost, executions } = await burnBeside(type);
        expect(task.status).toBe('completed');
        expect(task.attempt).toBe(1);
        expect(executions).toHaveLength(1);
        expect(lost).toEqual([]);
        expect(gap).toBeLessThan(LEASE_MS);
      },
    );

    it('the same work inline stops the heartbeat for longer than the lease', async () => {
      const { gap } = await burnBeside('burn.inline');
      expect(gap).toBeGreaterThanOrEqual(BURN_MS * 0.8);
      expect(gap).toBeGreaterThan(LEASE_MS);
    });
  });

  describe('an inline task that blocks the event loop', () => {
    it.each(['burn.inline', 'burn-later.inline'] as const)(
      '%s gets a warning in its log naming its type and the other executors',
      async (type) => {
        const mill = await open(executorTasks);
        await mill.startWorker({ handleSignals: false, executors: { blockWarnMs: 100 } });
        const task = await mill.submit(type, { ms: 400 });
        expect((await mill.wait(task.id)).status).toBe('completed');
        const warnings = (await mill.logs(task.id)).filter((l) => l.level === 'warn');
        expect(warnings).toHaveLength(1);
        expect(warnings[0]?.message).toMatch(`task type "${type}"`);
        expect(warnings[0]?.message).toMatch(/executor: "thread" or "process"/);
      },
    );

    it('a task that does not block gets no warning', async () => {
      const mill = await open(executorTasks);
      await mill.startWorker({ handleSignals: false, executors: { blockWarnMs: 100 } });
      const task = await mill.submit('burn.inline', { ms: 5 });
      await mill.wait(task.id);
      expect((await mill.logs(task.id)).filter((l) => l.level === 'warn')).toEqual([]);
    });
  });
});
