/**
 * Writes fenced by a lease token: settling attempts, renewing leases, progress, logs and
 * artifacts. Each batch is a few set-based statements over a JSON array, not a statement per
 * item: completions arrive in batches of hundreds and this is the hot path. Settling writes the
 * task rows, and an execution row only for an attempt that does not end its task.
 */
import { isTerminal } from '../../core/status.ts';
import type { Artifact, LogLevel } from '../../core/task.ts';
import type { LeaseRef, Settlement, SettleResult } from '../contract.ts';
import type { ChangedTask } from '../follow-ups.ts';
import type { SqliteConnection } from './connection.ts';
import { runFollowUps } from './follow-ups.ts';
import { type ArtifactRow, toArtifact } from './rows.ts';

const LOST: SettleResult = { ok: false, reason: 'lease_lost' };

/** `[value]` writes the value, `null` keeps what is stored (see settle-update.sql). */
function wrap(value: unknown): [unknown] | null {
  return value === undefined ? null : [value];
}

function encodeSettlement(s: Settlement): unknown[] {
  return [
    s.id,
    s.token,
    s.to,
    wrap(s.output),
    wrap(s.error),
    s.runAt ?? null,
    s.refundAttempt === true ? 1 : 0,
    s.crashed === true ? 1 : 0,
    s.onlyIfExpired === true ? 1 : 0,
    isTerminal(s.to) ? 1 : 0,
    s.outcome,
    s.reason,
    s.metrics ?? null,
    s.error ?? null,
  ];
}

/** Runs inside a write transaction; transitions were checked by the caller. Settles each item
 * and runs the follow-ups of those that have dependents. */
export function settleTasks(
  conn: SqliteConnection,
  now: number,
  workerId: string,
  items: Settlement[],
): SettleResult[] {
  const results: SettleResult[] = new Array(items.length).fill(LOST);
  const changed: ChangedTask[] = [];
  // A task named twice in one batch is settled in order: one statement can match a row only
  // once, so later mentions go in later rounds (almost always there is one round).
  let pending = items.map((_, i) => i);
  while (pending.length > 0) {
    const seen = new Set<string>();
    const round: number[] = [];
    const later: number[] = [];
    for (const i of pending) {
      const id = (items[i] as Settlement).id;
      (seen.has(id) ? later : round).push(i);
      seen.add(id);
    }
    const payload = JSON.stringify(round.map((i) => encodeSettlement(items[i] as Settlement)));
    conn.run('execution-insert-ended', now, payload, workerId);
    const rows = conn.all<{ id: string; dependents: number }>(
      'settle-update',
      now,
      payload,
      workerId,
    );
    const dependents = new Map(rows.map((r) => [r.id, r.dependents]));
    for (const i of round) {
      const s = items[i] as Settlement;
      const n = dependents.get(s.id);
      if (n === undefined) continue;
      results[i] = { ok: true, from: 'running', to: s.to };
      if (n > 0) changed.push({ id: s.id, to: s.to, hasDependents: true });
    }
    pending = later;
  }
  runFollowUps(conn, now, changed);
  return results;
}

/** The ids of `wanted` that are not in `kept`, each once, in order. */
function missing(wanted: readonly string[], kept: ReadonlySet<string>): string[] {
  return [...new Set(wanted.filter((id) => !kept.has(id)))];
}

export function renewLeases(
  conn: SqliteConnection,
  expiresAt: number,
  leases: LeaseRef[],
): { lost: string[]; cancelRequested: string[] } {
  const payload = JSON.stringify(leases.map((l) => [l.id, l.token]));
  const rows = conn.all<{ id: string; cancel_requested: number }>(
    'lease-renew',
    expiresAt,
    payload,
  );
  const kept = new Set(rows.map((r) => r.id));
  return {
    lost: missing(
      leases.map((l) => l.id),
      kept,
    ),
    cancelRequested: rows.filter((r) => r.cancel_requested !== 0).map((r) => r.id),
  };
}

export function recordProgress(
  conn: SqliteConnection,
  now: number,
  items: { id: string; token: string; percent: number; message: string | null }[],
): { lost: string[] } {
  // Several reports for one task in a batch: only the newest matters.
  const newest = new Map<string, (typeof items)[number]>();
  for (const it of items) newest.set(it.id, it);
  const payload = JSON.stringify(
    [...newest.values()].map((it) => [it.id, it.token, it.percent, it.message]),
  );
  const kept = new Set(conn.all<{ id: string }>('task-progress', now, payload).map((r) => r.id));
  return {
    lost: missing(
      items.map((it) => it.id),
      kept,
    ),
  };
}

export function appendLogs(
  conn: SqliteConnection,
  now: number,
  items: { taskId: string; token: string; attempt: number; level: LogLevel; message: string }[],
): { lost: string[] } {
  const payload = JSON.stringify(
    items.map((it) => [it.taskId, it.token, it.attempt, it.level, it.message]),
  );
  const kept = new Set(
    conn.all<{ task_id: string }>('log-append-many', now, payload).map((r) => r.task_id),
  );
  return {
    lost: missing(
      items.map((it) => it.taskId),
      kept,
    ),
  };
}

export function insertArtifact(
  conn: SqliteConnection,
  now: number,
  token: string,
  a: Omit<Artifact, 'createdAt'>,
): { ok: true; artifact: Artifact } | { ok: false; reason: 'lease_lost' } {
  const row = conn.get<ArtifactRow>(
    'artifact-insert',
    a.id,
    a.taskId,
    a.attempt,
    a.name,
    a.path,
    a.size,
    a.sha256,
    now,
    token,
  );
  return row === undefined
    ? { ok: false, reason: 'lease_lost' }
    : { ok: true, artifact: toArtifact(row) };
}
