/**
 * Totals the store's finely grouped stats rows into one tally overall, one per task type and
 * one per queue, then turns each tally into the figures a `StatsGroup` reports. Each row feeds
 * all three, so the groups always add up to the overall figures.
 */

import { mean, percentile } from '../core/stats.ts';
import type { StatsDurations, StatsGroup } from '../core/stats-report.ts';
import { STATUSES, type TaskStatus } from '../core/status.ts';
import type { ExecutionOutcome } from '../core/task.ts';
import type { StatsSnapshot } from '../store/contract.ts';

export const HOUR_MS = 3_600_000;
/** How many hourly buckets a group reports: the current hour and the 23 before it. */
export const HOURS = 24;

interface Endings {
  completed: number;
  failed: number;
  total: number;
}

interface HourTally extends Endings {
  durationSumMs: number;
}

interface Tally {
  byStatus: Record<TaskStatus, number>;
  durations: number[];
  lastMinute: Endings;
  hours: HourTally[];
}

export interface Tallies {
  all: Tally;
  perType: Map<string, Tally>;
  perQueue: Map<string, Tally>;
}

/** Where the figures' windows start, for a group's arithmetic. */
export interface StatsWindows {
  /** Length of the `lastMinute` window, for the rate. */
  windowMs: number;
  /** Start of the oldest hourly bucket. */
  hoursSince: number;
}

function newTally(): Tally {
  return {
    byStatus: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>,
    durations: [],
    lastMinute: { completed: 0, failed: 0, total: 0 },
    hours: Array.from({ length: HOURS }, () => ({
      completed: 0,
      failed: 0,
      total: 0,
      durationSumMs: 0,
    })),
  };
}

function tallyIn(groups: Map<string, Tally>, key: string): Tally {
  let t = groups.get(key);
  if (t === undefined) {
    t = newTally();
    groups.set(key, t);
  }
  return t;
}

/** Timed-out attempts count as failed, as in the success rate; every ending counts in total. */
function addEndings(e: Endings, outcome: ExecutionOutcome, count: number): void {
  if (outcome === 'completed') e.completed += count;
  if (outcome === 'failed' || outcome === 'timed_out') e.failed += count;
  e.total += count;
}

export function tallySnapshot(snap: StatsSnapshot, hoursSince: number): Tallies {
  const t: Tallies = { all: newTally(), perType: new Map(), perQueue: new Map() };
  const groupsOf = (row: { type: string; queue: string }): Tally[] => [
    t.all,
    tallyIn(t.perType, row.type),
    tallyIn(t.perQueue, row.queue),
  ];
  for (const c of snap.counts) {
    for (const g of groupsOf(c)) g.byStatus[c.status] += c.count;
  }
  for (const d of snap.durations) {
    for (const g of groupsOf(d)) g.durations.push(d.durationMs);
  }
  for (const f of snap.finishedSince) {
    for (const g of groupsOf(f)) addEndings(g.lastMinute, f.outcome, f.count);
  }
  for (const h of snap.hourly) {
    // An hour outside the 24 asked for (a store answering for a moved clock) has no bucket.
    const i = Math.floor((h.hour - hoursSince) / HOUR_MS);
    if (i < 0 || i >= HOURS) continue;
    for (const g of groupsOf(h)) {
      const bucket = g.hours[i];
      if (bucket === undefined) continue;
      addEndings(bucket, h.outcome, h.count);
      bucket.durationSumMs += h.durationSumMs;
    }
  }
  return t;
}

/** To the microsecond, as attempts' durations are stored: a mean's float noise means nothing. */
function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function durationFigures(values: readonly number[]): StatsDurations {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    mean: ms(mean(sorted)),
    p50: ms(percentile(sorted, 50)),
    p95: ms(percentile(sorted, 95)),
    p99: ms(percentile(sorted, 99)),
    samples: sorted.length,
  };
}

export function toGroup(t: Tally, w: StatsWindows): StatsGroup {
  const b = t.byStatus;
  const judged = b.completed + b.failed + b.timed_out;
  const m = t.lastMinute;
  return {
    byStatus: { ...b },
    total: Object.values(b).reduce((sum, n) => sum + n, 0),
    successRate: judged === 0 ? null : b.completed / judged,
    durationMs: durationFigures(t.durations),
    lastMinute: { ...m, perSecond: m.total / (w.windowMs / 1000) },
    hourly: t.hours.map((h, i) => ({
      hour: new Date(w.hoursSince + i * HOUR_MS),
      completed: h.completed,
      failed: h.failed,
      total: h.total,
      meanDurationMs: h.total === 0 ? 0 : ms(h.durationSumMs / h.total),
    })),
  };
}

export function toGroups(groups: Map<string, Tally>, w: StatsWindows): Record<string, StatsGroup> {
  const names = [...groups.keys()].sort();
  return Object.fromEntries(
    names.map((name) => [name, toGroup(groups.get(name) ?? newTally(), w)]),
  );
}
