/**
 * Settle follow-ups: work that commits with a status change, in the same transaction, so that
 * either both are stored or neither. Each store adapter implements every rule here (in SQL over
 * its own tables); the conformance suite states each rule once and runs it on every adapter.
 *
 * Today's rules are about dependencies (`dependsOn`): a task waits in `pending` until every task
 * it depends on has completed.
 * - `release-dependents`: when a task completes (or, as a pipeline step, is skipped), each pending task that depends on it counts one
 *   dependency fewer; one with none left becomes `queued` (history reason `dependencies
 *   completed`).
 * - `end-dependents`: when a task ends without completing (failed, timed out, cancelled), every
 *   pending task that depends on it, directly or through other pending tasks, ends too: `failed`
 *   with the error DEPENDENCY_FAILED when the dependency failed or timed out, `cancelled` when it
 *   was cancelled (history reason `dependency <id> ended <status>`).
 * A retry (`retrying`) or a give-back (`queued`) ends nothing, so it carries no follow-up.
 */
import type { TaskStatus } from './status.ts';
import type { TaskErrorInfo } from './task.ts';

export type FollowUp = 'release-dependents' | 'end-dependents';

export const RELEASE_REASON = 'dependencies completed';

/** The follow-up a transition to `to` carries for the task's dependents, if any. */
export function followUpOf(to: TaskStatus): FollowUp | null {
  switch (to) {
    case 'completed':
    case 'skipped':
      return 'release-dependents';
    case 'failed':
    case 'timed_out':
    case 'cancelled':
      return 'end-dependents';
    default:
      return null;
  }
}

/** How a pending dependent ends when the task `rootId` it waits on ended in `rootStatus`. */
export function dependentEnding(
  rootId: string,
  rootStatus: TaskStatus,
): { to: 'failed' | 'cancelled'; reason: string; error: TaskErrorInfo } {
  const reason = `dependency ${rootId} ended ${rootStatus}`;
  return {
    to: rootStatus === 'cancelled' ? 'cancelled' : 'failed',
    reason,
    error: {
      code: 'DEPENDENCY_FAILED',
      message: `Task ${rootId}, which this task depends on, ended ${rootStatus}; this task cannot run. Retry that task and submit this one again.`,
      retryable: false,
    },
  };
}
