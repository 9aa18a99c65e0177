import { mean, percentile } from '../core/stats.ts';
import { STATUSES, type TaskStatus } from '../core/status.ts';
import type { StatsSnapshot } from '../store/contract.ts';
import type { TaskmillStats } from './types.ts';

/** Turn the store's raw counts and samples into the figures `stats()` reports. */
export function summarizeStats(
  snap: StatsSnapshot,
  windowMs: number,
  servedTypes: ReadonlySet<string>,
): TaskmillStats {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  const byType: TaskmillStats['byType'] = {};
  let total = 0;
  for (const { type, status, count } of snap.counts) {
    byStatus[status] += count;
    const t = byType[type] ?? {};
    t[status] = (t[status] ?? 0) + count;
    byType[type] = t;
    total += count;
  }
  const judged = byStatus.completed + byStatus.failed + byStatus.timed_out;
  const f = snap.finishedSince;
  const completed = f.completed ?? 0;
  const failed = (f.failed ?? 0) + (f.timed_out ?? 0);
  const all = Object.values(f).reduce((a, b) => a + (b ?? 0), 0);
  return {
    byStatus,
    byType,
    total,
    successRate: judged === 0 ? null : byStatus.completed / judged,
    durationMs: {
      mean: mean(snap.durations),
      p50: percentile(snap.durations, 50),
      p95: percentile(snap.durations, 95),
      samples: snap.durations.length,
    },
    lastMinute: { completed, failed, total: all, perSecond: all / (windowMs / 1000) },
    unservedTypes: Object.entries(byType)
      .filter(
        ([type, c]) => ((c.queued ?? 0) > 0 || (c.retrying ?? 0) > 0) && !servedTypes.has(type),
      )
      .map(([type]) => type)
      .sort(),
  };
}
