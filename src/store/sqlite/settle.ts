/**
 * Writes fenced by a lease token: settling attempts, renewing leases, progress, logs and
 * artifacts. Each batch is a few set-based statements over a JSON array, not a statement per
 * item: completions arrive in batches of hundreds and this is the hot path.
 */
import { isTerminal } from '../../core/status.ts';
import type { Artifact, LogLevel } from '../../core/task.ts';
import type { LeaseRef, Settlement, SettleResult } from '../contract.ts';
import type { SqliteConnection } from './connection.ts';
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
  ];
}

/** Runs inside a write transaction; transitions were checked by the caller. */
export function settleTasks(
  conn: SqliteConnection,
  now: number,
  workerId: string,
  items: Settlement[],
): SettleResult[] {
  const results: SettleResult[] = new Array(items.length);
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
    settleRound(conn, now, workerId, items, round, results);
    pending = later;
  }
  return results;
}

function settleRound(
  conn: SqliteConnection,
  now: number,
  workerId: string,
  items: Settlement[],
  round: number[],
  results: SettleResult[],
): void {
  const payload = JSON.stringify(round.map((i) => encodeSettlement(items[i] as Settlement)));
  const rows = conn.all<{ id: string; execution_id: string | null }>('settle-update', now, payload);
  const executionOf = new Map<string, string | null>();
  for (const r of rows) executionOf.set(r.id, r.execution_id);
  const executions: unknown[] = [];
  const history: unknown[] = [];
  for (const i of round) {
    const s = items[i] as Settlement;
    const executionId = executionOf.get(s.id);
    if (executionId === undefined) {
      results[i] = LOST;
      continue;
    }
    results[i] = { ok: true, from: 'running', to: s.to };
    if (executionId !== null) {
      executions.push([executionId, s.outcome, s.error ?? null, s.metrics ?? null]);
    }
    history.push([s.id, 'running', s.to, s.reason, workerId]);
  }
  if (executions.length > 0) {
    conn.run('execution-finish-many', now, JSON.stringify(executions));
  }
  if (history.length > 0) conn.run('history-insert-many', now, JSON.stringify(history));
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
