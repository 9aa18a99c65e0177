/** Settle follow-ups on SQLite (src/store/follow-ups.ts), inside the caller's write transaction. */
import { type ChangedTask, endingsFor, planFollowUps, RELEASE_REASON } from '../follow-ups.ts';
import type { SqliteConnection } from './connection.ts';

/** Runs inside the write transaction that changed the tasks. */
export function runFollowUps(
  conn: SqliteConnection,
  now: number,
  changed: readonly ChangedTask[],
): void {
  const plan = planFollowUps(changed);
  if (plan.release.length > 0) {
    const counted = conn.all<{ id: string; status: string; seq: number }>(
      'dependents-release',
      now,
      JSON.stringify(plan.release),
    );
    const released = counted.filter((r) => r.status === 'queued');
    if (released.length > 0) {
      const entries = released.map((r) => [r.id, r.seq, 'pending', 'queued', RELEASE_REASON, null]);
      conn.run('history-insert-many', now, JSON.stringify(entries));
    }
  }
  let roots = plan.end;
  while (roots.size > 0) {
    const found = conn.all<{ id: string; depends_on: string }>(
      'dependents-pending',
      JSON.stringify([...roots.keys()]),
    );
    const { endings, next } = endingsFor(found, roots);
    if (endings.length === 0) break;
    const ended = conn.all<{ id: string; seq: number; status: string }>(
      'dependents-end',
      now,
      JSON.stringify(endings.map((e) => [e.id, e.to, e.reason, e.error])),
    );
    const reasons = new Map(endings.map((e) => [e.id, e.reason]));
    const entries = ended.map((r) => [r.id, r.seq, 'pending', r.status, reasons.get(r.id), null]);
    if (entries.length > 0) conn.run('history-insert-many', now, JSON.stringify(entries));
    roots = next;
  }
}
