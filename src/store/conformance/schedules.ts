import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import { claim, HOUR, listAll, MINUTE, SECOND, settlementFor, T0, WORKER_A } from './factories.ts';
import {
  createSchedule,
  finishReadyTask,
  fired,
  fireParams,
  minuteTicks,
  storedSchedule,
} from './schedule-factories.ts';

/** Saving, listing and deleting schedules; what their ticks read back as. */
export function scheduleTests(ctx: ConformanceContext): void {
  describe('scheduleSave, scheduleList, scheduleDelete', () => {
    it('stores a schedule as given and lists schedules by name', async () => {
      const b = await createSchedule(ctx.store, {
        name: 'b',
        input: { deep: [1, { x: 'é' }] },
        timeout: { hardMs: 5000 },
        maxAttempts: 4,
        description: 'bee',
        catchUp: 'all',
        overlap: 'queue',
      });
      const a = await createSchedule(ctx.store, { name: 'a', enabled: false, nextAt: null });
      expect(await ctx.store.scheduleList({})).toEqual([a, b]);
      expect(await ctx.store.scheduleList({ names: ['b', 'zz'] })).toEqual([b]);
    });

    it('creates and updates all or none', async () => {
      await createSchedule(ctx.store, { name: 'taken' });
      const result = await ctx.store.scheduleSave({
        now: T0,
        create: [storedSchedule({ name: 'fresh' }), storedSchedule({ name: 'taken' })],
        update: [],
      });
      expect(result).toEqual({ ok: false, reason: 'exists', name: 'taken' });
      const missing = await ctx.store.scheduleSave({
        now: T0,
        create: [storedSchedule({ name: 'fresh' })],
        update: [storedSchedule({ name: 'ghost' })],
      });
      expect(missing).toEqual({ ok: false, reason: 'not_found', name: 'ghost' });
      expect((await ctx.store.scheduleList({})).map((s) => s.name)).toEqual(['taken']);
    });

    it('updates every field but never moves the cursor back', async () => {
      const s = await createSchedule(ctx.store);
      fired(await ctx.store.scheduleFire(fireParams(s.name, T0, minuteTicks(T0, 5))));
      const changed = storedSchedule({
        cron: '*/5 * * * *',
        queue: 'q2',
        cursorAt: T0,
        nextAt: T0 + 5 * MINUTE,
      });
      expect(
        await ctx.store.scheduleSave({ now: T0 + HOUR, create: [], update: [changed] }),
      ).toEqual({ ok: true });
      const [stored] = await ctx.store.scheduleList({ names: [s.name] });
      expect(stored).toMatchObject({ cron: '*/5 * * * *', queue: 'q2', updatedAt: T0 + HOUR });
      expect(stored?.cursorAt).toBe(T0 + 5 * MINUTE);
      // The earlier of the stored next tick and the caller's: due no later than either says.
      expect(stored?.nextAt).toBe(T0 + 5 * MINUTE);
      // Enabling after a pause moves it forward: the ticks meanwhile are never handled.
      const later = storedSchedule({ cursorAt: T0 + HOUR, nextAt: T0 + HOUR + MINUTE });
      await ctx.store.scheduleSave({ now: T0 + HOUR, create: [], update: [later] });
      expect((await ctx.store.scheduleList({ names: [s.name] }))[0]?.cursorAt).toBe(T0 + HOUR);
    });

    it('deletes a schedule with its ticks; the tasks it made stay', async () => {
      const s = await createSchedule(ctx.store);
      const [tick] = fired(
        await ctx.store.scheduleFire(fireParams(s.name, T0, minuteTicks(T0, 1))),
      );
      expect(await ctx.store.scheduleDelete({ name: s.name })).toBe(true);
      expect(await ctx.store.scheduleDelete({ name: s.name })).toBe(false);
      expect(await ctx.store.scheduleList({})).toEqual([]);
      expect(await ctx.store.scheduleLinkList({ taskIds: [tick?.taskId as string] })).toEqual([]);
      expect(await listAll(ctx.store)).toHaveLength(1);
      // The name is free again, with no old ticks in the way.
      await createSchedule(ctx.store);
      fired(await ctx.store.scheduleFire(fireParams(s.name, T0, minuteTicks(T0, 1))));
    });

    it('lists as due the enabled schedules whose next tick has come', async () => {
      await createSchedule(ctx.store, { name: 'due', nextAt: T0 + MINUTE });
      await createSchedule(ctx.store, { name: 'later', nextAt: T0 + HOUR });
      await createSchedule(ctx.store, { name: 'off', enabled: false, nextAt: T0 });
      await createSchedule(ctx.store, { name: 'never', nextAt: null });
      const due = await ctx.store.scheduleListDue({ now: T0 + MINUTE, limit: 10 });
      expect(due.map((s) => s.name)).toEqual(['due']);
      expect(await ctx.store.scheduleListDue({ now: T0 + MINUTE, limit: 0 })).toEqual([]);
    });
  });

  describe('schedule ticks read back', () => {
    it('lists runs newest first with their task status and duration', async () => {
      const s = await createSchedule(ctx.store, { overlap: 'skip' });
      fired(await ctx.store.scheduleFire(fireParams(s.name, T0, minuteTicks(T0, 2))));
      await finishReadyTask(ctx.store, T0 + 2 * MINUTE, 1500);
      const runs = await ctx.store.scheduleTickList({ name: s.name, limit: 10 });
      expect(runs).toMatchObject([
        { scheduledAt: new Date(T0 + 2 * MINUTE), taskId: null, skipped: 'overlap', status: null },
        {
          scheduledAt: new Date(T0 + MINUTE),
          status: 'completed',
          durationMs: 1500,
          backfill: false,
        },
      ]);
      expect(await ctx.store.scheduleTickList({ name: s.name, limit: 1 })).toHaveLength(1);
    });

    it('links a task to the tick that made it, and no other task', async () => {
      const s = await createSchedule(ctx.store);
      const plan = minuteTicks(T0, 1).map((t) => ({ ...t, backfill: true }));
      const [tick] = fired(await ctx.store.scheduleFire(fireParams(s.name, T0, plan)));
      const links = await ctx.store.scheduleLinkList({
        taskIds: [tick?.taskId as string, '01900000-0000-7000-8000-000000000000'],
      });
      expect(links).toEqual([
        {
          taskId: tick?.taskId,
          link: {
            schedule: s.name,
            scheduledAt: new Date(T0 + MINUTE),
            backfill: true,
            manual: false,
          },
        },
      ]);
    });

    it('counts runs, outcomes, durations and skipped ticks per schedule', async () => {
      const s = await createSchedule(ctx.store, { overlap: 'skip' });
      const plan = [
        { fireAt: T0 + MINUTE, backfill: false, skip: 'catch_up' as const },
        ...minuteTicks(T0 + MINUTE, 2),
      ];
      fired(await ctx.store.scheduleFire(fireParams(s.name, T0, plan)));
      await finishReadyTask(ctx.store, T0 + 3 * MINUTE, 1000);
      fired(
        await ctx.store.scheduleFire(
          fireParams(s.name, T0 + 3 * MINUTE, minuteTicks(T0 + 3 * MINUTE, 1)),
        ),
      );
      const [running] = await claim(ctx.store, { now: T0 + 4 * MINUTE, workerId: WORKER_A });
      if (running === undefined) throw new Error('nothing to claim');
      await ctx.store.taskSettle({
        now: T0 + 4 * MINUTE + 3000,
        workerId: WORKER_A,
        items: [settlementFor(running, { to: 'failed', outcome: 'failed' })],
      });
      const [stats] = await ctx.store.scheduleStatsGet({ names: [s.name] });
      expect(stats).toEqual({
        name: s.name,
        lastRunAt: T0 + 4 * MINUTE,
        stats: {
          runs: 2,
          completed: 1,
          failed: 1,
          successRate: 0.5,
          meanDurationMs: 2000,
          minDurationMs: 1000,
          maxDurationMs: 3000,
          skipped: { overlap: 1, catch_up: 1, invalid: 0 },
        },
      });
      expect(await ctx.store.scheduleStatsGet({ names: ['other'] })).toEqual([]);
    });

    it('reports each schedule per UTC day', async () => {
      const s = await createSchedule(ctx.store, { cursorAt: T0 - 2 * MINUTE });
      // Ticks at 23:59, 00:00 and 00:01.
      fired(
        await ctx.store.scheduleFire(
          fireParams(s.name, T0 - 2 * MINUTE, minuteTicks(T0 - 2 * MINUTE, 3)),
        ),
      );
      await finishReadyTask(ctx.store, T0 + MINUTE, 400);
      const report = await ctx.store.scheduleReport({ since: T0 - 24 * HOUR });
      expect(report).toEqual([
        expect.objectContaining({ schedule: s.name, day: '2025-12-31', runs: 1, completed: 1 }),
        expect.objectContaining({ schedule: s.name, day: '2026-01-01', runs: 2, completed: 0 }),
      ]);
      expect(report[0]).toMatchObject({
        successRate: 1,
        meanDurationMs: 400,
        maxDurationMs: 400,
        skipped: 0,
      });
      expect(await ctx.store.scheduleReport({ since: T0 + SECOND })).toHaveLength(1);
    });
  });
}
