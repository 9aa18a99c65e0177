import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  insertTask,
  MINUTE,
  mustGet,
  newTask,
  SECOND,
  settlementFor,
  T0,
} from './factories.ts';

/** Changing the priority of a waiting task, and deleting a finished one. */
export function priorityDeleteTests(ctx: ConformanceContext): void {
  describe('taskSetPriority', () => {
    for (const status of ['queued', 'paused', 'pending', 'retrying'] as const) {
      it(`changes the priority of a ${status} task`, async () => {
        const { id } = await insertTask(ctx.store, { status });
        const result = await ctx.store.taskSetPriority({ now: T0 + MINUTE, id, priority: 0 });
        expect(result).toMatchObject({ ok: true, task: { id, priority: 'critical', status } });
        expect(await mustGet(ctx.store, id)).toMatchObject({
          priority: 'critical',
          updatedAt: new Date(T0 + MINUTE),
        });
      });
    }

    it('claims by the new priority', async () => {
      const first = newTask({ priority: 3 });
      const second = newTask({ priority: 3 });
      await ctx.store.taskInsert({ now: T0, tasks: [first, second] });
      await ctx.store.taskSetPriority({ now: T0, id: second.id, priority: 0 });
      const [claimed] = await claim(ctx.store, { now: T0 + SECOND, limit: 1 });
      expect(claimed?.task.id).toBe(second.id);
    });

    it('refuses a running or finished task, and says which status it has', async () => {
      const running = await insertTask(ctx.store, { status: 'running' });
      expect(await ctx.store.taskSetPriority({ now: T0, id: running.id, priority: 0 })).toEqual({
        ok: false,
        reason: 'wrong_status',
        status: 'running',
      });
      const done = await insertTask(ctx.store, { status: 'failed' });
      expect(await ctx.store.taskSetPriority({ now: T0, id: done.id, priority: 0 })).toEqual({
        ok: false,
        reason: 'wrong_status',
        status: 'failed',
      });
      expect(await ctx.store.taskSetPriority({ now: T0, id: 'no-such-task', priority: 0 })).toEqual(
        { ok: false, reason: 'not_found' },
      );
    });
  });

  describe('taskDelete', () => {
    it('deletes a finished task with its history, executions, logs and artifact rows', async () => {
      const a = await insertTask(ctx.store, { status: 'running' });
      const token = a.claim?.leaseToken ?? '';
      await ctx.store.logInsert({
        now: T0 + SECOND,
        items: [{ taskId: a.id, token, attempt: 1, level: 'info', message: 'hello' }],
      });
      await ctx.store.artifactInsert({
        now: T0 + SECOND,
        token,
        artifact: {
          id: `${a.id}-out`,
          taskId: a.id,
          attempt: 1,
          name: 'out.txt',
          path: `artifacts/${a.id}/out.txt`,
          size: 3,
          sha256: 'cd'.repeat(32),
        },
      });
      const claimed = a.claim;
      if (!claimed) throw new Error('insertTask gave no claim for a running task');
      await ctx.store.taskSettle({
        now: T0 + 2 * SECOND,
        workerId: claimed.task.workerId ?? 'worker-a',
        items: [settlementFor(claimed)],
      });
      const kept = await insertTask(ctx.store, { status: 'failed' });

      const result = await ctx.store.taskDelete({ id: a.id });
      expect(result).toEqual({ ok: true, artifactPaths: [`artifacts/${a.id}/out.txt`] });
      expect(await ctx.store.taskGet({ id: a.id })).toBeNull();
      expect(await ctx.store.historyList({ id: a.id })).toEqual([]);
      expect(await ctx.store.executionList({ taskId: a.id })).toEqual([]);
      expect(await ctx.store.logList({ taskId: a.id, afterId: 0, limit: 10 })).toEqual([]);
      expect(await ctx.store.artifactList({ taskId: a.id })).toEqual([]);
      expect(await mustGet(ctx.store, kept.id)).toMatchObject({ status: 'failed' });
    });

    it('refuses a task that has not finished, and an unknown one', async () => {
      const queued = await insertTask(ctx.store, { status: 'queued' });
      expect(await ctx.store.taskDelete({ id: queued.id })).toEqual({
        ok: false,
        reason: 'wrong_status',
        status: 'queued',
      });
      expect(await mustGet(ctx.store, queued.id)).toMatchObject({ status: 'queued' });
      expect(await ctx.store.taskDelete({ id: 'no-such-task' })).toEqual({
        ok: false,
        reason: 'not_found',
      });
    });
  });
}
