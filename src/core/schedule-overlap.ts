/**
 * What the overlap policy makes of a schedule's ticks, decided once here and applied by every
 * store inside the transaction that fires them (so the state it reads cannot change under it).
 *
 * State: whether the schedule's newest task has not finished (`unfinished`), and whether a tick
 * waits for it (`waiting`, policy `queue` only).
 * - `allow`: every tick fires.
 * - `skip`: a tick fires when nothing is unfinished, else it is skipped ('overlap').
 * - `queue`: a tick fires when nothing is unfinished and nothing waits; else the first one waits
 *   (recorded, no task yet) and later ones are skipped while it waits. The waiting tick fires as
 *   soon as a pass finds its predecessor finished.
 * A fired tick's task is unfinished from then on, so one batch of ticks follows the same rule.
 * Skipped catch-up ticks and manual ones (run now) are outside the policy.
 */
import type { OverlapPolicy } from './schedule.ts';

export interface OverlapState {
  unfinished: boolean;
  waiting: boolean;
}

export type OverlapDecision = 'fire' | 'wait' | 'skip';

export function overlapDecision(policy: OverlapPolicy, state: OverlapState): OverlapDecision {
  if (policy === 'allow' || (!state.unfinished && !state.waiting)) return 'fire';
  if (policy === 'queue' && !state.waiting) return 'wait';
  return 'skip';
}

/** The state after a decision. */
export function afterDecision(state: OverlapState, decision: OverlapDecision): OverlapState {
  if (decision === 'fire') return { unfinished: true, waiting: state.waiting };
  if (decision === 'wait') return { unfinished: state.unfinished, waiting: true };
  return state;
}

/** Whether a waiting tick may now get its task: its predecessor finished. */
export function mayRelease(state: OverlapState): boolean {
  return state.waiting && !state.unfinished;
}
