import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import { insertAll, newTask, SECOND, T0, TYPE } from './factories.ts';

/** `taskGetNextRunAt`: the alarm an idle worker sets for delayed tasks and retries. */
export function nextRunAtTests(ctx: ConformanceContext): void {
  describe('taskGetNextRunAt', () => {
    it('is null with nothing waiting', async () => {
      expect(await ctx.store.taskGetNextRunAt({ now: T0, types: [TYPE], queues: null })).toBeNull();
    });

    it('gives the earliest future run time across priorities, for the given types and queues', async () => {
      await insertAll(ctx.store, [
        newTask({ runAt: T0 - SECOND }), // due already: claimable, not an alarm
        newTask({ runAt: T0 + 9 * SECOND, priority: 0 }),
        newTask({ runAt: T0 + 5 * SECOND, priority: 3 }),
        newTask({ runAt: T0 + 2 * SECOND, type: 'other.type' }),
        newTask({ runAt: T0 + 3 * SECOND, queue: 'side' }),
      ]);
      const next = (types: string[], queues: string[] | null) =>
        ctx.store.taskGetNextRunAt({ now: T0, types, queues });
      expect(await next([TYPE], null)).toBe(T0 + 3 * SECOND);
      expect(await next([TYPE], ['default'])).toBe(T0 + 5 * SECOND);
      expect(await next(['other.type'], null)).toBe(T0 + 2 * SECOND);
      expect(await next(['nobody'], null)).toBeNull();
      expect(
        await ctx.store.taskGetNextRunAt({ now: T0 + 9 * SECOND, types: [TYPE], queues: null }),
      ).toBeNull();
    });
  });
}
