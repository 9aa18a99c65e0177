import { describe, expect, it } from 'vitest';
import type { ConformanceContext, StoreHarness } from './context.ts';
import { listAll, MINUTE, mustGet, newTask, SECOND, T0 } from './factories.ts';
import {
  createSchedule,
  finishReadyTask,
  fired,
  fireParams,
  minuteTicks,
} from './schedule-factories.ts';

/** scheduleFire: each tick once with its task, the cursor's compare-and-set, overlap states. */
export function scheduleFireTests(ctx: ConformanceContext, harness: StoreHarness): void {
  describe('scheduleFire', () => {
    it("records each tick with a task to run at the tick's time, and moves the cursor", async () => {
      const s = await createSchedule(ctx.store);
      const ticks = fired(await ctx.store.scheduleFire(fireParams(s.name, T0, minuteTicks(T0, 3))));
      expect(ticks.map((t) => t.scheduledAt)).toEqual([
        T0 + MINUTE,
        T0 + 2 * MINUTE,
        T0 + 3 * MINUTE,
      ]);
      expect(ticks.every((t) => t.taskId !== null && t.skipped === null && !t.manual)).toBe(true);
      for (const t of ticks) {
        expect((await mustGet(ctx.store, t.taskId as string)).runAt.getTime()).toBe(t.scheduledAt);
      }
      const [stored] = await ctx.store.scheduleList({ names: [s.name] });
      expect(stored?.cursorAt).toBe(T0 + 3 * MINUTE);
      expect(stored?.nextAt).toBe(T0 + 4 * MINUTE);
    });

    it('fires a tick once when two schedulers fire it at the same time', async () => {
      const s = await createSchedule(ctx.store);
      // Another process's store where the adapter has one; else the same store, called at once.
      const other = harness.openPeer ? await harness.openPeer() : null;
      const peer = other ?? ctx.store;
      for (let round = 0; round < 5; round++) {
        const [cursor] = await ctx.store.scheduleList({ names: [s.name] });
        const from = cursor?.cursorAt as number;
        const results = await Promise.all([
          ctx.store.scheduleFire(fireParams(s.name, from, minuteTicks(from, 2))),
          peer.scheduleFire(fireParams(s.name, from, minuteTicks(from, 2))),
          ctx.store.scheduleFire(fireParams(s.name, from, minuteTicks(from, 2))),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual([
          'moved',
          'moved',
        ]);
      }
      await other?.close();
      const tasks = await listAll(ctx.store);
      expect(tasks).toHaveLength(10);
      const times = tasks.map((t) => t.runAt.getTime()).sort((a, b) => a - b);
      expect(times).toEqual(Array.from({ length: 10 }, (_, i) => T0 + (i + 1) * MINUTE));
    });

    it('writes nothing from a plan made on a cursor another scheduler moved', async () => {
      const s = await createSchedule(ctx.store);
      fired(await ctx.store.scheduleFire(fireParams(s.name, T0, minuteTicks(T0, 2))));
      // A scheduler whose clock stepped back plans again from the cursor it read before.
      const stale = await ctx.store.scheduleFire(fireParams(s.name, T0, minuteTicks(T0, 1)));
      expect(stale).toEqual({ ok: false, reason: 'moved' });
      // Not only through the tick's unique row: a tick never recorded is refused as well.
      const unseen = [{ fireAt: T0 + 30 * SECOND, backfill: false, skip: null }];
      expect(await ctx.store.scheduleFire(fireParams(s.name, T0, unseen))).toEqual(stale);
      expect(await listAll(ctx.store)).toHaveLength(2);
    });

    it('refuses an unknown schedule and, for expression ticks, a disabled one', async () => {
      expect(await ctx.store.scheduleFire(fireParams('nope', T0, minuteTicks(T0, 1)))).toEqual({
        ok: false,
        reason: 'not_found',
      });
      const s = await createSchedule(ctx.store, { enabled: false });
      expect(await ctx.store.scheduleFire(fireParams(s.name, T0, minuteTicks(T0, 1)))).toEqual({
        ok: false,
        reason: 'disabled',
      });
      expect(await listAll(ctx.store)).toHaveLength(0);
    });

    it('records catch-up skips without a task', async () => {
      const s = await createSchedule(ctx.store);
      const plan = minuteTicks(T0, 3).map((t, i) =>
        i < 2 ? { ...t, skip: 'catch_up' as const } : { ...t, backfill: true },
      );
      const ticks = fired(await ctx.store.scheduleFire(fireParams(s.name, T0, plan)));
      expect(ticks.map((t) => [t.skipped, t.taskId !== null, t.backfill])).toEqual([
        ['catch_up', false, false],
        ['catch_up', false, false],
        [null, true, true],
      ]);
      expect(await listAll(ctx.store)).toHaveLength(1);
    });

    it('run now: a manual tick fires whatever the policy or state, once per instant', async () => {
      const s = await createSchedule(ctx.store, { overlap: 'skip', enabled: false });
      const manual = (at: number) => ({
        now: at,
        name: s.name,
        advance: null,
        ticks: [{ fireAt: at, backfill: false, skip: null }],
        newTask: (scheduledAt: number) => newTask({ runAt: scheduledAt }),
      });
      const [first] = fired(await ctx.store.scheduleFire(manual(T0 + SECOND)));
      expect(first).toMatchObject({ manual: true, skipped: null, scheduledAt: T0 + SECOND });
      const [second] = fired(await ctx.store.scheduleFire(manual(T0 + 2 * SECOND)));
      expect(second?.taskId).not.toBeNull();
      expect(await ctx.store.scheduleFire(manual(T0 + 2 * SECOND))).toEqual({
        ok: false,
        reason: 'tick_exists',
      });
      expect(await listAll(ctx.store)).toHaveLength(2);
      const [stored] = await ctx.store.scheduleList({ names: [s.name] });
      expect(stored?.cursorAt).toBe(T0);
    });
  });

  describe('scheduleFire with an overlap policy', () => {
    const fireMinute = async (name: string, minute: number) =>
      fired(
        await ctx.store.scheduleFire(
          fireParams(name, T0 + (minute - 1) * MINUTE, minuteTicks(T0 + (minute - 1) * MINUTE, 1)),
        ),
      )[0];

    it('skip: a tick while the last task is unfinished is skipped, then fires again', async () => {
      const s = await createSchedule(ctx.store, { overlap: 'skip' });
      expect((await fireMinute(s.name, 1))?.taskId).not.toBeNull();
      expect(await fireMinute(s.name, 2)).toMatchObject({ taskId: null, skipped: 'overlap' });
      await finishReadyTask(ctx.store, T0 + 2 * MINUTE + SECOND);
      expect((await fireMinute(s.name, 3))?.taskId).not.toBeNull();
    });

    it('skip: of several ticks in one call, only the first fires while it runs', async () => {
      const s = await createSchedule(ctx.store, { overlap: 'skip' });
      const ticks = fired(await ctx.store.scheduleFire(fireParams(s.name, T0, minuteTicks(T0, 3))));
      expect(ticks.map((t) => t.skipped)).toEqual([null, 'overlap', 'overlap']);
    });

    it('allow: every tick fires, finished or not', async () => {
      const s = await createSchedule(ctx.store, { overlap: 'allow' });
      for (let m = 1; m <= 3; m++) expect((await fireMinute(s.name, m))?.taskId).not.toBeNull();
    });

    it('queue: one tick waits behind the unfinished task, later ones are skipped, and it fires once that ends', async () => {
      const s = await createSchedule(ctx.store, { overlap: 'queue' });
      expect((await fireMinute(s.name, 1))?.taskId).not.toBeNull();
      expect(await fireMinute(s.name, 2)).toMatchObject({ taskId: null, waiting: true });
      expect(await fireMinute(s.name, 3)).toMatchObject({ taskId: null, skipped: 'overlap' });
      const due = await ctx.store.scheduleListDue({ now: T0 + 3 * MINUTE, limit: 10 });
      expect(due.map((d) => d.name)).toEqual([s.name]);

      const first = await finishReadyTask(ctx.store, T0 + 3 * MINUTE + SECOND);
      // A pass with no new tick releases the waiting one: its task runs at its own time.
      const cursor = T0 + 3 * MINUTE;
      const released = fired(await ctx.store.scheduleFire(fireParams(s.name, cursor, [], cursor)));
      expect(released).toMatchObject([{ scheduledAt: T0 + 2 * MINUTE, released: true }]);
      const task = await mustGet(ctx.store, released[0]?.taskId as string);
      expect(task.id).not.toBe(first);
      expect(task.runAt.getTime()).toBe(T0 + 2 * MINUTE);
      // Released once only.
      expect(fired(await ctx.store.scheduleFire(fireParams(s.name, cursor, [], cursor)))).toEqual(
        [],
      );
      expect(await fireMinute(s.name, 4)).toMatchObject({ taskId: null, waiting: true });
      // Disabled, it gives up the waiting tick: enabled again, no task comes of it.
      const now = T0 + 5 * MINUTE;
      const off = { ...s, enabled: false, cursorAt: T0 + 4 * MINUTE };
      await ctx.store.scheduleSave({ now, create: [], update: [off] });
      await ctx.store.scheduleSave({
        now,
        create: [],
        update: [{ ...off, enabled: true, cursorAt: now }],
      });
      await finishReadyTask(ctx.store, now);
      expect(fired(await ctx.store.scheduleFire(fireParams(s.name, now, [], now)))).toEqual([]);
      const [latest] = await ctx.store.scheduleTickList({ name: s.name, limit: 1 });
      expect(latest).toMatchObject({ scheduledAt: new Date(T0 + 4 * MINUTE), skipped: 'overlap' });
    });
  });
}
