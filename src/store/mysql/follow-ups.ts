/** Settle follow-ups on MySQL (src/store/follow-ups.ts), inside the caller's transaction. */
import type { TaskStatus } from '../../core/status.ts';
import { type ChangedTask, endingsFor, planFollowUps, RELEASE_REASON } from '../follow-ups.ts';
import type { MySession } from './connection.ts';

export type SettledItem = ChangedTask & { to: TaskStatus };

/** Sorted: task-lock-many locks rows in the order of its list, and every transaction here locks
 * tasks in id order, so that two never wait on each other in a cycle. */
const ids = (list: readonly string[]) => JSON.stringify([...list].sort());

/** A pending dependent as task-lock-many reads it, under its lock. */
interface LockedDependent {
  id: string;
  status: TaskStatus;
  waiting_on: number;
  held: number;
  seq: number;
}

/** Runs inside the transaction that changed the tasks (their rows are locked by it). Returns
 * whether a task may have become claimable. The dependents are locked (in id order) before they
 * change, and their history entries are written here, since MySQL has no RETURNING. */
export async function runFollowUps(
  s: MySession,
  now: number,
  changed: readonly ChangedTask[],
): Promise<boolean> {
  const plan = planFollowUps(changed);
  let released = false;
  if (plan.release.length > 0) {
    const waiting = await s.all<{ id: string; n: number }>('dependents-waiting', [
      ids(plan.release),
    ]);
    if (waiting.length > 0) {
      const counts = new Map(waiting.map((r) => [r.id, r.n] as const));
      const rows = await s.all<LockedDependent>('task-lock-many', [ids([...counts.keys()])]);
      const updates: unknown[][] = [];
      const entries: unknown[][] = [];
      for (const r of rows) {
        // Checked again under the lock: it may have ended meanwhile.
        if (r.status !== 'pending') continue;
        const left = r.waiting_on - (counts.get(r.id) ?? 0);
        const queued = left <= 0 && Number(r.held) === 0;
        const seq = r.seq + (queued ? 1 : 0);
        updates.push([r.id, left, queued ? 'queued' : 'pending', seq]);
        if (queued) entries.push([r.id, seq, 'pending', 'queued', RELEASE_REASON, null]);
      }
      if (updates.length > 0) await s.run('dependents-release', [JSON.stringify(updates), now]);
      if (entries.length > 0) {
        released = true;
        await s.run('history-insert-many', [now, JSON.stringify(entries)]);
      }
    }
  }
  // One level of dependents at a time: each level's rows are locked before they end, so a task
  // that attaches itself to one of them meanwhile waits, then finds it ended.
  let roots = plan.end;
  while (roots.size > 0) {
    const found = await s.all<{ id: string; depends_on: string }>('dependents-pending', [
      ids([...roots.keys()]),
    ]);
    const { endings, next } = endingsFor(found, roots);
    if (endings.length === 0) break;
    released = true;
    const locked = await s.all<LockedDependent>('task-lock-many', [ids(endings.map((e) => e.id))]);
    // Checked again under the lock: only those still pending end here.
    const pending = new Map(
      locked.filter((r) => r.status === 'pending').map((r) => [r.id, r] as const),
    );
    const ending = endings.filter((e) => pending.has(e.id));
    if (ending.length > 0) {
      await s.run('dependents-end', [
        JSON.stringify(ending.map((e) => [e.id, e.to, JSON.stringify(e.error)])),
        now,
        now,
      ]);
      const entries = ending.map((e) => [
        e.id,
        (pending.get(e.id)?.seq ?? 0) + 1,
        'pending',
        e.to,
        e.reason,
        null,
      ]);
      await s.run('history-insert-many', [now, JSON.stringify(entries)]);
    }
    roots = next;
  }
  return released;
}
