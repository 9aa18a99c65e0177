/**
 * Writes fenced by a lease token: settling attempts, renewing leases, progress, logs and
 * artifacts. Settling runs in the caller's transaction: the pipeline runs of the items are locked
 * first, then the tasks in id order (the order every transaction of this adapter locks them in),
 * then every item is settled by one statement (and the attempts that do not end their task are
 * moved to executions by another); the follow-ups commit with them.
 */
import { isTerminal, type TaskStatus } from '../../core/status.ts';
import type { Artifact, LogLevel } from '../../core/task.ts';
import type { LeaseRef, Settlement, SettleResult } from '../contract.ts';
import type { ChangedTask } from '../follow-ups.ts';
import type { RunChange } from '../pipeline-rows.ts';
import { artifactInsertParams } from '../rows.ts';
import type { MySession } from './connection.ts';
import { runFollowUps } from './follow-ups.ts';
import { lockRuns, runPipelineFollowUps } from './pipeline-follow-ups.ts';
import { type ArtifactRow, jsonText, toArtifact } from './rows.ts';

const LOST: SettleResult = { ok: false, reason: 'lease_lost' };

/** A task as settle-lock read it, under its lock. */
interface LockedTask {
  id: string;
  status: TaskStatus;
  lease_token: string | null;
  lease_expires_at: number | null;
  claimed_from: TaskStatus | null;
  dependents: number;
}

/** Whether `item` holds the current lease of `task` (and, when it asks, that lease ran out). */
function holdsLease(task: LockedTask | undefined, item: Settlement, now: number): boolean {
  if (task === undefined || task.status !== 'running' || task.lease_token !== item.token) {
    return false;
  }
  return item.onlyIfExpired !== true || (task.lease_expires_at ?? now + 1) <= now;
}

/** One settlement as settle-update.sql reads it (an array in its column order). */
function settleTuple(item: Settlement, terminal: boolean): unknown[] {
  const unstarted = item.unstarted === true;
  return [
    item.id,
    item.token,
    item.to,
    unstarted ? 1 : 0,
    item.output === undefined ? 0 : 1,
    item.output === undefined ? null : jsonText(item.output),
    item.error === undefined ? 0 : 1,
    item.error === undefined ? null : jsonText(item.error),
    item.runAt ?? null,
    item.refundAttempt === true || unstarted ? 1 : 0,
    item.crashed === true ? 1 : 0,
    terminal ? 1 : 0,
    item.outcome,
    item.reason,
    jsonText(item.metrics),
  ];
}

/** Runs inside a transaction; transitions were checked by the caller. Every item's outcome is
 * decided from its task's locked row first (a task named twice: the second mention finds the
 * lease gone), then all are written in two statements, and the follow-ups run. */
export async function settleTasks(
  s: MySession,
  now: number,
  workerId: string,
  items: Settlement[],
): Promise<{ results: SettleResult[]; released: boolean }> {
  const results: SettleResult[] = new Array(items.length).fill(LOST);
  if (items.length === 0) return { results, released: false };
  const locked = await lockRuns(s, [...new Set(items.flatMap((i) => i.runId ?? []))]);
  // Sorted: settle-lock locks in the order of its list, which must be id order.
  const ids = JSON.stringify([...new Set(items.map((i) => i.id))].sort());
  const tasks = new Map(
    (await s.all<LockedTask>('settle-lock', [ids])).map((t) => [t.id, t] as const),
  );
  const settle: unknown[][] = [];
  const moved: unknown[][] = [];
  const changed: ChangedTask[] = [];
  let released = false;
  items.forEach((item, i) => {
    const task = tasks.get(item.id);
    if (task === undefined || !holdsLease(task, item, now)) return;
    const unstarted = item.unstarted === true;
    const terminal = isTerminal(item.to) && !unstarted;
    // An undone claim goes back to the status it was claimed from.
    const to = unstarted ? (task.claimed_from ?? item.to) : item.to;
    if (!terminal && !unstarted) {
      moved.push([
        item.id,
        item.outcome,
        item.error === undefined ? null : jsonText(item.error),
        jsonText(item.metrics),
        item.to,
        item.reason,
      ]);
    }
    settle.push(settleTuple(item, terminal));
    // The lease is gone once this settles: a later mention of the task in the batch is lost.
    task.lease_token = null;
    results[i] = { ok: true, from: 'running', to };
    if (to === 'queued' || to === 'retrying') released = true;
    if (task.dependents > 0) changed.push({ id: item.id, to, hasDependents: true });
  });
  if (moved.length > 0) {
    await s.run('execution-insert-ended', [now, workerId, workerId, JSON.stringify(moved)]);
  }
  if (settle.length > 0) {
    const { affectedRows } = await s.run('settle-update', [
      JSON.stringify(settle),
      workerId,
      workerId,
      now,
      now,
    ]);
    // The rows were locked and checked: anything else is a bug, and rolls the settlement back.
    if (affectedRows !== settle.length) {
      throw new Error(`settle-update wrote ${affectedRows} of ${settle.length} locked tasks`);
    }
  }
  if (await runFollowUps(s, now, changed)) released = true;
  const runChanges: RunChange[] = [];
  items.forEach((item, i) => {
    const r = results[i];
    if (item.runId !== undefined && r?.ok === true) {
      runChanges.push({ id: item.id, runId: item.runId, to: r.to });
    }
  });
  if (runChanges.length > 0) {
    const ends = await runPipelineFollowUps(s, now, runChanges, locked);
    if (ends.released > 0) released = true;
    for (const end of ends.ended) {
      const at = items.findIndex((it, i) => it.runId === end.runId && results[i]?.ok === true);
      const r = results[at];
      if (r?.ok === true) results[at] = { ...r, runEnded: end };
    }
  }
  return { results, released };
}

/** The ids of `wanted` that are not in `kept`, each once, in order. */
function missing(wanted: readonly string[], kept: ReadonlySet<string>): string[] {
  return [...new Set(wanted.filter((id) => !kept.has(id)))];
}

/** Runs inside a transaction (the update, then the read of what it renewed). */
export async function renewLeases(
  s: MySession,
  expiresAt: number,
  leases: LeaseRef[],
): Promise<{ lost: string[]; cancelRequested: string[] }> {
  const payload = JSON.stringify(leases.map((l) => [l.id, l.token]));
  await s.run('lease-renew', [payload, expiresAt]);
  const rows = await s.all<{ id: string; cancel_requested: number }>('lease-held', [payload]);
  const kept = new Set(rows.map((r) => r.id));
  return {
    lost: missing(
      leases.map((l) => l.id),
      kept,
    ),
    cancelRequested: rows.filter((r) => r.cancel_requested !== 0).map((r) => r.id),
  };
}

/** Runs inside a transaction: the leases the worker's current registration holds are read
 * first (without locks), then renewed by id and token like any list of leases. */
export async function renewWorkerLeases(
  s: MySession,
  expiresAt: number,
  workerId: string,
): Promise<{ lost: string[]; cancelRequested: string[]; held: LeaseRef[] }> {
  const running = await s.all<{ id: string; lease_token: string }>('lease-held-worker', [
    workerId,
    workerId,
  ]);
  if (running.length === 0) return { lost: [], cancelRequested: [], held: [] };
  const leases = running.map((r) => ({ id: r.id, token: r.lease_token }));
  const { lost, cancelRequested } = await renewLeases(s, expiresAt, leases);
  const gone = new Set(lost);
  return { lost: [], cancelRequested, held: leases.filter((l) => !gone.has(l.id)) };
}

/** Runs inside a transaction. */
export async function recordProgress(
  s: MySession,
  now: number,
  items: { id: string; token: string; percent: number; message: string | null }[],
): Promise<{ lost: string[] }> {
  // Several reports for one task in a batch: only the newest matters.
  const newest = new Map<string, (typeof items)[number]>();
  for (const it of items) newest.set(it.id, it);
  const latest = [...newest.values()];
  await s.run('task-progress', [
    JSON.stringify(latest.map((it) => [it.id, it.token, it.percent, it.message])),
    now,
  ]);
  const held = JSON.stringify(latest.map((it) => [it.id, it.token]));
  const kept = new Set((await s.all<{ id: string }>('lease-held', [held])).map((r) => r.id));
  return {
    lost: missing(
      items.map((it) => it.id),
      kept,
    ),
  };
}

/** Runs inside a transaction. */
export async function appendLogs(
  s: MySession,
  now: number,
  items: { taskId: string; token: string; attempt: number; level: LogLevel; message: string }[],
): Promise<{ lost: string[] }> {
  const held = JSON.stringify(items.map((it) => [it.taskId, it.token]));
  const kept = new Set((await s.all<{ id: string }>('lease-held-shared', [held])).map((r) => r.id));
  const rows = items.filter((it) => kept.has(it.taskId));
  if (rows.length > 0) {
    await s.run('log-append-many', [
      now,
      JSON.stringify(rows.map((it) => [it.taskId, it.attempt, it.level, it.message])),
    ]);
  }
  return {
    lost: missing(
      items.map((it) => it.taskId),
      kept,
    ),
  };
}

/** Runs inside a transaction. */
export async function insertArtifact(
  s: MySession,
  now: number,
  token: string,
  a: Omit<Artifact, 'createdAt'>,
): Promise<{ ok: true; artifact: Artifact } | { ok: false; reason: 'lease_lost' }> {
  const { affectedRows } = await s.run('artifact-insert', [...artifactInsertParams(now, token, a)]);
  if (affectedRows !== 1) return { ok: false, reason: 'lease_lost' };
  const row = await s.get<ArtifactRow>('artifact-get', [a.id]);
  return row === undefined
    ? { ok: false, reason: 'lease_lost' }
    : { ok: true, artifact: toArtifact(row) };
}
