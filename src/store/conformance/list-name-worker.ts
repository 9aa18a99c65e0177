import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import {
  idsOf,
  insertAll,
  insertTask,
  newTask,
  SECOND,
  sorted,
  T0,
  WORKER_A,
  WORKER_B,
} from './factories.ts';
import { newRun, stepTask } from './pipeline-factories.ts';

/** `taskList` filtered by a task's name, by the worker that holds it (issue 18) and by the
 * pipeline run and step a task belongs to. */
export function listNameWorkerTests(ctx: ConformanceContext): void {
  const all = { sort: 'createdAt' as const, order: 'asc' as const, limit: 100 };

  describe('taskList by name', () => {
    it('finds literal text in the name, case-insensitively, and only in the name', async () => {
      const nightly = newTask({ name: 'Nightly Report — MÜNCHEN', input: { note: 'alpha' } });
      const weekly = newTask({ name: 'weekly report', input: { note: 'nightly' } });
      const unnamed = newTask({ input: { note: 'report' } });
      const wild = newTask({ name: 'cost 100% of_it' });
      await insertAll(ctx.store, [nightly, weekly, unnamed, wild]);
      const find = async (name: string) =>
        sorted(idsOf((await ctx.store.taskList({ ...all, filter: { name } })).tasks));

      expect(await find('REPORT')).toEqual(sorted([nightly.id, weekly.id]));
      // Text only in the input is not in the name.
      expect(await find('nightly')).toEqual([nightly.id]);
      expect(await find('münchen')).toEqual([nightly.id]);
      // A literal: LIKE's wildcards match only themselves.
      expect(await find('100% of_it')).toEqual([wild.id]);
      expect(await find('100%_of')).toEqual([]);
      expect(await find('absent')).toEqual([]);
    });

    it('combines with the other filters and counts the same tasks', async () => {
      const a = newTask({ name: 'sync accounts', queue: 'q1' });
      const b = newTask({ name: 'sync contacts', queue: 'q2' });
      const c = newTask({ name: 'sync calendars', queue: 'q1' });
      await insertAll(ctx.store, [a, b], T0);
      await insertAll(ctx.store, [c], T0 + SECOND);
      const page = await ctx.store.taskList({
        ...all,
        limit: 1,
        total: true,
        filter: { name: 'SYNC', queue: ['q1'] },
      });
      expect(page.total).toBe(2);
      expect(idsOf(page.tasks)).toEqual([a.id]);
      const next = await ctx.store.taskList({
        ...all,
        limit: 1,
        cursor: page.nextCursor,
        filter: { name: 'SYNC', queue: ['q1'] },
      });
      expect(idsOf(next.tasks)).toEqual([c.id]);
      expect(next.nextCursor).toBeNull();
    });
  });

  describe('taskList by worker', () => {
    it('lists the tasks whose lease the worker holds, not the ones it ran before', async () => {
      const doneByA = await insertTask(ctx.store, {
        status: 'completed',
        workerId: WORKER_A,
        task: { type: 'w.done' },
      });
      const runningOnA = await insertTask(ctx.store, {
        status: 'running',
        workerId: WORKER_A,
        task: { type: 'w.a' },
      });
      const runningOnB = await insertTask(ctx.store, {
        status: 'running',
        workerId: WORKER_B,
        task: { type: 'w.b' },
      });
      await insertAll(ctx.store, [newTask({ type: 'w.waiting' })]);
      const held = async (workerId: string) => {
        const page = await ctx.store.taskList({ ...all, total: true, filter: { workerId } });
        expect(page.total).toBe(page.tasks.length);
        return idsOf(page.tasks);
      };

      expect(await held(WORKER_A)).toEqual([runningOnA.id]);
      expect(await held(WORKER_B)).toEqual([runningOnB.id]);
      expect(await held('worker-unknown')).toEqual([]);
      expect(idsOf((await ctx.store.taskList({ ...all, filter: {} })).tasks)).toContain(doneByA.id);
    });
  });

  describe('taskList by pipeline run and step', () => {
    it("lists a run's tasks, a step's task and its map items, and counts them alike", async () => {
      const [one, two] = [newRun(), newRun()];
      const [load1, m1, load2, m2] = [
        stepTask(one, 'load', 0),
        stepTask(one, 'm', 1),
        stepTask(two, 'load', 0),
        stepTask(two, 'm', 1),
      ];
      await ctx.store.pipelineRunStart({
        now: T0,
        runs: [
          { run: one, tasks: [load1, m1] },
          { run: two, tasks: [load2, m2] },
        ],
      });
      const items = [0, 1].map((item) =>
        newTask({
          status: 'pending',
          pipeline: { runId: one.id, step: 'm', item, order: 1, held: true },
        }),
      );
      await insertAll(ctx.store, [...items, newTask({ type: 'not.in.a.run' })]);
      const list = async (filter: { runId?: string; step?: string }) => {
        const page = await ctx.store.taskList({ ...all, total: true, filter });
        expect(page.total).toBe(page.tasks.length);
        return sorted(idsOf(page.tasks));
      };
      const ids = (...tasks: { id: string }[]) => sorted(tasks.map((t) => t.id));

      expect(await list({ runId: one.id })).toEqual(ids(load1, m1, ...items));
      expect(await list({ runId: one.id, step: 'm' })).toEqual(ids(m1, ...items));
      expect(await list({ runId: two.id })).toEqual(ids(load2, m2));
      expect(await list({ step: 'load' })).toEqual(ids(load1, load2));
      expect(await list({ runId: one.id, step: 'absent' })).toEqual([]);
      expect(await list({ runId: newRun().id })).toEqual([]);
    });
  });
}
