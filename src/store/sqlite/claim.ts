/**
 * Claiming, inside one `BEGIN IMMEDIATE` transaction: the write lock serialises claims across
 * processes, so queue limits read here cannot be overtaken before the update lands.
 *
 * Modes: the common case is one select of `limit` candidates, the admission rules of
 * src/core/admission.ts over them, and an update per task taken. When a limited queue fills up
 * part-way through the candidates and slots remain, one more select runs without that queue; it
 * is bounded to two passes so a claim never loops.
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
import type { SqliteConnection } from './connection.ts';

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

/** The rules of src/core/admission.ts over the candidates claim-select reads. */
function pickCandidates(conn: SqliteConnection, p: ClaimParams): Candidate[] {
  const queues = new Map<string, QueueAdmission>();
  for (const q of conn.all<QueueLimitRow>('queue-limits')) {
    queues.set(q.name, { paused: q.paused !== 0, concurrency: q.concurrency, running: q.running });
  }
  const skip = closedQueues(queues);
  const room = new Map<string, number>();
  for (const [name, q] of queues) {
    if (q.concurrency !== null && !skip.includes(name)) room.set(name, q.concurrency - q.running);
  }
  const types = JSON.stringify(p.types);
  const filter = p.queues === null ? null : JSON.stringify(p.queues);
  const free = p.free ?? p.limit;
  const chosen: Candidate[] = [];
  const chosenIds = new Set<string>();
  for (let pass = 0; pass < 2 && chosen.length < p.limit; pass++) {
    // Earlier picks come back first, so ask for enough rows to get past them.
    const rows = conn
      .all<CandidateRow>('claim-select', p.now, types, filter, JSON.stringify(skip), p.limit)
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

/** Runs inside a write transaction. */
export function claimTasks(conn: SqliteConnection, p: ClaimParams): ClaimedTask[] {
  const chosen = pickCandidates(conn, p);
  const claimed: ClaimedTask[] = [];
  const expires = p.now + p.leaseMs;
  for (const c of chosen) {
    const leaseToken = randomUUID();
    const executionId = uuidv7(p.now);
    const { changes } = conn.run(
      'claim-update',
      p.now,
      expires,
      p.workerId,
      leaseToken,
      executionId,
      c.id,
    );
    if (changes !== 1) continue;
    claimed.push({
      task: claimedTask(
        {
          ...c.row,
          input: JSON.parse(c.row.input),
          output: c.row.output === null ? null : JSON.parse(c.row.output),
          error: c.row.error === null ? null : (JSON.parse(c.row.error) as TaskErrorInfo),
        },
        p.now,
        expires,
        p.workerId,
      ),
      leaseToken,
      executionId,
      previousStatus: c.status,
    });
  }
  return claimed;
}
