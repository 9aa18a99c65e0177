/**
 * Claiming, inside one `BEGIN IMMEDIATE` transaction: the write lock serialises claims across
 * processes, so queue limits read here cannot be overtaken before the update lands.
 *
 * Modes: the common case is one select of `limit` candidates and one bulk update. When a limited
 * queue fills up part-way through the candidates and slots remain, one more select runs without
 * that queue; it is bounded to two passes so a claim never loops.
 */
import { randomUUID } from 'node:crypto';
import { uuidv7 } from '../../core/ids.ts';
import type { TaskStatus } from '../../core/status.ts';
import type { ClaimedTask, ClaimParams } from '../contract.ts';
import type { SqliteConnection } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

interface QueueLimitRow {
  name: string;
  paused: number;
  concurrency: number | null;
  running: number;
}

interface Candidate {
  id: string;
  queue: string;
  status: TaskStatus;
}

/** Queues to skip outright, and the slots left in each limited queue that is not full. */
function readLimits(conn: SqliteConnection): { skip: string[]; room: Map<string, number> } {
  const skip: string[] = [];
  const room = new Map<string, number>();
  for (const q of conn.all<QueueLimitRow>('queue-limits')) {
    if (q.paused !== 0 || (q.concurrency !== null && q.running >= q.concurrency)) skip.push(q.name);
    else if (q.concurrency !== null) room.set(q.name, q.concurrency - q.running);
  }
  return { skip, room };
}

function pickCandidates(conn: SqliteConnection, p: ClaimParams): Candidate[] {
  const { skip, room } = readLimits(conn);
  const types = JSON.stringify(p.types);
  const queues = p.queues === null ? null : JSON.stringify(p.queues);
  const chosen: Candidate[] = [];
  const chosenIds = new Set<string>();
  for (let pass = 0; pass < 2 && chosen.length < p.limit; pass++) {
    // Earlier picks from other queues come back first, so ask for enough rows to get past them.
    const rows = conn.all<Candidate>(
      'claim-select',
      p.now,
      types,
      queues,
      JSON.stringify(skip),
      p.limit,
    );
    let filledQueue = false;
    for (const c of rows) {
      if (chosen.length >= p.limit) break;
      if (chosenIds.has(c.id)) continue;
      const left = room.get(c.queue);
      if (left !== undefined) {
        if (left <= 0) {
          filledQueue = true;
          continue;
        }
        room.set(c.queue, left - 1);
        if (left - 1 === 0) skip.push(c.queue);
      }
      chosen.push(c);
      chosenIds.add(c.id);
    }
    if (!filledQueue || rows.length < p.limit) break;
  }
  return chosen;
}

/** Runs inside a write transaction. */
export function claimTasks(conn: SqliteConnection, p: ClaimParams): ClaimedTask[] {
  const chosen = pickCandidates(conn, p);
  if (chosen.length === 0) return [];
  const claims = JSON.stringify(chosen.map((c) => [c.id, randomUUID(), uuidv7(p.now), c.status]));
  const rows = conn.all<TaskRow>('claim-update', p.now, p.now + p.leaseMs, p.workerId, claims);
  const byId = new Map<string, TaskRow>();
  for (const r of rows) byId.set(r.id, r);
  const claimed: ClaimedTask[] = [];
  for (const c of chosen) {
    const r = byId.get(c.id);
    if (r === undefined || r.lease_token === null || r.execution_id === null) continue;
    claimed.push({
      task: toTask(r),
      leaseToken: r.lease_token,
      executionId: r.execution_id,
      previousStatus: c.status,
    });
  }
  return claimed;
}
