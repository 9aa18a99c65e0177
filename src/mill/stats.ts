import { checkOptions, is, type OptionSpec, optionSpec } from '../core/options-check.ts';
import type { TaskmillStats } from '../core/stats-report.ts';
import type { TaskStatus } from '../core/status.ts';
import type { WorkerInfo } from '../core/worker-info.ts';
import type { StatsParams, StatsSnapshot } from '../store/contract.ts';
import type { MillContext } from './mill-context.ts';
import { HOUR_MS, HOURS, tallySnapshot, toGroup, toGroups } from './stats-groups.ts';

/** The `lastMinute` window. */
const WINDOW_MS = 60_000;
/** Newest attempts the duration figures are over: enough for a steady p99, cheap to sort. */
const SAMPLE_SIZE = 10_000;

/** What `stats()` asks the store for at `now`: hourly buckets start on the hour (UTC), the
 * current, partial hour last. */
export function statsQuery(now: number): StatsParams {
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  return {
    now,
    since: now - WINDOW_MS,
    sampleSize: SAMPLE_SIZE,
    hoursSince: currentHour - (HOURS - 1) * HOUR_MS,
  };
}

/** Turn the store's raw counts and samples into the figures `stats()` reports. */
export function summarizeStats(
  snap: StatsSnapshot,
  query: StatsParams,
  servedTypes: ReadonlySet<string>,
): TaskmillStats {
  const tallies = tallySnapshot(snap, query.hoursSince);
  const windows = { windowMs: query.now - query.since, hoursSince: query.hoursSince };
  const byType: TaskmillStats['byType'] = {};
  for (const { type, status, count } of snap.counts) {
    const t = byType[type] ?? {};
    t[status] = (t[status] ?? 0) + count;
    byType[type] = t;
  }
  const waiting = (c: Partial<Record<TaskStatus, number>>): boolean =>
    (c.queued ?? 0) > 0 || (c.retrying ?? 0) > 0;
  return {
    ...toGroup(tallies.all, windows),
    byType,
    perType: toGroups(tallies.perType, windows),
    perQueue: toGroups(tallies.perQueue, windows),
    unservedTypes: Object.entries(byType)
      .filter(([type, c]) => waiting(c) && !servedTypes.has(type))
      .map(([type]) => type)
      .sort(),
  };
}

const STATS_OPTIONS_SPEC: OptionSpec = optionSpec<{ countsOnly?: boolean }>({
  countsOnly: is.boolean,
});

/** The figures `stats()` reports; a type is unserved while no online worker handles it. */
export function statsApi(ctx: MillContext, workers: () => Promise<WorkerInfo[]>) {
  return {
    async stats(options: { countsOnly?: boolean } = {}): Promise<TaskmillStats> {
      ctx.assertOpen();
      checkOptions(STATS_OPTIONS_SPEC, options);
      const query = statsQuery(ctx.now());
      // Empty windows: the store reads the counts and nothing of the executions.
      const asked = options.countsOnly
        ? { ...query, since: query.now + 1, sampleSize: 0, hoursSince: query.now + 1 }
        : query;
      const [snap, listed] = await Promise.all([ctx.store.statsGet(asked), workers()]);
      const served = new Set(listed.filter((w) => w.state !== 'offline').flatMap((w) => w.types));
      return summarizeStats(snap, query, served);
    },
  };
}
