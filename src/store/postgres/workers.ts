/** Remote units on PostgreSQL: registration under a chosen id, their secrets, the capacity a
 * claim keeps to, and the heartbeat that renews every lease a unit holds. */
import type {
  ClaimedTask,
  ClaimParams,
  LeaseRef,
  StoreParams,
  StoreResult,
  WorkerSecrets,
} from '../contract.ts';
import type { PgConnection, PgSession } from './connection.ts';
import { claimTasks } from './settle-claim.ts';

export async function registerWorker(
  s: PgSession,
  p: StoreParams<'workerRegister'>,
): StoreResult<'workerRegister'> {
  const w = p.worker;
  const row = await s.get<{ id: string }>('worker-register', [
    w.id,
    w.name,
    w.host,
    w.pid,
    w.concurrency,
    w.types,
    w.queues,
    w.version,
    w.state,
    p.now,
    w.load,
    w.rssBytes,
    w.unitType ?? null,
    w.endpoint ?? null,
    w.metadata ? JSON.stringify(w.metadata) : null,
    p.secrets.secretHash,
    p.secrets.pushSecret,
    p.now - p.offlineAfterMs,
  ]);
  return row === undefined ? { ok: false, reason: 'taken' } : { ok: true };
}

export async function workerSecrets(s: PgSession, id: string): Promise<WorkerSecrets | null> {
  const row = await s.get<{ secret_hash: string | null; push_secret: string | null }>(
    'worker-secrets',
    [id],
  );
  return row === undefined ? null : { secretHash: row.secret_hash, pushSecret: row.push_secret };
}

/**
 * A claim with a capacity, in one transaction: the worker id is locked, its running tasks
 * counted (a statement of its own, so it sees what the previous lock holder claimed), and at
 * most the rest claimed, limited queues included (under their locks, as settle-claim does).
 */
export function claimWithinCapacity(conn: PgConnection, p: ClaimParams): Promise<ClaimedTask[]> {
  const capacity = p.capacity ?? p.limit;
  return conn.transaction(
    async (s) => {
      await s.all('worker-lock', [p.workerId]);
      const counted = await s.get<{ running: number }>('worker-running-count', [p.workerId]);
      const limit = Math.max(0, Math.min(p.limit, capacity - (counted?.running ?? 0)));
      if (limit === 0) return [];
      const locked = await s.all<{ name: string }>('queue-lock-limited', [p.queues]);
      const claim = { ...p, limit, free: Math.min(limit, p.free ?? limit) };
      return claimTasks(
        s,
        claim,
        locked.map((r) => r.name),
      );
    },
    { indexOrder: true },
  );
}

/** `leaseRenew` without `leases`: every lease the worker's current registration holds. */
export async function renewAll(
  s: PgSession,
  p: StoreParams<'leaseRenew'>,
): Promise<{ lost: string[]; cancelRequested: string[]; held: LeaseRef[] }> {
  const rows = await s.all<{ id: string; lease_token: string; cancel_requested: boolean }>(
    'lease-renew-worker',
    [p.now + p.leaseMs, p.workerId],
  );
  return {
    lost: [],
    cancelRequested: rows.filter((r) => r.cancel_requested).map((r) => r.id),
    held: rows.map((r) => ({ id: r.id, token: r.lease_token })),
  };
}
