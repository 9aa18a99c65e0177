import { describe, expect, it } from 'vitest';
import type { ClaimedTask } from '../contract.ts';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  HOUR,
  insertAll,
  insertTask,
  MINUTE,
  mustGet,
  newTask,
  SAMPLE_ERROR,
  SECOND,
  settlementFor,
  sorted,
  T0,
  WORKER_A,
} from './factories.ts';

const FAR_FUTURE = T0 + 1000 * HOUR;

export function purgeStatsTests(ctx: ConformanceContext): void {
  async function completedAt(settleAt: number, type = 'done'): Promise<string> {
    return (await insertTask(ctx.store, { status: 'completed', settleAt, task: { type } })).id;
  }

  async function claimType(now: number, type: string): Promise<ClaimedTask> {
    const [claimed] = await claim(ctx.store, { now, types: [type], limit: 1 });
    if (claimed === undefined) throw new Error(`no ${type} task was claimed`);
    return claimed;
  }

  /** A log line and an artifact for the attempt; returns the artifact's path. */
  async function leaveTraces(c: ClaimedTask, now: number): Promise<string> {
    const path = `artifacts/${c.task.id}/attempt-${c.task.attempt}.txt`;
    await ctx.store.logInsert({
      now,
      items: [
        {
          taskId: c.task.id,
          token: c.leaseToken,
          attempt: c.task.attempt,
          level: 'info',
          message: 'hi',
        },
      ],
    });
    const result = await ctx.store.artifactInsert({
      now,
      token: c.leaseToken,
      artifact: {
        id: `${c.task.id}-${c.task.attempt}`,
        taskId: c.task.id,
        attempt: c.task.attempt,
        name: `attempt-${c.task.attempt}.txt`,
        path,
        size: 2,
        sha256: 'cd'.repeat(32),
      },
    });
    if (!result.ok) throw new Error('setup artifact was refused');
    return path;
  }

  describe('taskPurge', () => {
    it('removes tasks of the status that finished before the cutoff', async () => {
      const done = [];
      for (let k = 1; k <= 4; k++) done.push(await completedAt(T0 + k * SECOND));
      const failed = await insertTask(ctx.store, { status: 'failed', settleAt: T0 + SECOND });
      const running = await insertTask(ctx.store, { status: 'running', task: { type: 'busy' } });
      await insertAll(ctx.store, [newTask({ type: 'idle' })]);

      const result = await ctx.store.taskPurge({
        status: 'completed',
        finishedBefore: T0 + 3 * SECOND,
        limit: 100,
      });
      expect(sorted(result.taskIds)).toEqual(sorted(done.slice(0, 2)));
      expect(result.artifactPaths).toEqual([]);
      for (const id of done.slice(0, 2)) expect(await ctx.store.taskGet({ id })).toBeNull();
      for (const id of [...done.slice(2), failed.id, running.id]) {
        expect(await ctx.store.taskGet({ id })).not.toBeNull();
      }
    });

    it('keeps the newest `keepNewest` of the status and removes the rest', async () => {
      const done = [];
      for (let k = 1; k <= 5; k++) done.push(await completedAt(T0 + k * SECOND));
      const result = await ctx.store.taskPurge({ status: 'completed', keepNewest: 2, limit: 100 });
      expect(sorted(result.taskIds)).toEqual(sorted(done.slice(0, 3)));
      for (const id of done.slice(3)) expect(await ctx.store.taskGet({ id })).not.toBeNull();
    });

    it('removes at most `limit` tasks per call', async () => {
      const done = [];
      for (let k = 1; k <= 5; k++) done.push(await completedAt(T0 + k * SECOND));
      const purged: string[] = [];
      for (const expected of [2, 2, 1, 0]) {
        const { taskIds } = await ctx.store.taskPurge({
          status: 'completed',
          finishedBefore: FAR_FUTURE,
          limit: 2,
        });
        expect(taskIds).toHaveLength(expected);
        purged.push(...taskIds);
      }
      expect(sorted(purged)).toEqual(sorted(done));
    });

    it('removes the history, executions, logs and artifacts of what it purges', async () => {
      await insertAll(ctx.store, [newTask({ type: 'old' }), newTask({ type: 'kept' })]);
      const first = await claimType(T0, 'old');
      const paths = [await leaveTraces(first, T0 + SECOND)];
      await ctx.store.taskSettle({
        now: T0 + 2 * SECOND,
        workerId: WORKER_A,
        items: [
          settlementFor(first, {
            to: 'retrying',
            outcome: 'failed',
            error: SAMPLE_ERROR,
            runAt: T0 + MINUTE,
          }),
        ],
      });
      const second = await claimType(T0 + MINUTE, 'old');
      paths.push(await leaveTraces(second, T0 + MINUTE + SECOND));
      await ctx.store.taskSettle({
        now: T0 + MINUTE + 2 * SECOND,
        workerId: WORKER_A,
        items: [settlementFor(second)],
      });
      const kept = await claimType(T0 + HOUR, 'kept');
      const keptPath = await leaveTraces(kept, T0 + HOUR);
      await ctx.store.taskSettle({
        now: T0 + HOUR + SECOND,
        workerId: WORKER_A,
        items: [settlementFor(kept)],
      });

      const result = await ctx.store.taskPurge({
        status: 'completed',
        finishedBefore: T0 + 30 * MINUTE,
        limit: 100,
      });
      expect(result.taskIds).toEqual([first.task.id]);
      expect(sorted(result.artifactPaths)).toEqual(sorted(paths));

      const id = first.task.id;
      expect(await ctx.store.taskGet({ id })).toBeNull();
      expect(await ctx.store.historyList({ id })).toEqual([]);
      expect(await ctx.store.executionList({ taskId: id })).toEqual([]);
      expect(await ctx.store.logList({ taskId: id })).toEqual([]);
      expect(await ctx.store.artifactList({ taskId: id })).toEqual([]);

      const keptId = kept.task.id;
      expect(await ctx.store.historyList({ id: keptId })).toHaveLength(3);
      expect(await ctx.store.executionList({ taskId: keptId })).toHaveLength(1);
      expect(await ctx.store.logList({ taskId: keptId })).toHaveLength(1);
      expect((await ctx.store.artifactList({ taskId: keptId })).map((a) => a.path)).toEqual([
        keptPath,
      ]);
    });

    it('never purges running or queued tasks', async () => {
      const running = await insertTask(ctx.store, { status: 'running', task: { type: 'busy' } });
      const queued = newTask({ type: 'idle' });
      await insertAll(ctx.store, [queued]);
      for (const status of ['running', 'queued', 'completed'] as const) {
        const byCount = await ctx.store.taskPurge({ status, keepNewest: 0, limit: 100 });
        const byAge = await ctx.store.taskPurge({ status, finishedBefore: FAR_FUTURE, limit: 100 });
        expect([...byCount.taskIds, ...byAge.taskIds]).toEqual([]);
      }
      expect((await mustGet(ctx.store, running.id)).status).toBe('running');
      expect((await mustGet(ctx.store, queued.id)).status).toBe('queued');
    });
  });
}
