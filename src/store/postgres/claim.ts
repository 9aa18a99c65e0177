/**
 * Claiming, inside one transaction: `queue-lock-limited` takes the advisory lock of every limited
 * queue the claim serves (claims that serve only unlimited queues take none and run fully in
 * parallel, kept apart by SKIP LOCKED), then `claim-tasks` picks, leases, opens executions and
 * records history in one statement.
 *
 * Modes: almost always one claim statement. When a limited queue had fewer free slots than it
 * had candidates (`passed_over`) and slots remain, one more statement runs; that queue is full by
 * then, so it is skipped. Bounded to two passes so a claim never loops.
 */
import { uuidv7 } from '../../core/ids.ts';
import type { TaskStatus } from '../../core/status.ts';
import type { ClaimedTask } from '../contract.ts';
import type { PgSession } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

export interface ClaimParams {
  now: number;
  workerId: string;
  limit: number;
  types: string[];
  queues: string[] | null;
  leaseMs: number;
}

interface ClaimRow extends TaskRow {
  previous_status: TaskStatus;
  passed_over: number;
}

export function wantsClaim(p: Pick<ClaimParams, 'limit' | 'types' | 'queues'>): boolean {
  return p.limit > 0 && p.types.length > 0 && (p.queues === null || p.queues.length > 0);
}

/** Runs inside a transaction. */
export async function lockLimitedQueues(s: PgSession, queues: string[] | null): Promise<string[]> {
  return (await s.all<{ name: string }>('queue-lock-limited', [queues])).map((r) => r.name);
}

/** Runs inside a transaction, after `lockLimitedQueues`. */
export async function claimTasks(
  s: PgSession,
  p: ClaimParams,
  locked: string[],
): Promise<ClaimedTask[]> {
  const claimed: ClaimedTask[] = [];
  for (let pass = 0; pass < 2 && claimed.length < p.limit; pass++) {
    const limit = p.limit - claimed.length;
    const executionIds = Array.from({ length: limit }, () => uuidv7(p.now));
    const rows = await s.all<ClaimRow>('claim-tasks', [
      p.now,
      p.workerId,
      limit,
      p.types,
      p.queues,
      p.now + p.leaseMs,
      executionIds,
      locked,
    ]);
    for (const r of rows) {
      if (r.lease_token === null || r.execution_id === null) continue;
      claimed.push({
        task: toTask(r),
        leaseToken: r.lease_token,
        executionId: r.execution_id,
        previousStatus: r.previous_status,
      });
    }
    if ((rows[0]?.passed_over ?? 0) === 0) break;
  }
  return claimed;
}
