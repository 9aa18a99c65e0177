/**
 * Writes fenced by a lease token: settling attempts, renewing leases, progress, logs and
 * artifacts. Each batch is a few set-based statements over a JSON array, not a statement per
 * item: completions arrive in batches of hundreds and this is the hot path. Settling writes the
 * task rows, and an execution row only for an attempt that does not end its task.
 */
import { isTerminal, type TaskStatus } from '../../core/status.ts';
import type { Artifact, LogLevel } from '../../core/task.ts';
import type { LeaseRef, Settlement, SettleResult } from '../contract.ts';
import type { ChangedTask } from '../follow-ups.ts';
import type { RunChange } from '../pipeline-rows.ts';
import { artifactInsertParams } from '../rows.ts';
import type { SqliteConnection } from './connection.ts';
import { runFollowUps } from './follow-ups.ts';
import { runPipelineFollowUps } from './pipeline-follow-ups.ts';
import { type ArtifactRow, toArtifact } from './rows.ts';

const LOST: SettleResult = { ok: false, reason: 'lease_lost' };

/** JSON text for a column, SQL NULL for JSON null. */
function jsonText(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Runs inside a write transaction; transitions were checked by the caller. Settles each item
 * in order (a task named twice: the second mention finds the lease gone) and runs the follow-ups
 * of those that have dependents. */
export function settleTasks(
  conn: SqliteConnection,
  now: number,
  workerId: string,
  items: Settlement[],
): SettleResult[] {
  const results: SettleResult[] = new Array(items.length);
  const changed: ChangedTask[] = [];
  const settled: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const s = items[i] as Settlement;
    const unstarted = s.unstarted === true;
    const terminal = isTerminal(s.to) && !unstarted;
    const error = s.error === undefined ? null : jsonText(s.error);
    const metrics = jsonText(s.metrics);
    const onlyIfExpired = s.onlyIfExpired === true ? 1 : 0;
    if (!terminal && !unstarted) {
      conn.run(
        'execution-insert-ended',
        now,
        s.id,
        s.token,
        s.to,
        s.outcome,
        s.reason,
        error,
        metrics,
        onlyIfExpired,
        workerId,
      );
    }
    const { changes } = conn.run(
      'settle-update',
      now,
      s.id,
      s.token,
      s.to,
      s.output === undefined ? 0 : 1,
      s.output === undefined ? null : jsonText(s.output),
      s.error === undefined ? 0 : 1,
      error,
      s.runAt ?? null,
      s.refundAttempt === true ? 1 : 0,
      s.crashed === true ? 1 : 0,
      onlyIfExpired,
      terminal ? 1 : 0,
      s.outcome,
      s.reason,
      metrics,
      workerId,
      unstarted ? 1 : 0,
    );
    if (changes !== 1) {
      results[i] = LOST;
      continue;
    }
    // An undone claim left the task in the status it was claimed from.
    const to = unstarted
      ? (conn.get<{ status: TaskStatus }>('task-status', s.id)?.status ?? s.to)
      : s.to;
    results[i] = { ok: true, from: 'running', to };
    settled.push(s.id);
  }
  if (settled.length > 0) {
    const withDependents = conn.all<{ id: string; status: TaskStatus }>(
      'settled-dependents',
      JSON.stringify(settled),
    );
    for (const r of withDependents) changed.push({ id: r.id, to: r.status, hasDependents: true });
  }
  runFollowUps(conn, now, changed);
  const runChanges: RunChange[] = [];
  items.forEach((s, i) => {
    const r = results[i];
    if (s.runId !== undefined && r?.ok === true)
      runChanges.push({ id: s.id, runId: s.runId, to: r.to });
  });
  if (runChanges.length > 0) {
    for (const end of runPipelineFollowUps(conn, now, runChanges)) {
      const at = items.findIndex((s, i) => s.runId === end.runId && results[i]?.ok === true);
      const r = results[at];
      if (r?.ok === true) results[at] = { ...r, runEnded: end };
    }
  }
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
  const row = conn.get<ArtifactRow>('artifact-insert', ...artifactInsertParams(now, token, a));
  return row === undefined
    ? { ok: false, reason: 'lease_lost' }
    : { ok: true, artifact: toArtifact(row) };
}
