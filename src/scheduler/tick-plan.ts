/**
 * Which of a schedule's ticks a pass handles, and how: a pure function of the cursor, the time
 * and the catch-up policy (tested with numbers, no database).
 *
 * The ticks are the fire times after the cursor up to now, oldest first, at most `maxTicks` of
 * them (the rest wait for the next pass: the cursor moves only as far as what was handled). A
 * tick is *missed* when it is more than `lateAfterMs` old: no scheduler ran when it came. A
 * scheduler that takes over from a dead one within `lateAfterMs` fires its ticks normally.
 * Missed ticks follow the catch-up policy:
 * - `none`: every one is recorded skipped (`catch_up`);
 * - `latest`: the newest missed one fires (as a backfill), the older ones are skipped;
 * - `all`: those within `catchUpWindowMs` of now fire as backfills, older ones are skipped.
 * Ticks that are not missed fire. What the overlap policy makes of the ticks that fire is decided
 * where they are written (src/core/schedule-overlap.ts).
 */
import type { CatchUpPolicy } from '../core/schedule.ts';
import type { PlannedTick } from '../store/contract.ts';

export interface PlanInput {
  /** The newest fire time handled so far. */
  cursorAt: number;
  now: number;
  lateAfterMs: number;
  catchUp: CatchUpPolicy;
  catchUpWindowMs: number;
  /** The expression: the first fire time strictly after a time, or null. */
  next: (after: number) => number | null;
  maxTicks: number;
}

export interface TickPlan {
  ticks: PlannedTick[];
  /** Where the cursor moves: the last tick handled (the old cursor when none was). */
  cursorTo: number;
  /** The first fire time after `cursorTo`, or null when the expression has no more. */
  nextAt: number | null;
}

function classify(p: PlanInput, fireAt: number, following: number | null): PlannedTick {
  const missed = p.now - fireAt > p.lateAfterMs;
  if (!missed) return { fireAt, backfill: false, skip: null };
  const fires =
    p.catchUp === 'all'
      ? p.now - fireAt <= p.catchUpWindowMs
      : p.catchUp === 'latest'
        ? // The newest missed tick: the one after it has not come, or is not missed.
          following === null || following > p.now || p.now - following <= p.lateAfterMs
        : false;
  return fires
    ? { fireAt, backfill: true, skip: null }
    : { fireAt, backfill: false, skip: 'catch_up' };
}

export function planTicks(p: PlanInput): TickPlan {
  const ticks: PlannedTick[] = [];
  let cursorTo = p.cursorAt;
  let at = p.next(p.cursorAt);
  while (at !== null && at <= p.now && ticks.length < p.maxTicks) {
    const following = p.next(at);
    ticks.push(classify(p, at, following));
    cursorTo = at;
    at = following;
  }
  return { ticks, cursorTo, nextAt: at };
}
