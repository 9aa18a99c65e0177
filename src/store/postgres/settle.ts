/**
 * Writes fenced by a lease token besides settling (settle-claim.ts): renewing leases, progress,
 * logs and artifacts. Each batch is one set-based statement over arrays, not a statement per
 * item.
 */
import type { Artifact, LogLevel } from '../../core/task.ts';
import type { LeaseRef } from '../contract.ts';
import { artifactInsertParams } from '../rows.ts';
import type { PgSession } from './connection.ts';
import { type ArtifactRow, toArtifact } from './rows.ts';

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
  const row = await s.get<ArtifactRow>('artifact-insert', [...artifactInsertParams(now, token, a)]);
  return row === undefined
    ? { ok: false, reason: 'lease_lost' }
    : { ok: true, artifact: toArtifact(row) };
}
