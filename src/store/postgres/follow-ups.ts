/** Settle follow-ups on PostgreSQL (src/store/follow-ups.ts), inside the caller's transaction. */
import type { TaskStatus } from '../../core/status.ts';
import { type ChangedTask, endingsFor, planFollowUps, RELEASE_REASON } from '../follow-ups.ts';
import type { PgSession } from './connection.ts';

export type SettledItem = ChangedTask & { to: TaskStatus };

/** Runs inside the transaction that changed the tasks (their rows are locked by it). Returns
 * whether a task may have become claimable: one released, or dependents ended (a skipped one
 * releases its own). */
export async function runFollowUps(
  s: PgSession,
  now: number,
  changed: readonly ChangedTask[],
): Promise<boolean> {
  const plan = planFollowUps(changed);
  let released = false;
  if (plan.release.length > 0) {
    const rows = await s.all('dependents-release', [now, plan.release, RELEASE_REASON]);
    released = rows.length > 0;
  }
  // One level of dependents at a time: each level's rows are locked before they end, so a task
  // that attaches itself to one of them meanwhile waits, then finds it ended.
  let roots = plan.end;
  while (roots.size > 0) {
    const found = await s.all<{ id: string; depends_on: string }>('dependents-pending', [
      [...roots.keys()],
    ]);
    const { endings, next } = endingsFor(found, roots);
    if (endings.length === 0) break;
    released = true;
    await s.all('dependents-end', [
      now,
      endings.map((e) => e.id),
      endings.map((e) => e.to),
      endings.map((e) => e.reason),
      JSON.stringify(endings.map((e) => e.error)),
    ]);
    roots = next;
  }
  return released;
}
