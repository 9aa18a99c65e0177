/**
 * `scheduleFire` as both adapters run it, apart from the statements: what to write, decided from
 * what the transaction read (the schedule row, locked, and its overlap state). Written once here
 * so the two adapters cannot decide differently; each adapter only reads and writes.
 */
import type { NewTask } from '../core/new-task.ts';
import type { OverlapPolicy, SkipReason } from '../core/schedule.ts';
import {
  afterDecision,
  mayRelease,
  type OverlapState,
  overlapDecision,
} from '../core/schedule-overlap.ts';
import { isTerminal, type TaskStatus } from '../core/status.ts';
import type { ScheduleFireParams, TickOutcome } from './schedule-contract.ts';
import { FireRefused } from './schedule-refusals.ts';

/** What the transaction read before deciding. */
export interface FireRead {
  cursorAt: number;
  enabled: boolean;
  overlap: OverlapPolicy;
  /** The status of the task of the schedule's newest tick that made one; null when there is
   * none, or it was deleted (both count as finished). */
  newestStatus: TaskStatus | null;
  /** The fire time of the tick waiting for its predecessor, if any. */
  waitingAt: number | null;
}

/** One schedule_ticks row to insert. */
export interface TickRow {
  fireAt: number;
  manual: boolean;
  taskId: string | null;
  skipped: SkipReason | null;
  backfill: boolean;
  waiting: boolean;
}

export interface FireWrites {
  /** The waiting tick that gets its task now. */
  release: { fireAt: number; task: NewTask } | null;
  rows: TickRow[];
  /** The tasks of `release` and of the fired rows, in that order. */
  tasks: NewTask[];
  outcomes: TickOutcome[];
}

/** Decide the writes, or refuse (not found, moved, disabled) before any is made. */
export function decideFire(p: ScheduleFireParams, read: FireRead | null): FireWrites {
  if (read === null) throw new FireRefused('not_found');
  const manual = p.advance === null;
  if (!manual && read.cursorAt !== p.advance?.cursorAt) throw new FireRefused('moved');
  if (!manual && !read.enabled) throw new FireRefused('disabled');
  let state: OverlapState = {
    unfinished: read.newestStatus !== null && !isTerminal(read.newestStatus),
    waiting: read.waitingAt !== null,
  };
  const writes: FireWrites = { release: null, rows: [], tasks: [], outcomes: [] };
  if (!manual && read.waitingAt !== null && mayRelease(state) && p.holdWaiting !== true) {
    const task = p.newTask(read.waitingAt);
    writes.release = { fireAt: read.waitingAt, task };
    writes.tasks.push(task);
    writes.outcomes.push(outcome(read.waitingAt, false, false, task.id, null, false, true));
    state = { unfinished: true, waiting: false };
  }
  for (const t of p.ticks) {
    if (t.skip !== null) {
      writes.rows.push(row(t.fireAt, manual, null, t.skip, t.backfill, false));
      writes.outcomes.push(outcome(t.fireAt, manual, t.backfill, null, t.skip, false, false));
      continue;
    }
    const decision = manual ? 'fire' : overlapDecision(read.overlap, state);
    state = afterDecision(state, decision);
    const task = decision === 'fire' ? p.newTask(t.fireAt) : null;
    if (task !== null) writes.tasks.push(task);
    const skipped = decision === 'skip' ? 'overlap' : null;
    const waiting = decision === 'wait';
    writes.rows.push(row(t.fireAt, manual, task?.id ?? null, skipped, t.backfill, waiting));
    writes.outcomes.push(
      outcome(t.fireAt, manual, t.backfill, task?.id ?? null, skipped, waiting, false),
    );
  }
  return writes;
}

function row(
  fireAt: number,
  manual: boolean,
  taskId: string | null,
  skipped: TickRow['skipped'],
  backfill: boolean,
  waiting: boolean,
): TickRow {
  return { fireAt, manual, taskId, skipped, backfill, waiting };
}

function outcome(
  scheduledAt: number,
  manual: boolean,
  backfill: boolean,
  taskId: string | null,
  skipped: TickOutcome['skipped'],
  waiting: boolean,
  released: boolean,
): TickOutcome {
  return { scheduledAt, manual, backfill, taskId, skipped, waiting, released };
}
