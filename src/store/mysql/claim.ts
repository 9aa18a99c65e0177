/**
 * Claiming on MySQL/MariaDB, inside the caller's transaction (READ COMMITTED).
 *
 * Modes: queues with a concurrency limit that this claim serves are locked first (their rows, in
 * name order, FOR UPDATE), so their running tasks are counted by one claimer at a time; a claim
 * that serves only unlimited queues locks nothing and never waits on another. Then one select
 * walks the ready index in claim order, skipping rows other claimers hold (SKIP LOCKED), the
 * admission rules of src/core/admission.ts choose among the candidates, and one update leases
 * them all. When a limited queue fills up part-way and slots remain, one more select runs
 * without that queue; it is bounded to two passes so a claim never loops.
 */
import { randomUUID } from 'node:crypto';
import {
  type AdmissionCandidate,
  admit,
  closedQueues,
  type QueueAdmission,
} from '../../core/admission.ts';
import { uuidv7 } from '../../core/ids.ts';
import type { TaskStatus } from '../../core/status.ts';
import type { TaskErrorInfo } from '../../core/task.ts';
import type { ClaimedTask, ClaimParams } from '../contract.ts';
import { claimedTask } from '../rows.ts';
import type { MySession } from './connection.ts';
import { read } from './rows.ts';

interface QueueLimitRow {
  name: string;
  paused: number;
  concurrency: number | null;
  running: number;
}

/** A ready task as claim-select reads it: what a claimed task carries, before the claim. */
interface CandidateRow {
  id: string;
  name: string | null;
  type: string;
  queue: string;
  priority: number;
  status: TaskStatus;
  input: string;
  output: string | null;
  error: string | null;
  attempt: number;
  max_attempts: number;
  idempotency_key: string | null;
  run_at: number;
  created_at: number;
  crash_count: number;
  soft_timeout_ms: number | null;
  hard_timeout_ms: number | null;
  run_id: string | null;
  step: string | null;
  map_index: number | null;
}

type Candidate = AdmissionCandidate & { row: CandidateRow };

async function queueStates(
  s: MySession,
  queuesJson: string | null,
): Promise<Map<string, QueueAdmission>> {
  // Locks first (the limited queues this claim serves), counts after: each count is a statement
  // of its own, so under READ COMMITTED it sees what the previous lock holder committed.
  await s.all('queue-lock-limited', [queuesJson, queuesJson]);
  const queues = new Map<string, QueueAdmission>();
  for (const q of await s.all<QueueLimitRow>('queue-limits')) {
    queues.set(q.name, { paused: q.paused !== 0, concurrency: q.concurrency, running: q.running });
  }
  return queues;
}

async function pickCandidates(s: MySession, p: ClaimParams): Promise<Candidate[]> {
  const filter = p.queues === null ? null : JSON.stringify(p.queues);
  const queues = await queueStates(s, filter);
  const skip = closedQueues(queues);
  const room = new Map<string, number>();
  for (const [name, q] of queues) {
    if (q.concurrency !== null && !skip.includes(name)) room.set(name, q.concurrency - q.running);
  }
  const types = JSON.stringify(p.types);
  const free = p.free ?? p.limit;
  const chosen: Candidate[] = [];
  const chosenIds = new Set<string>();
  for (let pass = 0; pass < 2 && chosen.length < p.limit; pass++) {
    // Rows this transaction locked in the first pass come back (SKIP LOCKED skips only other
    // transactions' locks): ask for enough rows to get past them.
    const rows = (
      await s.all<CandidateRow>('claim-select', [
        p.now,
        types,
        filter,
        filter,
        JSON.stringify(skip),
        p.limit,
      ])
    )
      .filter((r) => !chosenIds.has(r.id))
      .map((row) => ({
        id: row.id,
        queue: row.queue,
        status: row.status,
        crashCount: row.crash_count,
        row,
      }));
    const round = admit(rows, room, { limit: p.limit, free, taken: chosen.length });
    for (const c of round.chosen as Candidate[]) {
      chosen.push(c);
      chosenIds.add(c.id);
    }
    for (const [name, left] of room) if (left <= 0 && !skip.includes(name)) skip.push(name);
    if (!round.filledQueue || rows.length < p.limit) break;
  }
  return chosen;
}

/** Runs inside a transaction. */
export async function claimTasks(s: MySession, p: ClaimParams): Promise<ClaimedTask[]> {
  const chosen = await pickCandidates(s, p);
  if (chosen.length === 0) return [];
  const expires = p.now + p.leaseMs;
  const leases = chosen.map((c) => ({ c, leaseToken: randomUUID(), executionId: uuidv7(p.now) }));
  const { affectedRows } = await s.run('claim-update', [
    JSON.stringify(leases.map((l) => [l.c.id, l.c.status, l.leaseToken, l.executionId])),
    expires,
    p.workerId,
    p.now,
    p.now,
  ]);
  let taken = leases;
  if (affectedRows !== leases.length) {
    // The rows are locked by this transaction, so this does not happen; if it does, only the
    // leases actually written are handed out.
    const pairs = JSON.stringify(leases.map((l) => [l.c.id, l.leaseToken]));
    const held = new Set((await s.all<{ id: string }>('lease-held', [pairs])).map((r) => r.id));
    taken = leases.filter((l) => held.has(l.c.id));
  }
  return taken.map(({ c, leaseToken, executionId }) => ({
    task: claimedTask(
      {
        ...c.row,
        input: read.json(c.row.input),
        output: read.json(c.row.output),
        error: read.json<TaskErrorInfo>(c.row.error),
      },
      p.now,
      expires,
      p.workerId,
    ),
    leaseToken,
    executionId,
    previousStatus: c.status,
  }));
}
