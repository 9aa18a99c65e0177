/**
 * The worker's round trip on PostgreSQL: settle attempts and claim the next tasks.
 *
 * Modes:
 * - one statement (settle-claim on a claim connection, no transaction): the usual case. It
 *   leaves out tasks that have dependents and pipeline tasks (their settlement commits with its
 *   follow-ups, a pipeline task's after its run's lock) and
 *   queues with a concurrency limit (counted under the queue's lock).
 * - a transaction: settle-claim for what the statement left out (or everything, when a task is
 *   named twice, every item is a pipeline task, or no claim connection exists), the settle
 *   follow-ups, then the limited queues' locks and claim-tasks. Used for a round only when the
 *   statement left something undone, and straight away while the store remembers that this
 *   worker's queues include limited ones. A round that skipped the statement claims in its first
 *   settle-claim, as the statement would have; claim-tasks then runs only for limited queues or
 *   for what the follow-ups released.
 */
import { uuidv7 } from '../../core/ids.ts';
import { priorityLevel } from '../../core/priority.ts';
import { isTerminal, type TaskStatus } from '../../core/status.ts';
import {
  type ClaimedTask,
  type ClaimParams,
  type Settlement,
  type SettleResult,
  wantsClaim,
} from '../contract.ts';
import type { RunChange } from '../pipeline-rows.ts';
import { type ClaimableRow, claimedTask } from '../rows.ts';
import type { PgConnection, PgSession } from './connection.ts';
import { runFollowUps, type SettledItem } from './follow-ups.ts';
import { type LockedRuns, lockRuns, runPipelineFollowUps } from './pipeline-follow-ups.ts';
import { type TaskRow, toTask } from './rows.ts';

const LOST: SettleResult = { ok: false, reason: 'lease_lost' };

/** A settled item (`ord`), or a claimed task (`slot`, with the columns of ClaimableRow as
 * claimed: `attempt` counts this claim), or neither (the one row of an empty round). */
interface RoundRow extends Partial<Omit<ClaimableRow, 'attempt'>> {
  ord: number | null;
  slot: number | null;
  settled_status: TaskStatus | null;
  settled_dependents: number | null;
  attempt: number | null;
  lease_token: string | null;
  execution_id: string | null;
  claimed_from: TaskStatus | null;
  woken: number;
  limited: number;
}

/** The JSON object settle-claim.sql reads; `output` and `error` are present only to be written. */
function encodeSettlement(s: Settlement): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: s.id,
    token: s.token,
    to: s.to,
    outcome: s.outcome,
    reason: s.reason,
    metrics: s.metrics ?? null,
    runAt: s.runAt ?? null,
    refundAttempt: s.refundAttempt === true,
    crashed: s.crashed === true,
    onlyIfExpired: s.onlyIfExpired === true,
    unstarted: s.unstarted === true,
    terminal: isTerminal(s.to) && s.unstarted !== true,
  };
  if (s.output !== undefined) item['output'] = s.output;
  if (s.error !== undefined) item['error'] = s.error;
  return item;
}

interface Round {
  /** Per item of the round: settled, or null when this statement did not settle it. */
  settled: (SettledItem | null)[];
  claimed: ClaimedTask[];
  limited: boolean;
}

/** One settle-claim statement over `items` (each id at most once). */
async function round(
  s: PgSession,
  p: { now: number; workerId: string; items: Settlement[]; withDependents: boolean },
  claim: ClaimParams | null,
): Promise<Round> {
  const limit = claim !== null && wantsClaim(claim) ? claim.limit : 0;
  const expires = p.now + (claim?.leaseMs ?? 0);
  const rows = await s.all<RoundRow>('settle-claim', [
    p.now,
    p.workerId,
    JSON.stringify(p.items.map(encodeSettlement)),
    p.withDependents,
    limit,
    claim?.types ?? [],
    claim?.queues ?? null,
    expires,
    Array.from({ length: limit }, () => crypto.randomUUID()),
    Array.from({ length: limit }, () => uuidv7(p.now)),
    Math.min(limit, claim?.free ?? limit),
  ]);
  const settled: (SettledItem | null)[] = new Array(p.items.length).fill(null);
  const claimed: ClaimedTask[] = [];
  for (const r of rows) {
    if (r.ord !== null) {
      const item = p.items[r.ord - 1] as Settlement;
      settled[r.ord - 1] = {
        id: item.id,
        to: r.settled_status ?? item.to,
        hasDependents: (r.settled_dependents ?? 0) > 0,
      };
    } else if (r.slot !== null && r.lease_token && r.execution_id && r.attempt !== null) {
      const row = { ...(r as ClaimableRow), attempt: r.attempt - 1 };
      claimed.push({
        task: claimedTask(row, p.now, expires, p.workerId),
        leaseToken: r.lease_token,
        executionId: r.execution_id,
        previousStatus: r.claimed_from ?? 'queued',
      });
    }
  }
  return { settled, claimed, limited: (rows[0]?.limited ?? 0) > 0 };
}

/** Items in rounds where no id repeats: a statement can match a row only once, so a task named
 * twice is settled in order, its later mention in a later round. */
function rounds(items: readonly Settlement[]): number[][] {
  const out: number[][] = [];
  let pending = items.map((_, i) => i);
  while (pending.length > 0) {
    const seen = new Set<string>();
    const now: number[] = [];
    const later: number[] = [];
    for (const i of pending) {
      const id = (items[i] as Settlement).id;
      (seen.has(id) ? later : now).push(i);
      seen.add(id);
    }
    out.push(now);
    pending = later;
  }
  return out;
}

/** What settleInTransaction did besides settling. */
interface Settled {
  /** Tasks its first statement claimed, or null when it was given no claim. */
  claimed: ClaimedTask[] | null;
  /** Whether that claim left out queues with a concurrency limit. */
  limited: boolean;
  /** Whether a task may have become claimable after that claim: released by a follow-up, or
   * settled back to queued or retrying. */
  released: boolean;
}

/** Runs inside a transaction: settles every item (dependents and pipeline tasks included) with
 * its follow-ups. The runs of pipeline tasks are locked first (pipeline-follow-ups.ts). With
 * `claim`, the first statement claims as well (queues without a concurrency limit). */
export async function settleInTransaction(
  s: PgSession,
  p: { now: number; workerId: string; items: Settlement[]; results: SettleResult[] },
  only: readonly number[] = p.items.map((_, i) => i),
  claim: ClaimParams | null = null,
): Promise<Settled> {
  const { now, workerId, items, results } = p;
  const runIds = only.flatMap((i) => items[i]?.runId ?? []);
  const locked = await lockRuns(s, runIds);
  const followUps: SettledItem[] = [];
  const out: Settled = { claimed: null, limited: false, released: false };
  for (const indexes of rounds(only.map((i) => items[i] as Settlement))) {
    const batch = indexes.map((k) => only[k] as number);
    const withClaim = out.claimed === null ? claim : null;
    const r = await round(
      s,
      { now, workerId, items: batch.map((i) => items[i] as Settlement), withDependents: true },
      withClaim,
    );
    if (withClaim !== null) {
      out.claimed = r.claimed;
      out.limited = r.limited;
    }
    r.settled.forEach((done, k) => {
      const i = batch[k] as number;
      if (done === null) return;
      results[i] = { ok: true, from: 'running', to: done.to };
      if (done.to === 'queued' || done.to === 'retrying') out.released = true;
      if (done.hasDependents) followUps.push(done);
    });
  }
  if (await runFollowUps(s, now, followUps)) out.released = true;
  if (runIds.length > 0 && (await runEndings(s, now, { items, results, only, locked }))) {
    out.released = true;
  }
  return out;
}

/** The pipeline follow-ups of the settled items; a run that ended is reported on the first
 * settled item of that run. */
async function runEndings(
  s: PgSession,
  now: number,
  p: { items: Settlement[]; results: SettleResult[]; only: readonly number[]; locked: LockedRuns },
): Promise<boolean> {
  const { items, results, only, locked } = p;
  const changes: RunChange[] = [];
  for (const i of only) {
    const item = items[i];
    const r = results[i];
    if (item?.runId !== undefined && r?.ok === true) {
      changes.push({ id: item.id, runId: item.runId, to: r.to });
    }
  }
  if (changes.length === 0) return false;
  const { ended, released } = await runPipelineFollowUps(s, now, changes, locked);
  for (const end of ended) {
    const at = only.find((i) => items[i]?.runId === end.runId && results[i]?.ok === true);
    const r = at === undefined ? undefined : results[at];
    if (at !== undefined && r?.ok === true) results[at] = { ...r, runEnded: end };
  }
  return released > 0;
}

export interface SettleClaimResult {
  results: SettleResult[];
  claimed: ClaimedTask[];
}

/**
 * Settle `items` and claim up to `claim.limit` (or nothing, with `claim` null). `limitedScopes`
 * remembers, per set of queues claimed from, that limited queues exist: such claims go straight
 * to the transaction.
 */
export async function settleClaim(
  conn: PgConnection,
  p: { now: number; workerId: string; items: Settlement[] },
  claim: ClaimParams | null,
  limitedScopes: Set<string>,
): Promise<SettleClaimResult> {
  const results: SettleResult[] = new Array(p.items.length).fill(LOST);
  const scope = claim === null ? '' : JSON.stringify(claim.queues);
  const hot = conn.hot();
  let claimed: ClaimedTask[] = [];
  let undone: number[] = p.items.map((_, i) => i);
  let claimLimited = claim !== null && wantsClaim(claim);
  const repeated = new Set(p.items.map((s) => s.id)).size !== p.items.length;
  // Pipeline tasks settle in the transaction (their run's follow-ups): a round of nothing else
  // goes there straight, its claim with it, rather than first through the statement.
  const allInRuns = p.items.length > 0 && p.items.every((s) => s.runId !== undefined);
  const ranHot = hot !== null && !repeated && !allInRuns && !limitedScopes.has(scope);
  if (ranHot) {
    const r = await round(hot, { ...p, withDependents: false }, claim);
    undone = [];
    r.settled.forEach((done, i) => {
      if (done === null) undone.push(i);
      else results[i] = { ok: true, from: 'running', to: done.to };
    });
    claimed = r.claimed;
    if (r.limited) limitedScopes.add(scope);
    claimLimited = r.limited && claim !== null && claimed.length < claim.limit;
    if (undone.length === 0 && !claimLimited) return { results, claimed };
  }
  const more = await conn.transaction(
    async (s) => {
      // Without the statement, the settlement's own statement claims the queues without a
      // limit (as the statement would have), unless this scope is known to have limited ones:
      // those are claimed together, in one priority order, under their locks.
      const inStatement = !ranHot && !limitedScopes.has(scope) ? remaining(claim, 0) : null;
      // Items the statement left: a task with dependents, a pipeline task, or a lost lease.
      const tx = await settleInTransaction(s, { ...p, results }, undone, inStatement);
      const got = tx.claimed ?? [];
      const limited = ranHot ? claimLimited : tx.claimed === null || tx.limited;
      if (tx.claimed !== null && tx.limited) limitedScopes.add(scope);
      const rest = remaining(claim, claimed.length + got.length);
      if (rest === null) return got;
      // A claim that ran before the follow-ups missed what they released (a dependent, a
      // pipeline's next step): claimed here, instead of at the next round.
      if (!limited) return tx.released ? [...got, ...(await claimTasks(s, rest, []))] : got;
      const locked = await s.all<{ name: string }>('queue-lock-limited', [claim?.queues ?? null]);
      if (locked.length === 0) limitedScopes.delete(scope);
      const names = locked.map((r) => r.name);
      return [...got, ...(await claimTasks(s, rest, names))];
    },
    { indexOrder: true },
  );
  return { results, claimed: more.length === 0 ? claimed : inClaimOrder([...claimed, ...more]) };
}

/** What is left of `claim` after `taken` tasks, or null when nothing is. */
function remaining(claim: ClaimParams | null, taken: number): ClaimParams | null {
  if (claim === null || !wantsClaim(claim)) return null;
  const limit = claim.limit - taken;
  if (limit <= 0) return null;
  return { ...claim, limit, free: Math.max(0, (claim.free ?? claim.limit) - taken) };
}

/** Tasks from two claims as one list in claim order (priority, run-at, id): the worker starts
 * them in this order. */
function inClaimOrder(tasks: ClaimedTask[]): ClaimedTask[] {
  const key = (c: ClaimedTask) => [priorityLevel(c.task.priority), c.task.runAt.getTime()] as const;
  return tasks.sort((a, b) => {
    const [pa, ra] = key(a);
    const [pb, rb] = key(b);
    if (pa !== pb) return pa - pb;
    if (ra !== rb) return ra - rb;
    return a.task.id < b.task.id ? -1 : a.task.id > b.task.id ? 1 : 0;
  });
}

interface ClaimRow extends TaskRow {
  passed_over: number;
}

/** Runs inside a transaction, after queue-lock-limited: every queue, limited ones included.
 * When a limited queue had fewer free slots than candidates (`passed_over`) and slots remain,
 * one more statement runs; that queue is full by then, so it is skipped. Bounded to two passes
 * so a claim never loops. */
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
      Math.max(0, Math.min(limit, (p.free ?? p.limit) - claimed.length)),
    ]);
    for (const r of rows) {
      if (r.lease_token === null || r.execution_id === null) continue;
      claimed.push({
        task: toTask(r),
        leaseToken: r.lease_token,
        executionId: r.execution_id,
        previousStatus: r.claimed_from ?? 'queued',
      });
    }
    if ((rows[0]?.passed_over ?? 0) === 0) break;
  }
  return claimed;
}
