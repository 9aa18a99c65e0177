import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import { listAll, MINUTE, SECOND, T0 } from './factories.ts';
import {
  createSchedule,
  finishReadyTask,
  fired,
  fireParams,
  minuteTicks,
} from './schedule-factories.ts';

/** scheduleTickPrune: retention of tick records, oldest first, in batches, keeping what a
 * scheduler still reads. */
export function schedulePruneTests(ctx: ConformanceContext): void {
  describe('scheduleTickPrune', () => {
    const prune = (before: number, limit: number) => ctx.store.scheduleTickPrune({ before, limit });

    it('deletes ticks fired before the cut-off, oldest first, at most `limit` a call', async () => {
      const s = await createSchedule(ctx.store, { name: 'skipped' });
      const ticks = minuteTicks(T0, 4).map((t) => ({ ...t, skip: 'catch_up' as const }));
      fired(await ctx.store.scheduleFire(fireParams(s.name, T0, ticks)));
      expect(await prune(T0 + 3 * MINUTE + 1, 2)).toBe(2);
      const kept = await ctx.store.scheduleTickList({ name: s.name, limit: 10 });
      expect(kept.map((t) => t.scheduledAt.getTime())).toEqual([T0 + 4 * MINUTE, T0 + 3 * MINUTE]);
      // The cut-off is exclusive: a tick fired at `before` stays.
      expect(await prune(T0 + 3 * MINUTE, 10)).toBe(0);
      expect(await prune(T0 + 3 * MINUTE + 1, 10)).toBe(1);
      const [stats] = await ctx.store.scheduleStatsGet({ names: [s.name] });
      expect(stats?.stats.skipped.catch_up).toBe(1);
    });

    it('keeps a waiting tick and one whose task has not ended; the tasks stay', async () => {
      const s = await createSchedule(ctx.store, { overlap: 'queue' });
      const fire = async (minute: number) => {
        const from = T0 + (minute - 1) * MINUTE;
        return fired(await ctx.store.scheduleFire(fireParams(s.name, from, minuteTicks(from, 1))));
      };
      await fire(1); // its task, unfinished
      await fire(2); // waits for it
      await fire(3); // skipped (overlap)
      const late = T0 + 10 * MINUTE;
      expect(await prune(late, 10)).toBe(1);
      await finishReadyTask(ctx.store, T0 + 3 * MINUTE + SECOND);
      const cursor = T0 + 3 * MINUTE;
      fired(await ctx.store.scheduleFire(fireParams(s.name, cursor, [], cursor)));
      // The first task ended: its tick goes. The released tick's task has not: it stays.
      expect(await prune(late, 10)).toBe(1);
      const kept = await ctx.store.scheduleTickList({ name: s.name, limit: 10 });
      expect(kept.map((t) => [t.scheduledAt.getTime(), t.status])).toEqual([
        [T0 + 2 * MINUTE, 'queued'],
      ]);
      expect(await listAll(ctx.store)).toHaveLength(2);
    });
  });
}
