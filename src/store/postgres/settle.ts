/**
 * Writes fenced by a lease token: settling attempts, renewing leases, progress, logs and
 * artifacts. Each batch is one set-based statement over arrays, not a statement per item:
 * completions arrive in batches of hundreds and this is the hot path.
 */
import { isTerminal } from '../../core/status.ts';
import type { Artifact, LogLevel } from '../../core/task.ts';
import type { LeaseRef, Settlement, SettleResult } from '../contract.ts';
import type { PgSession } from './connection.ts';
import { type ArtifactRow, toArtifact } from './rows.ts';

const LOST: SettleResult = { ok: false, reason: 'lease_lost' };

/** The JSON object settle-update.sql reads; `output` and `error` are present only to be written. */
function encodeSettlement(s: Settlement): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: s.id,
    token: s.token,
    to: s.to,
    outcome: s.outcome,
    reason: s.reason,
    executionError: s.error ?? null,
    metrics: s.metrics ?? null,
    runAt: s.runAt ?? null,
    refundAttempt: s.refundAttempt === true,
    crashed: s.crashed === true,
    onlyIfExpired: s.onlyIfExpired === true,
    terminal: isTerminal(s.to),
  };
  if (s.output !== undefined) item['output'] = s.output;
  if (s.error !== undefined) item['error'] = s.error;
  return item;
}

/** Runs inside a transaction (or alone: it is one statement per round); transitions were
 * checked by the caller. */
export async function settleTasks(
  s: PgSession,
  now: number,
  workerId: string,
  items: Settlement[],
): Promise<SettleResult[]> {
  const results: SettleResult[] = new Array(items.length).fill(LOST);
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
    const rows = await s.all<{ ord: number }>('settle-update', [now, workerId, payload]);
    for (const r of rows) {
      const i = round[r.ord - 1] as number;
      results[i] = { ok: true, from: 'running', to: (items[i] as Settlement).to };
    }
    pending = later;
  }
  return results;
}

/** The ids of `wanted` that are not in `kept`, each once, in order. */
function missing(wanted: readonly string[], kept: ReadonlySet<string>): string[] {
  return [...new Set(wanted.filter((id) => !kept.has(id)))];
}

export async function renewLeases(
  s: PgSession,
  expiresAt: number,
  leases: LeaseRef[],
): Promise<{ lost: string[]; cancelRequested: string[] }> {
  const rows = await s.all<{ id: string; cancel_requested: boolean }>('lease-renew', [
    expiresAt,
    leases.map((l) => l.id),
    leases.map((l) => l.token),
  ]);
  const kept = new Set(rows.map((r) => r.id));
  return {
    lost: missing(
      leases.map((l) => l.id),
      kept,
    ),
    cancelRequested: rows.filter((r) => r.cancel_requested).map((r) => r.id),
  };
}

export async function recordProgress(
  s: PgSession,
  now: number,
  items: { id: string; token: string; percent: number; message: string | null }[],
): Promise<{ lost: string[] }> {
  // Several reports for one task in a batch: only the newest matters.
  const newest = new Map<string, (typeof items)[number]>();
  for (const it of items) newest.set(it.id, it);
  const latest = [...newest.values()];
  const rows = await s.all<{ id: string }>('task-progress', [
    now,
    latest.map((it) => it.id),
    latest.map((it) => it.token),
    latest.map((it) => it.percent),
    latest.map((it) => it.message),
  ]);
  const kept = new Set(rows.map((r) => r.id));
  return {
    lost: missing(
      items.map((it) => it.id),
      kept,
    ),
  };
}

export async function appendLogs(
  s: PgSession,
  now: number,
  items: { taskId: string; token: string; attempt: number; level: LogLevel; message: string }[],
): Promise<{ lost: string[] }> {
  const rows = await s.all<{ task_id: string }>('log-append-many', [
    now,
    items.map((it) => it.taskId),
    items.map((it) => it.token),
    items.map((it) => it.attempt),
    items.map((it) => it.level),
    items.map((it) => it.message),
  ]);
  const kept = new Set(rows.map((r) => r.task_id));
  return {
    lost: missing(
      items.map((it) => it.taskId),
      kept,
    ),
  };
}

export async function insertArtifact(
  s: PgSession,
  now: number,
  token: string,
  a: Omit<Artifact, 'createdAt'>,
): Promise<{ ok: true; artifact: Artifact } | { ok: false; reason: 'lease_lost' }> {
  const row = await s.get<ArtifactRow>('artifact-insert', [
    a.id,
    a.taskId,
    a.attempt,
    a.name,
    a.path,
    a.size,
    a.sha256,
    now,
    token,
  ]);
  return row === undefined
    ? { ok: false, reason: 'lease_lost' }
    : { ok: true, artifact: toArtifact(row) };
}
