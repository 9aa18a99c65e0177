/**
 * What both adapters' `taskUpdate` and `taskSetStatus` decide before they write: the reason an
 * update records, and whether an operator's status change may happen. Plain rules, no SQL.
 */
import { canTransition, type TaskStatus } from '../core/status.ts';
import type { TaskChanges } from './task-change-contract.ts';

/** The history reason of an update: the fields it changed, in TaskChanges order. */
export function updateReason(c: TaskChanges): string {
  const fields = [
    c.inputJson === undefined ? null : 'input',
    c.priority === undefined ? null : 'priority',
    c.runAt === undefined ? null : 'runAt',
    c.queue === undefined ? null : 'queue',
    c.name === undefined ? null : 'name',
  ].filter((f) => f !== null);
  return `updated: ${fields.join(', ')}`;
}

/** Whether an operator may move a task from `from` to `to` (pause: queued or retrying; resume:
 * paused only), by the transition table. */
export function mayOperatorSet(from: TaskStatus, to: 'paused' | 'queued'): boolean {
  if (to === 'queued' && from !== 'paused') return false;
  return canTransition(from, to);
}
