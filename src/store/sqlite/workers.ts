/** Remote units on SQLite: registration under a chosen id, their secrets, the capacity a claim
 * keeps to, and the heartbeat that renews every lease a unit holds. */
import type {
  ClaimParams,
  LeaseRef,
  StoreParams,
  StoreResult,
  WorkerSecrets,
} from '../contract.ts';
import type { SqliteConnection } from './connection.ts';

/** Runs inside a write transaction. */
export function registerWorker(
  conn: SqliteConnection,
  p: StoreParams<'workerRegister'>,
): Awaited<StoreResult<'workerRegister'>> {
  const w = p.worker;
  const row = conn.get<{ id: string }>(
    'worker-register',
    w.id,
    w.name,
    w.host,
    w.pid,
    w.concurrency,
    JSON.stringify(w.types),
    w.queues === null ? null : JSON.stringify(w.queues),
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
  );
  return row === undefined ? { ok: false, reason: 'taken' } : { ok: true };
}

export function workerSecrets(conn: SqliteConnection, id: string): WorkerSecrets | null {
  const row = conn.get<{ secret_hash: string | null; push_secret: string | null }>(
    'worker-secrets',
    id,
  );
  return row === undefined ? null : { secretHash: row.secret_hash, pushSecret: row.push_secret };
}

/** Runs inside the claim's write transaction: the claim with its limit cut to the worker's room
 * (`capacity` minus what it runs now), or unchanged without a capacity. */
export function withinCapacity(conn: SqliteConnection, p: ClaimParams): ClaimParams {
  if (p.capacity === undefined) return p;
  const running = conn.get<{ running: number }>('worker-running-count', p.workerId)?.running ?? 0;
  const limit = Math.max(0, Math.min(p.limit, p.capacity - running));
  return { ...p, limit, free: Math.min(limit, p.free ?? limit) };
}

/** Runs inside a write transaction: renews every lease the worker's current registration holds. */
export function renewWorkerLeases(
  conn: SqliteConnection,
  expiresAt: number,
  workerId: string,
): { lost: string[]; cancelRequested: string[]; held: LeaseRef[] } {
  const rows = conn.all<{ id: string; lease_token: string; cancel_requested: number }>(
    'lease-renew-worker',
    expiresAt,
    workerId,
  );
  return {
    lost: [],
    cancelRequested: rows.filter((r) => r.cancel_requested !== 0).map((r) => r.id),
    held: rows.map((r) => ({ id: r.id, token: r.lease_token })),
  };
}
