/** Workers and remote units on MySQL: heartbeats, registration under a chosen id, their secrets,
 * and the capacity a claim keeps to. */
import { StoreError } from '../../core/errors.ts';
import type {
  ClaimedTask,
  ClaimParams,
  StoreParams,
  StoreResult,
  WorkerRegistration,
  WorkerSecrets,
} from '../contract.ts';
import { claimTasks } from './claim.ts';
import type { MyConnection, MySession } from './connection.ts';
import { jsonText } from './rows.ts';

/** How long a claim waits for another claim of the same worker (seconds). */
const LOCK_WAIT_S = 30;

function lockTimeout(workerId: string): StoreError {
  return new StoreError(
    'STORE_QUERY_FAILED',
    `A claim for worker "${workerId}" waited ${LOCK_WAIT_S} s for another claim of that worker to end. Try again.`,
    { details: { statement: 'worker-lock', workerId } },
  );
}

export async function upsertWorker(
  s: MySession,
  now: number,
  w: WorkerRegistration,
): Promise<void> {
  await s.run('worker-upsert', [
    w.id,
    w.name,
    w.host,
    w.pid,
    w.concurrency,
    JSON.stringify(w.types),
    jsonText(w.queues),
    w.version,
    w.state,
    now,
    now,
    w.load,
    w.rssBytes,
    w.unitType ?? null,
    w.endpoint ?? null,
    jsonText(w.metadata),
  ]);
}

/** Written over an offline row of the id, or inserted under a free one; `taken` otherwise (see
 * worker-takeover.sql and worker-register.sql: neither can take a live unit's id). */
export async function registerWorker(
  s: MySession,
  p: StoreParams<'workerRegister'>,
): StoreResult<'workerRegister'> {
  const w = p.worker;
  const columns = [
    w.name,
    w.host,
    w.pid,
    w.concurrency,
    JSON.stringify(w.types),
    jsonText(w.queues),
    w.version,
    w.state,
    p.now,
  ];
  const unit = [w.load, w.rssBytes, w.unitType ?? null, w.endpoint ?? null, jsonText(w.metadata)];
  const secrets = [p.secrets.secretHash, p.secrets.pushSecret];
  const over = await s.run('worker-takeover', [
    ...columns,
    ...unit,
    ...secrets,
    p.now,
    w.id,
    p.now - p.offlineAfterMs,
  ]);
  if (over.affectedRows === 1) return { ok: true };
  const fresh = await s.run('worker-register', [w.id, ...columns, p.now, ...unit, ...secrets]);
  return fresh.affectedRows === 1 ? { ok: true } : { ok: false, reason: 'taken' };
}

export async function workerSecrets(s: MySession, id: string): Promise<WorkerSecrets | null> {
  const row = await s.get<{ secret_hash: string | null; push_secret: string | null }>(
    'worker-secrets',
    [id],
  );
  return row === undefined ? null : { secretHash: row.secret_hash, pushSecret: row.push_secret };
}

/**
 * A claim with a capacity, in one transaction: the worker's row is locked, its running tasks
 * counted (a statement of its own, so it sees what the previous lock holder claimed), and at
 * most the rest claimed.
 */
export function claimWithinCapacity(
  conn: MyConnection,
  p: ClaimParams & { capacity: number },
): Promise<ClaimedTask[]> {
  // The worker's row may not exist: the lock is on its id (GET_LOCK), held from before BEGIN
  // until after COMMIT, so the next claimer's count sees this claim.
  const lock = {
    take: async (s: MySession) => {
      const row = await s.get<{ got: number | null }>('worker-lock', [p.workerId, LOCK_WAIT_S]);
      if (row?.got !== 1) throw lockTimeout(p.workerId);
    },
    release: async (s: MySession) => {
      await s.get('worker-unlock', [p.workerId]);
    },
  };
  return conn.transaction(async (s) => {
    const counted = await s.get<{ running: number }>('worker-running-count', [p.workerId]);
    const limit = Math.max(0, Math.min(p.limit, p.capacity - (counted?.running ?? 0)));
    if (limit === 0) return [];
    return claimTasks(s, { ...p, limit, free: Math.min(limit, p.free ?? limit) });
  }, lock);
}
