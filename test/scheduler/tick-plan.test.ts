import { describe, expect, it } from 'vitest';
import type { CatchUpPolicy } from '../../src/core/schedule.ts';
import { type PlanInput, planTicks } from '../../src/scheduler/tick-plan.ts';

const M = 60_000;
/** `* * * * *`: the next whole minute strictly after a time. */
const everyMinute = (after: number) => (Math.floor(after / M) + 1) * M;

const plan = (o: Partial<PlanInput>) =>
  planTicks({
    cursorAt: 0,
    now: 0,
    lateAfterMs: M,
    catchUp: 'none',
    catchUpWindowMs: 24 * 60 * M,
    next: everyMinute,
    maxTicks: 1000,
    ...o,
  });

/** Ticks as [minute, what]: F fires, B fires as backfill, S skipped for catch-up. */
const shape = (p: ReturnType<typeof plan>) =>
  p.ticks.map((t) => [t.fireAt / M, t.skip ? 'S' : t.backfill ? 'B' : 'F']);

describe('planTicks', () => {
  it('fires the ticks after the cursor up to now, and moves the cursor to the last', () => {
    const p = plan({ cursorAt: 0, now: 3 * M + 5_000 });
    expect(shape(p)).toEqual([
      [1, 'S'],
      [2, 'S'],
      [3, 'F'],
    ]);
    expect(p.cursorTo).toBe(3 * M);
    expect(p.nextAt).toBe(4 * M);
  });

  it('fires a tick exactly at now, and none after it', () => {
    expect(shape(plan({ cursorAt: 0, now: M }))).toEqual([[1, 'F']]);
    expect(plan({ cursorAt: 0, now: M - 1 })).toEqual({ ticks: [], cursorTo: 0, nextAt: M });
  });

  it('plans nothing when the clock is behind the cursor (it stepped back)', () => {
    expect(plan({ cursorAt: 10 * M, now: 9 * M + 30_000 })).toEqual({
      ticks: [],
      cursorTo: 10 * M,
      nextAt: 11 * M,
    });
  });

  it('fires late ticks normally within lateAfterMs: a scheduler took over from a dead one', () => {
    expect(shape(plan({ cursorAt: 0, now: 2 * M, lateAfterMs: M }))).toEqual([
      [1, 'F'],
      [2, 'F'],
    ]);
    expect(shape(plan({ cursorAt: 0, now: 2 * M + 1, lateAfterMs: M }))).toEqual([
      [1, 'S'],
      [2, 'F'],
    ]);
  });

  describe('25 minutes missed (ticks 1..25, now 25 min 30 s, late after 10 s)', () => {
    const now = 25 * M + 30_000;
    const counts = (catchUp: CatchUpPolicy, catchUpWindowMs = 24 * 60 * M) => {
      const p = plan({ cursorAt: 0, now, catchUp, catchUpWindowMs, lateAfterMs: 10_000 });
      const of = (w: string) => shape(p).filter(([, x]) => x === w).length;
      return { fired: of('F'), backfill: of('B'), skipped: of('S'), cursorTo: p.cursorTo / M };
    };

    it('none: all 25 skipped', () => {
      expect(counts('none')).toEqual({ fired: 0, backfill: 0, skipped: 25, cursorTo: 25 });
    });

    it('latest: the newest fired as a backfill, 24 skipped', () => {
      expect(counts('latest')).toEqual({ fired: 0, backfill: 1, skipped: 24, cursorTo: 25 });
      expect(
        shape(plan({ cursorAt: 0, now, catchUp: 'latest', lateAfterMs: 10_000 })).at(-1),
      ).toEqual([25, 'B']);
    });

    it('all: 25 backfilled', () => {
      expect(counts('all')).toEqual({ fired: 0, backfill: 25, skipped: 0, cursorTo: 25 });
    });

    it('all with a 10-minute window: the 10 within it backfilled, the 15 older skipped', () => {
      // now − 10 min = 15 min 30 s: ticks 16..25 are within the window.
      expect(counts('all', 10 * M)).toEqual({ fired: 0, backfill: 10, skipped: 15, cursorTo: 25 });
    });
  });

  it('latest: the newest missed tick is the one before a tick that is not missed', () => {
    const p = plan({ cursorAt: 0, now: 5 * M + 30_000, catchUp: 'latest' });
    expect(shape(p)).toEqual([
      [1, 'S'],
      [2, 'S'],
      [3, 'S'],
      [4, 'B'],
      [5, 'F'],
    ]);
  });

  it('handles at most maxTicks, leaving the rest to the next pass', () => {
    const now = 10 * M + 30_000;
    const o = { now, catchUp: 'latest' as const, maxTicks: 4, lateAfterMs: 10_000 };
    const first = plan({ ...o, cursorAt: 0 });
    expect(shape(first)).toEqual([
      [1, 'S'],
      [2, 'S'],
      [3, 'S'],
      [4, 'S'],
    ]);
    expect([first.cursorTo, first.nextAt]).toEqual([4 * M, 5 * M]);
    const rest = [first];
    while ((rest.at(-1)?.ticks.length ?? 0) > 0) {
      rest.push(plan({ ...o, cursorAt: rest.at(-1)?.cursorTo }));
    }
    const all = rest.flatMap(shape);
    expect(all).toHaveLength(10);
    expect(all.filter(([, x]) => x === 'B')).toEqual([[10, 'B']]);
  });

  it('stops at an expression with no more fire times', () => {
    const once = (after: number) => (after < 5 * M ? 5 * M : null);
    expect(plan({ cursorAt: 0, now: 5 * M, next: once })).toEqual({
      ticks: [{ fireAt: 5 * M, backfill: false, skip: null }],
      cursorTo: 5 * M,
      nextAt: null,
    });
  });
});
